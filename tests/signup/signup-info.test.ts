import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
process.env.AUTH_SECRET ??= "x".repeat(40);
import { createTestDb, type TestDb } from "../support/db";
import { createSignupWorld, type SignupWorld } from "./support/signup-world";
import { orderTestPackage, createTestCustomer } from "../support/fixtures";
import { AccessNumberSelect, accessNumberLabel, accessNumberLists, accessNumberCascadeScript, type AccessNumber } from "../../components/access-number-select";
import { isAppError } from "../../lib/errors";
import { checkUsername } from "../../lib/signup/check-username";
import { issueSignupToken, verifySignupToken } from "../../lib/signup/form-token";
import { listAccessNumbers, signupInfo } from "../../lib/signup/signup-info";
import { newCustomerSchema, signupProblems, makeSignupSchema } from "../../lib/signup/signup-schema";

let t: TestDb;
let sw: SignupWorld;

before(async () => {
  t = await createTestDb();
  sw = await createSignupWorld(t.db);
});
after(async () => t.drop());

type Pkg = { pkgpart: string | number; pkg: string; payby: string[]; signup_service: string; access_number: number; setup_fee: string; recur_fee: string };

describe("signup_info", () => {
  test("the default agent's signup packages with Freeside's keys, the regions, the access numbers", async () => {
    const info = await signupInfo(t.db);
    for (const k of ["cust_main_county", "agent", "agentnum2part_pkg", "part_pkg", "svc_acct_pop", "security_phrase", "payby", "cvv_enabled", "msgcat", "statedefault", "countrydefault"]) {
      assert.ok(k in info, `signup_info has ${k}`);
    }
    assert.equal(info.statedefault, "CA");
    assert.equal(info.countrydefault, "US");
    assert.equal(info.agentnum, sw.agentnum);
    assert.equal(info.cvv_enabled, 1);
    const pkgs = info.part_pkg as Pkg[];
    assert.deepEqual(
      pkgs.map((p) => p.pkg),
      ["Card Only Fibre", "Dial-up 56k", "DSL Signup", "Hosting Signup", "Staff Comp", "VoIP Signup"].sort((a, b) => a.localeCompare(b)),
      "only signup offers the agent sells, by name",
    );
    const dsl = pkgs.find((p) => p.pkg === "DSL Signup")!;
    assert.equal(dsl.setup_fee, "49.00");
    assert.equal(dsl.recur_fee, "39.95");
    assert.deepEqual(dsl.payby, ["CARD", "DCRD", "CHEK", "DCHK", "BILL", "PREPAY"]);
    assert.equal(dsl.signup_service, "svc_acct");
    assert.equal(pkgs.find((p) => p.pkg === "Staff Comp")!.payby.join(), "COMP");
    assert.equal(pkgs.find((p) => p.pkg === "Dial-up 56k")!.access_number, 1);
    assert.equal(dsl.access_number, 0);
    assert.equal(pkgs.find((p) => p.pkg === "VoIP Signup")!.signup_service, "svc_phone");
    assert.equal((info.svc_acct_pop as unknown[]).length, 4);
    const ca = (info.cust_main_county as { state: string; county: string; tax: string }[]).find((r) => r.state === "CA" && r.county === "Alameda");
    assert.equal(ca?.tax, "10.25");
    const map = info.agentnum2part_pkg as Record<string, unknown[]>;
    assert.equal(map[String(sw.otherAgentnum)]!.length, 0, "the other agent offers nothing at signup");
  });

  test("by agentnum, by public signup key, a reseller session; unknown agents", async () => {
    const byKey = await signupInfo(t.db, { signupKey: "signup-partner", keys: ["agentnum", "company_name", "brand_color"] });
    assert.deepEqual(byKey, { agentnum: sw.partnerAgentnum, company_name: "Signup Partner", brand_color: "#0f766e" });
    const reseller = await signupInfo(t.db, { agentnum: sw.partnerAgentnum, resellerSession: true });
    assert.equal("agentnum2part_pkg" in reseller, false);
    await assert.rejects(signupInfo(t.db, { agentnum: 99999 }), (e: unknown) => isAppError(e) && e.message === "Self-service agent #99999 does not exist");
    await assert.rejects(signupInfo(t.db, { signupKey: "nope" }), (e: unknown) => isAppError(e) && e.code === "NOT_FOUND");
  });

  test("keys returns only those keys; a promotional code narrows the packages", async () => {
    assert.deepEqual(Object.keys(await signupInfo(t.db, { keys: ["part_pkg"] })), ["part_pkg"]);
    const promo = await signupInfo(t.db, { promoCode: "fibrefast", keys: ["part_pkg"] });
    assert.deepEqual((promo.part_pkg as Pkg[]).map((p) => p.pkg), ["Card Only Fibre"]);
    await assert.rejects(signupInfo(t.db, { promoCode: "NOPE" }), (e: unknown) => isAppError(e) && e.message === "Unknown promotional code");
  });
});

describe("check_username", () => {
  test("free, taken (any case), against the rules, unknown domain", async () => {
    const c = await createTestCustomer(t.db, sw);
    await orderTestPackage(t.db, c.custnum, sw.signup.dsl, { service: { svcdb: "svc_acct", username: "takenname", password: "Whatever-pass-1" } });
    assert.deepEqual(await checkUsername(t.db, { username: "freename" }), { available: true, problem: null, domsvc: sw.domsvc, domain: "isp.test" });
    const taken = await checkUsername(t.db, { username: "TakenName", domain: "ISP.test" });
    assert.equal(taken.available, false);
    assert.equal(taken.problem, "That username is already taken");
    assert.equal((await checkUsername(t.db, { username: "root" })).problem, "That username is reserved");
    assert.equal((await checkUsername(t.db, { username: "a" })).available, false);
    await assert.rejects(checkUsername(t.db, { username: "freename", domain: "elsewhere.example" }), (e: unknown) => isAppError(e) && e.message === "Unknown domain");
  });
});

describe("the shared signup schema", () => {
  test("one set of rules: required fields, payment by type, the chosen package's service", () => {
    const empty = newCustomerSchema.safeParse({});
    assert.equal(empty.success, false);
    const fe = empty.error!.flatten().fieldErrors as Record<string, string[] | undefined>;
    assert.ok(fe.first && fe.last && fe.pkgpart && fe.address1 && fe.payby);
    assert.deepEqual(signupProblems({ first: "A", last: "B", payby: "COMP" }, { minimal: true }), {}, "minimal: no address, no package");
    const parsed = makeSignupSchema({ service: { svcdb: "svc_phone" }, interactive: true }).safeParse({ first: "A", last: "B", pkgpart: "3", address1: "1 Way", city: "X", country: "US", zip: "94607", payby: "BILL" });
    assert.equal(parsed.success, false);
    const fields = Object.keys(parsed.error!.flatten().fieldErrors).sort();
    assert.deepEqual(fields, ["_password", "_password2", "invoicing_list", "phonenum", "pin"]);
  });
});

describe("AccessNumberSelect (popselector)", () => {
  test("state → area code → number, Freeside's labels and names", async () => {
    const pops = await listAccessNumbers(t.db);
    assert.equal(accessNumberLabel(pops.find((p) => p.city === "Oakland")!), "Oakland, CA (510)/555-0140");
    const lists = accessNumberLists(pops, "CA", "510");
    assert.deepEqual(lists.states, ["CA", "WA"]);
    assert.deepEqual(lists.areaCodes, ["415", "510"]);
    assert.deepEqual(lists.numbers.map((p) => p.city), ["Berkeley", "Oakland"]);
    const html = renderToStaticMarkup(createElement(AccessNumberSelect, { pops, state: "CA", ac: "510" }));
    assert.match(html, /<select[^>]*name="acstate"/);
    assert.match(html, /<select[^>]*name="popac"/);
    assert.match(html, /<select[^>]*name="popnum"/);
    assert.match(html, /Berkeley, CA \(510\)\/555-0142/);
    assert.doesNotMatch(html, /Seattle/, "numbers of the chosen state and area code only");
  });

  test("no POPs: a hidden empty popnum; one POP: its text and a hidden popnum", () => {
    assert.equal(renderToStaticMarkup(createElement(AccessNumberSelect, { pops: [] })), '<input type="hidden" name="popnum" value=""/>');
    const one: AccessNumber = { popnum: 7, city: "Eugene", state: "OR", ac: "541", exch: "555", loc: "0149" };
    const html = renderToStaticMarkup(createElement(AccessNumberSelect, { pops: [one] }));
    assert.match(html, /Eugene, OR \(541\)\/555-0149/);
    assert.match(html, /<input type="hidden" name="popnum" value="7"\/>/);
  });

  test("the cascade script carries the data safely", () => {
    const evil: AccessNumber = { popnum: 1, city: "</script><script>alert(1)</script>", state: "CA", ac: "510", exch: "555", loc: null };
    const s = accessNumberCascadeScript([evil]);
    assert.equal(s.match(/<\/script>/g)?.length, 1, "only the script's own end tag");
  });
});

describe("the signup form token", () => {
  test("genuine, bound to the agent, expiring, fits a payment key", () => {
    const tok = issueSignupToken(42);
    assert.ok(tok.length <= 80);
    assert.match(tok, /^[A-Za-z0-9._:@-]+$/);
    assert.equal(verifySignupToken(tok).agentnum, 42);
    const forged = tok.replace(/\.42\./, ".43.");
    assert.throws(() => verifySignupToken(forged));
    assert.throws(() => verifySignupToken(tok, new Date(Date.now() + 7 * 3600_000)));
    assert.throws(() => verifySignupToken("st1.x.y.z.w"));
    assert.throws(() => verifySignupToken(undefined));
  });
});
