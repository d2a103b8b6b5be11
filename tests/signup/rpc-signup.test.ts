import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
process.env.PORTICO_VAULT_KEY ??= randomBytes(32).toString("hex");
import { createTestDb, type TestDb } from "../support/db";
import { jsonRpc, pyXmlRpc, startRpcServer, type RpcServer } from "../support/rpc-server";
import { createSignupWorld, PINS, type SignupWorld } from "./support/signup-world";
import { countChanges, tableCounts } from "./support/table-counts";
import { custMain, prepayCredit } from "../../db/schema";
import { createAgentSession } from "../../lib/auth/sessions";
import { TEST_CARDS } from "../../lib/payments/gateway/test-gateway";

type Struct = Record<string, unknown>;
let t: TestDb;
let sw: SignupWorld;
let srv: RpcServer;
let xml: string;
const YEAR = String(new Date().getUTCFullYear() + 2);
const RUN = randomBytes(3).toString("hex");
const PASSWORD = "Rpc-signup-1";
let seq = 0;

async function call(method: string, args: Struct, opts: { flat?: boolean; prefix?: string } = {}): Promise<Struct> {
  const r = await pyXmlRpc(xml, `${opts.prefix ?? "FS.ClientAPI_XMLRPC."}${method}`, args, opts);
  assert.ok(r.ok, `XML-RPC call ${method} failed: ${JSON.stringify(r)}`);
  return r.value as Struct;
}

function person(over: Struct = {}): Struct {
  seq += 1;
  return {
    first: "Rpc",
    last: `Person${seq}`,
    address1: `${seq} Harbor Way`,
    city: "Oakland",
    county: "Alameda",
    state: "CA",
    zip: "94607",
    country: "US",
    invoicing_list: `rpc${seq}.${RUN}@example.com`,
    pkgpart: String(sw.signup.dsl),
    username: `rpc${seq}x${RUN}`,
    _password: PASSWORD,
    payby: "CARD",
    payinfo: TEST_CARDS.visa,
    paycvv: "123",
    paydate: `07/${YEAR}`,
    payname: "Rpc Person",
    ...over,
  };
}

before(async () => {
  t = await createTestDb();
  sw = await createSignupWorld(t.db);
  srv = await startRpcServer(t.url!, { PORTICO_TEST_GATEWAY_TIMEOUT_MS: "1500", PORTICO_GATEWAY: "test" });
  xml = `${srv.url}/api/selfservice/xmlrpc`;
});
after(async () => {
  await srv.close();
  await t.drop();
});

describe("signup over XML-RPC (Python xmlrpc.client)", () => {
  test("signup_info: Freeside's keys, as a struct or a flat list, `keys` narrowing", async () => {
    const info = await call("signup_info", {});
    assert.equal(info.error, "");
    assert.equal(info.countrydefault, "US");
    assert.equal(info.statedefault, "CA");
    assert.equal(info.agentnum, String(sw.agentnum), "every scalar is a string");
    const pkgs = info.part_pkg as Struct[];
    assert.ok(pkgs.some((p) => p.pkgpart === String(sw.signup.dsl) && p.setup_fee === "49.00"));
    assert.deepEqual((pkgs[0]!.payby as string[]).length > 0, true);
    assert.ok(Array.isArray(info.cust_main_county) && Array.isArray(info.svc_acct_pop) && Array.isArray(info.agent));
    const flat = await call("signup_info", { agentnum: String(sw.partnerAgentnum), keys: ["agentnum", "company_name"] }, { flat: true });
    assert.deepEqual(flat, { error: "", agentnum: String(sw.partnerAgentnum), company_name: "Signup Partner" });
    assert.deepEqual(await call("signup_info", { agentnum: "424242" }), { error: "Self-service agent #424242 does not exist" });
  });

  test("a reseller's session decides the agent (FS.SelfService.XMLRPC names)", async () => {
    const session_id = await createAgentSession(t.db, sw.partnerAgentnum);
    const info = await call("signup_info", { session_id, keys: ["agentnum"] }, { prefix: "FS.SelfService.XMLRPC." });
    assert.deepEqual(info, { error: "", agentnum: String(sw.partnerAgentnum) });
    const r = await call("new_customer", { ...person(), session_id }, { prefix: "FS.SelfService.XMLRPC." });
    assert.equal(r.error, "");
    const [cust] = await t.db.select().from(custMain).where(eq(custMain.custnum, Number(r.custnum)));
    assert.equal(cust!.agentnum, sw.partnerAgentnum);
    assert.equal((await call("signup_info", { session_id: "f".repeat(64) })).error, "Can't resume session");
  });

  test("new_customer with a card: custnum, signup_service, svcnum, username — never the password", async () => {
    const input = person();
    const r = await call("new_customer", input);
    assert.equal(r.error, "");
    assert.match(String(r.custnum), /^\d+$/);
    assert.match(String(r.svcnum), /^\d+$/);
    assert.equal(r.signup_service, "svc_acct");
    assert.equal(r.username, input.username);
    assert.equal("_password" in r, false);
    assert.ok(!JSON.stringify(r).includes(PASSWORD));
    // The new customer logs in by e-mail and then sees their account.
    const l = await call("login", { email: input.invoicing_list, password: PASSWORD });
    assert.equal(l.error, "");
    const ci = await call("customer_info", { session_id: l.session_id });
    assert.equal(ci.custnum, r.custnum);
  });

  test("a declined card: error _decline, as a flat list too, and nothing created", async () => {
    const before = await tableCounts(t.db);
    assert.deepEqual(await call("new_customer", person({ payinfo: TEST_CARDS.declined })), { error: "_decline" });
    assert.deepEqual(await call("new_customer", person({ payinfo: TEST_CARDS.declined }), { flat: true }), { error: "_decline" });
    const changes = countChanges(before, await tableCounts(t.db));
    // Only the per-address signup counter moves (it counts failed attempts too), and the test
    // gateway's own ledger (the processor's record of the declines, not Portico's).
    assert.deepEqual(Object.keys(changes).filter((k) => k !== "login_throttle" && k !== "test_gateway_charge"), []);
  });

  test("Freeside's errors in-band: no package, illegal payment type, a used prepaid PIN, a taken username", async () => {
    assert.equal((await call("new_customer", person({ pkgpart: "" }))).error, "Please select a package");
    assert.equal((await call("new_customer", person({ payby: "CASH" }))).error, "Illegal payment type");
    const ok = await call("new_customer", person({ payby: "PREPAY", payinfo: PINS.spare, paycvv: "", paydate: "" }));
    assert.equal(ok.error, "");
    assert.equal((await t.db.select().from(prepayCredit).where(eq(prepayCredit.identifier, PINS.spare))).length, 0);
    assert.equal((await call("new_customer", person({ payby: "PREPAY", payinfo: PINS.spare }))).error, "That prepaid card PIN is not valid or has already been used");
    const first = person();
    assert.equal((await call("new_customer", first)).error, "");
    assert.equal((await call("new_customer", person({ username: first.username }))).error, "Username in use");
  });

  test("new_customer_minimal: an e-mail + password, no address; the session_id works", async () => {
    const email = `minimal.rpc.${RUN}@example.com`;
    const r = await call("new_customer_minimal", { first: "Mini", last: "Mal", invoicing_list: email, _password: PASSWORD, payby: "BILL" });
    assert.equal(r.error, "");
    assert.equal(r.first, "Mini");
    assert.match(String(r.session_id), /^[0-9a-f]{64}$/);
    const ci = await call("customer_info", { session_id: r.session_id });
    assert.equal(ci.error, "");
    assert.equal(ci.custnum, r.custnum);
  });

  test("check_username: available 1/0, the reason, unknown domain", async () => {
    assert.deepEqual(await call("check_username", { username: `free${RUN}` }), { error: "", available: "1", reason: "", domain: "isp.test" });
    const first = person();
    await call("new_customer", first);
    const taken = await call("check_username", { username: first.username, domain: "isp.test" }, { flat: true });
    assert.equal(taken.available, "0");
    assert.equal(taken.reason, "That username is already taken");
    assert.equal((await call("check_username", { username: "abuse" })).available, "0");
    assert.equal((await call("check_username", { username: "x1", domain: "nowhere.example" })).error, "Unknown domain");
  });

  test("popselector: the access number selects and their cascade", async () => {
    const r = await call("popselector", { acstate: "CA", popac: "510" });
    assert.equal(r.error, "");
    const html = String(r.html);
    assert.equal(r.output, r.html);
    assert.match(html, /name="acstate"/);
    assert.match(html, /name="popac"/);
    assert.match(html, /name="popnum"/);
    assert.match(html, /Oakland, CA \(510\)\/555-0140/);
    assert.match(html, /<script>/);
    const given = await call("popselector", { pops: [{ popnum: "9", city: "Eugene", state: "OR", ac: "541", exch: "555", loc: "0149" }] });
    assert.match(String(given.html), /Eugene, OR \(541\)\/555-0149<\/p><input type="hidden" name="popnum" value="9"\/>/);
  });

  test("during a slow charge the new customer cannot log in and its username is taken; after the failure it is free (issue 22 §10)", async () => {
    const rpc = `${srv.url}/api/selfservice/jsonrpc`;
    const result = (r: { body: unknown }) => (r.body as { result: Struct }).result;
    const input = person({ payinfo: TEST_CARDS.timeout });
    const running = jsonRpc(rpc, "new_customer", input);
    let taken = false;
    for (let i = 0; i < 100 && !taken; i++) {
      await new Promise((r) => setTimeout(r, 15));
      taken = result(await jsonRpc(rpc, "check_username", { username: input.username })).available === 0;
    }
    assert.ok(taken, "check_username says taken while the signup is charging");
    const login = result(await jsonRpc(rpc, "login", { username: input.username, domain: "isp.test", password: PASSWORD }));
    assert.notEqual(login.error, "", "no login during the charge");
    assert.equal(login.session_id, undefined);
    const byEmail = result(await jsonRpc(rpc, "login", { email: input.invoicing_list, password: PASSWORD }));
    assert.notEqual(byEmail.error, "");
    assert.match(String(result(await running).error), /did not respond in time/);
    assert.equal(result(await jsonRpc(rpc, "check_username", { username: input.username })).available, 1, "free again");
    // Signing up again with the same username and e-mail works.
    const again = result(await jsonRpc(rpc, "new_customer", { ...input, payinfo: TEST_CARDS.visa }));
    assert.equal(again.error, "");
    const ok = result(await jsonRpc(rpc, "login", { email: input.invoicing_list, password: PASSWORD }));
    assert.equal(ok.error, "");
  });

  test("JSON-RPC reaches the same functions", async () => {
    const r = await jsonRpc(`${srv.url}/api/selfservice/jsonrpc`, "check_username", { username: `json${RUN}` });
    assert.equal(r.status, 200);
    assert.equal((r.body as { result: Struct }).result.available, 1);
  });
});
