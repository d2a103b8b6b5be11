import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
process.env.PORTICO_VAULT_KEY ??= randomBytes(32).toString("hex");
process.env.AUTH_SECRET ??= "x".repeat(40);
import { createTestDb, type TestDb } from "../support/db";
import { createSignupWorld, PINS, type SignupWorld } from "./support/signup-world";
import { countChanges, tableCounts } from "./support/table-counts";
import {
  auditLog,
  contact,
  custBill,
  custLocation,
  custMain,
  custPay,
  custPayby,
  custPayPending,
  custPkg,
  prepayCredit,
  svcAcct,
  svcDomain,
  svcPhone,
  signupPending,
} from "../../db/schema";
import { billCustomer } from "../../lib/billing/bill-customer";
import { apiCustomerInfo, apiLocationInfo } from "../../lib/backend/api-customers";
import { lockCustomer } from "../../lib/backend/insert-money";
import { collectAutomatic } from "../../lib/payments/collect";
import { settlePending } from "../../lib/payments/process-payment";
import { checkUsername } from "../../lib/signup/check-username";
import { login } from "../../lib/auth/login";
import { resolveCustomerSession } from "../../lib/auth/sessions";
import { getBalanceCents } from "../../lib/billing/balance";
import { isAppError, type AppError } from "../../lib/errors";
import { TEST_BANK, TEST_CARDS, TestGateway } from "../../lib/payments/gateway/test-gateway";
import type { GatewayOutcome, LookupResult, PaymentGateway, RefundRequest, SaleRequest, VoidRequest } from "../../lib/payments/gateway/types";
import { newCustomer, type NewCustomerOptions } from "../../lib/signup/new-customer";
import { listSignupPackages, resolveSignupAgent } from "../../lib/signup/signup-info";
import { quoteFirstInvoice } from "../../lib/signup/quote";
import { SIGNUP_MESSAGES, SIGNUP_MSGCAT } from "../../lib/signup/signup-schema";

let t: TestDb;
let sw: SignupWorld;
const gateway = new TestGateway({ timeoutMs: 60 });
const YEAR = String(new Date().getUTCFullYear() + 2);
const PASSWORD = "Signup-pass-1";
const RUN = randomBytes(3).toString("hex");
let seq = 0;

before(async () => {
  t = await createTestDb();
  sw = await createSignupWorld(t.db);
});
after(async () => t.drop());

/** A complete new_customer input for the DSL package, paid by Visa (overridable). */
function person(over: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    first: "Sam",
    last: `Signup${seq}`,
    address1: `${seq} Main St`,
    city: "Oakland",
    county: "Alameda",
    state: "CA",
    zip: "94607",
    country: "US",
    daytime: "510 555 0100",
    invoicing_list: `sam${seq}.${RUN}@example.com`,
    pkgpart: sw.signup.dsl,
    username: `sam${seq}x${RUN}`,
    _password: PASSWORD,
    payby: "CARD",
    payinfo: TEST_CARDS.visa,
    paycvv: "123",
    month: "7",
    year: YEAR,
    payname: "Sam Signup",
    ...over,
  };
}

const signup = (input: Record<string, unknown>, opts: NewCustomerOptions = {}) => newCustomer(t.db, input, { gateway, ...opts });

function appError(e: unknown): AppError {
  assert.ok(isAppError(e), `expected an AppError, got ${String(e)}`);
  return e;
}

/** Runs a signup that must fail and checks that not one row of any table changed. */
async function failsLeavingNothing(input: Record<string, unknown>, check: (e: AppError) => void, opts: NewCustomerOptions = {}) {
  const before = await tableCounts(t.db);
  await assert.rejects(signup(input, opts), (e: unknown) => {
    check(appError(e));
    return true;
  });
  assert.deepEqual(countChanges(before, await tableCounts(t.db)), {}, "a failed signup must leave every table as it was");
}

// DSL Signup in Alameda county: 49.00 setup + 39.95 first month, 10.25 % tax (911.7375 → 9.12).
const DSL_TOTAL = 4900 + 3995 + 912;

describe("new_customer with a card", () => {
  test("one transaction makes everything, charges the first invoice, and the customer can log in both ways", async () => {
    const input = person();
    const r = await signup(input, { ip: null });
    assert.equal(r.replayed, false);
    assert.equal(r.signup_service, "svc_acct");
    assert.equal(r.username, input.username);
    assert.equal(r.domain, "isp.test");
    assert.equal(r.invoiceTotalCents, DSL_TOTAL);
    assert.equal(r.paidCents, DSL_TOTAL);
    assert.equal(r.balanceCents, 0);
    assert.ok(!JSON.stringify(r).includes(PASSWORD), "never echoes the password");

    const [cust] = await t.db.select().from(custMain).where(eq(custMain.custnum, r.custnum));
    assert.equal(cust!.agentnum, sw.agentnum);
    const [loc] = await t.db.select().from(custLocation).where(eq(custLocation.locationnum, cust!.billLocationnum!));
    assert.equal(loc!.county, "Alameda");
    const paybys = await t.db.select().from(custPayby).where(eq(custPayby.custnum, r.custnum));
    assert.equal(paybys.length, 1);
    assert.equal(paybys[0]!.payby, "CARD");
    assert.equal(paybys[0]!.paymask, "xxxxxxxxxxxx1111");
    assert.ok(!paybys[0]!.payinfo.includes(TEST_CARDS.visa), "the number is sealed in the vault");
    const [pkg] = await t.db.select().from(custPkg).where(eq(custPkg.custnum, r.custnum));
    assert.equal(pkg!.pkgpart, sw.signup.dsl);
    assert.ok(pkg!.setup, "billed: set up");
    const [acct] = await t.db.select().from(svcAcct).where(eq(svcAcct.svcnum, r.svcnum!));
    assert.equal(acct!.username, input.username);
    assert.notEqual(acct!.password, PASSWORD);
    const [inv] = await t.db.select().from(custBill).where(eq(custBill.custnum, r.custnum));
    assert.equal(inv!.charged, DSL_TOTAL);
    assert.equal(inv!.owed, 0);
    const [pay] = await t.db.select().from(custPay).where(eq(custPay.custnum, r.custnum));
    assert.equal(pay!.paid, DSL_TOTAL);
    assert.equal(pay!.payby.trim(), "CARD");
    const contacts = await t.db.select().from(contact).where(eq(contact.custnum, r.custnum));
    assert.equal(contacts.length, 1);
    assert.equal(contacts[0]!.selfserviceAccess, "Y");

    const byEmail = await login(t.db, { email: String(input.invoicing_list), password: PASSWORD });
    assert.equal(byEmail.custnum, r.custnum);
    assert.equal(byEmail.contactnum, r.contactnum);
    const byAccount = await login(t.db, { email: `${input.username}@isp.test`, password: PASSWORD });
    assert.equal(byAccount.custnum, r.custnum);
    assert.equal(byAccount.svcnum, r.svcnum);

    // The quote the form shows is the invoice the signup made.
    const ag = await resolveSignupAgent(t.db);
    const [dsl] = await listSignupPackages(t.db, ag, { pkgpart: sw.signup.dsl });
    const q = await quoteFirstInvoice(t.db, dsl!, { country: "US", state: "CA", county: "Alameda", city: "Oakland" });
    assert.equal(q.totalCents, DSL_TOTAL);
    assert.deepEqual(q.taxes, [{ name: "CA sales tax", cents: 912 }]);

    const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.custnum, r.custnum), eq(auditLog.action, "signup")));
    assert.equal(audits.length, 1);
    const detail = JSON.stringify(audits[0]!.detail);
    assert.ok(!detail.includes(TEST_CARDS.visa) && !detail.includes(PASSWORD), "the audit holds no secret");
  });

  test("DCRD (on demand) is stored as such and the first invoice is still charged now", async () => {
    const r = await signup(person({ payby: "DCRD", payinfo: TEST_CARDS.mastercard }));
    assert.equal(r.paidCents, DSL_TOTAL);
    const [pb] = await t.db.select().from(custPayby).where(eq(custPayby.custnum, r.custnum));
    assert.equal(pb!.payby, "DCRD");
    assert.equal(await getBalanceCents(t.db, r.custnum), 0);
  });

  test("a declined card: _decline with the reason, and nothing left behind", async () => {
    await failsLeavingNothing(person({ payinfo: TEST_CARDS.declined }), (e) => {
      assert.equal(e.code, "PAYMENT_DECLINED");
      assert.equal(e.message, "_decline");
      assert.deepEqual(e.fieldErrors, { payinfo: ["Card declined"] });
    });
  });

  test("a processing error and a time-out: a clear error, nothing left behind", async () => {
    await failsLeavingNothing(person({ payinfo: TEST_CARDS.processingError }), (e) => {
      assert.equal(e.code, "GATEWAY_ERROR");
      assert.match(e.message, /Processing error/);
    });
    await failsLeavingNothing(person({ payinfo: TEST_CARDS.timeout }), (e) => {
      assert.equal(e.code, "GATEWAY_ERROR");
      assert.match(e.message, /did not respond in time/);
    });
  });

  test("a card that fails the checks (Luhn, expiry, CVV) is refused before anything is written", async () => {
    await failsLeavingNothing(person({ payinfo: "4111111111111112" }), (e) => {
      assert.equal(e.code, "INVALID_INPUT");
      assert.equal(e.message, SIGNUP_MSGCAT.invalid_card);
      assert.ok(e.fieldErrors?.payinfo);
    });
    await failsLeavingNothing(person({ year: "2020" }), (e) => assert.equal(e.message, "Expired card"));
    await failsLeavingNothing(person({ payinfo: TEST_CARDS.amex, paycvv: "123" }), (e) => assert.match(e.message, /four digits/));
  });

  test("the same e-mail signs up fine after a decline", async () => {
    const input = person({ payinfo: TEST_CARDS.declined });
    await assert.rejects(signup(input));
    const r = await signup({ ...input, payinfo: TEST_CARDS.visa });
    assert.equal(r.paidCents, DSL_TOTAL);
  });
});

describe("new_customer with a bank account", () => {
  test("CHEK approves and charges; DCHK is stored on demand", async () => {
    const r = await signup(person({ payby: "CHEK", payinfo: undefined, payinfo1: TEST_BANK.approved, payinfo2: TEST_BANK.routing, payname: "First Bank", paytype: "Personal checking", paystate: "CA" }));
    assert.equal(r.paidCents, DSL_TOTAL);
    const [pb] = await t.db.select().from(custPayby).where(eq(custPayby.custnum, r.custnum));
    assert.equal(pb!.payby, "CHEK");
    assert.equal(pb!.paymask, "xxxxxxxxxx89@110000000");
    const r2 = await signup(person({ payby: "DCHK", payinfo: `${TEST_BANK.approved}@${TEST_BANK.routing}`, payname: "First Bank" }));
    const [pb2] = await t.db.select().from(custPayby).where(eq(custPayby.custnum, r2.custnum));
    assert.equal(pb2!.payby, "DCHK");
    assert.equal(r2.paidCents, DSL_TOTAL);
  });

  test("insufficient funds: _decline, nothing left behind", async () => {
    await failsLeavingNothing(person({ payby: "CHEK", payinfo: undefined, payinfo1: TEST_BANK.insufficientFunds, payinfo2: TEST_BANK.routing, payname: "First Bank" }), (e) => {
      assert.equal(e.message, "_decline");
      assert.deepEqual(e.fieldErrors, { payinfo1: ["Insufficient funds"] });
    });
  });
});

describe("new_customer billed, complimentary or prepaid", () => {
  test("BILL: the first invoice is made and owed, the purchase order number kept, nothing charged", async () => {
    const r = await signup(person({ payby: "BILL", payinfo: "PO-7781", paycvv: undefined, month: undefined, year: undefined }));
    assert.equal(r.paidCents, 0);
    assert.equal(r.balanceCents, DSL_TOTAL);
    const [cust] = await t.db.select().from(custMain).where(eq(custMain.custnum, r.custnum));
    assert.equal(cust!.poNumber, "PO-7781");
    assert.equal((await t.db.select().from(custPayby).where(eq(custPayby.custnum, r.custnum))).length, 0);
    assert.equal((await t.db.select().from(custPayPending).where(eq(custPayPending.custnum, r.custnum))).length, 0);
  });

  test("COMP: only where the package accepts it; a complimentary customer, no invoice", async () => {
    await failsLeavingNothing(person({ payby: "COMP" }), (e) => assert.equal(e.message, SIGNUP_MESSAGES.illegalPayby));
    const r = await signup(person({ pkgpart: sw.signup.comp, payby: "COMP" }));
    const [cust] = await t.db.select().from(custMain).where(eq(custMain.custnum, r.custnum));
    assert.equal(cust!.complimentary, "Y");
    assert.equal(r.invnum, null);
    assert.equal(r.balanceCents, 0);
  });

  test("PREPAY: the PIN's value becomes a credit on the first invoice and the PIN is used up", async () => {
    const r = await signup(person({ payby: "PREPAY", payinfo: PINS.twentyFive.toLowerCase() }));
    assert.equal(r.creditCents, 2500);
    assert.equal(r.paidCents, 0);
    assert.equal(r.balanceCents, DSL_TOTAL - 2500);
    const [inv] = await t.db.select().from(custBill).where(eq(custBill.custnum, r.custnum));
    assert.equal(inv!.owed, DSL_TOTAL - 2500);
    assert.equal((await t.db.select().from(prepayCredit).where(eq(prepayCredit.identifier, PINS.twentyFive))).length, 0);
    const big = await signup(person({ payby: "PREPAY", payinfo: PINS.hundred }));
    assert.equal(big.balanceCents, DSL_TOTAL - 10000, "what the card does not spend stays as credit");
  });

  test("a used, unknown or another agent's PIN: a clear error, nothing left behind", async () => {
    for (const pin of [PINS.twentyFive, "NO-SUCH-PIN", PINS.partnerOnly]) {
      await failsLeavingNothing(person({ payby: "PREPAY", payinfo: pin }), (e) => {
        assert.equal(e.code, "INVALID_INPUT");
        assert.equal(e.message, SIGNUP_MESSAGES.prepayUnknown);
        assert.deepEqual(e.fieldErrors, { payinfo: [SIGNUP_MESSAGES.prepayUnknown] });
      });
    }
    // The partner's own signups may use it.
    const r = await signup(person({ payby: "PREPAY", payinfo: PINS.partnerOnly }), { agentnum: sw.partnerAgentnum });
    assert.equal(r.agentnum, sw.partnerAgentnum);
    assert.equal(r.creditCents, 1000);
  });

  test("two signups racing for one PIN: exactly one gets it", async () => {
    const results = await Promise.allSettled([signup(person({ payby: "PREPAY", payinfo: PINS.race })), signup(person({ payby: "PREPAY", payinfo: PINS.race }))]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.equal(ok.length, 1);
    assert.equal(failed.length, 1);
    assert.equal(appError(failed[0]!.reason).message, SIGNUP_MESSAGES.prepayUnknown);
    assert.equal((await t.db.select().from(prepayCredit).where(eq(prepayCredit.identifier, PINS.race))).length, 0);
  });
});

describe("the service", () => {
  test("a taken username: a clear error and nothing left behind", async () => {
    const first = person();
    await signup(first);
    await failsLeavingNothing(person({ username: String(first.username).toUpperCase() }), (e) => {
      assert.equal(e.code, "CONFLICT");
      assert.deepEqual(Object.keys(e.fieldErrors ?? {}), ["username"]);
    });
  });

  test("an e-mail already used by a contact: a clear error and nothing left behind", async () => {
    const first = person();
    await signup(first);
    await failsLeavingNothing(person({ invoicing_list: String(first.invoicing_list).toUpperCase() }), (e) => {
      assert.equal(e.code, "CONFLICT");
      assert.ok(e.fieldErrors?.invoicing_list);
    });
  });

  test("a dial-up package needs an access number, and keeps the one chosen", async () => {
    await failsLeavingNothing(person({ pkgpart: sw.signup.dialup }), (e) => {
      assert.equal(e.message, SIGNUP_MSGCAT.no_access_number_selected);
      assert.ok(e.fieldErrors?.popnum);
    });
    const r = await signup(person({ pkgpart: sw.signup.dialup, popnum: String(sw.pops[1]) }));
    const [acct] = await t.db.select().from(svcAcct).where(eq(svcAcct.svcnum, r.svcnum!));
    assert.equal(acct!.popnum, sw.pops[1]);
  });

  test("an account without a password: Freeside's empty_password; a weak one: the policy", async () => {
    await failsLeavingNothing(person({ _password: "" }), (e) => assert.equal(e.message, SIGNUP_MSGCAT.empty_password));
    await failsLeavingNothing(person({ _password: "short" }), (e) => assert.match(e.message, /at least 8/));
    await failsLeavingNothing(person({ _password: PASSWORD, _password2: "Other-pass-1" }), (e) => assert.equal(e.message, SIGNUP_MSGCAT.passwords_dont_match));
    await failsLeavingNothing(person({ username: "postmaster" }), (e) => assert.equal(e.message, "That username is reserved"));
  });

  test("a phone line: number and PIN, and the customer logs in by phone + PIN", async () => {
    const phonenum = `510${String(5550000 + seq).slice(-7)}`;
    const r = await signup(person({ pkgpart: sw.signup.voip, username: undefined, phonenum, pin: "8642" }));
    assert.equal(r.signup_service, "svc_phone");
    assert.equal(r.phonenum, phonenum);
    const [ph] = await t.db.select().from(svcPhone).where(eq(svcPhone.svcnum, r.svcnum!));
    assert.notEqual(ph!.pin, "8642");
    const byPhone = await login(t.db, { username: phonenum, domain: "svc_phone", password: "8642" });
    assert.equal(byPhone.custnum, r.custnum);
  });

  test("a hosted domain", async () => {
    const domain = `site-${RUN}-${seq}.example`;
    const r = await signup(person({ pkgpart: sw.signup.hosting, username: undefined, domain }));
    assert.equal(r.signup_service, "svc_domain");
    const [d] = await t.db.select().from(svcDomain).where(eq(svcDomain.svcnum, r.svcnum!));
    assert.equal(d!.domain, domain);
  });
});

describe("input rules", () => {
  test("Freeside's messages: no package, an illegal payment type, a package not offered", async () => {
    await failsLeavingNothing(person({ pkgpart: "" }), (e) => assert.equal(e.message, SIGNUP_MESSAGES.selectPackage));
    await failsLeavingNothing(person({ payby: "CASH" }), (e) => assert.equal(e.message, SIGNUP_MESSAGES.illegalPayby));
    await failsLeavingNothing(person({ pkgpart: sw.signup.cardOnly, payby: "BILL" }), (e) => assert.equal(e.message, SIGNUP_MESSAGES.illegalPayby));
    await failsLeavingNothing(person({ pkgpart: sw.signup.notOffered }), (e) => assert.match(e.message, /Unknown package/));
    await failsLeavingNothing(person({ pkgpart: sw.pkgparts.otherAgentOnly }), (e) => assert.match(e.message, /Unknown package/));
  });

  test("new_customer needs an address; every text is bounded; the honeypot refuses bots", async () => {
    await failsLeavingNothing(person({ address1: "", city: "" }), (e) => {
      assert.equal(e.fieldErrors?.address1?.[0], "Address is required");
      assert.ok(e.fieldErrors?.city);
    });
    await failsLeavingNothing(person({ first: "x".repeat(81) }), (e) => assert.match(e.message, /at most 80/));
    await failsLeavingNothing(person({ zip: "ABCDE" }), (e) => assert.ok(e.fieldErrors?.zip));
    await failsLeavingNothing(person({ website: "http://spam.example" }), (e) => assert.equal(e.message, SIGNUP_MESSAGES.honeypot));
  });

  test("signups are limited per address (attempts count even when they fail)", async () => {
    const rule = { maxAttempts: 2, windowSeconds: 600 };
    const ip = `203.0.113.${seq % 200}`;
    await assert.rejects(signup(person({ payinfo: TEST_CARDS.declined }), { ip, throttle: rule }));
    await signup(person(), { ip, throttle: rule });
    await assert.rejects(signup(person(), { ip, throttle: rule }), (e: unknown) => {
      assert.equal(appError(e).code, "RATE_LIMITED");
      assert.ok((appError(e).retryAfterSeconds ?? 0) > 0);
      return true;
    });
  });
});

describe("new_customer_minimal", () => {
  test("no address, no package: an e-mail and a password make a contact who can log in, and a session", async () => {
    const email = `minimal.${RUN}@example.com`;
    const r = await signup({ first: "Min", last: "Imal", invoicing_list: email, _password: PASSWORD, payby: "BILL" }, { minimal: true });
    assert.ok(r.sessionToken);
    const s = await resolveCustomerSession(t.db, r.sessionToken);
    assert.equal(s?.custnum, r.custnum);
    assert.equal(r.invnum, null);
    const [cust] = await t.db.select().from(custMain).where(eq(custMain.custnum, r.custnum));
    assert.equal(cust!.billLocationnum, null);
    const l = await login(t.db, { email, password: PASSWORD });
    assert.equal(l.custnum, r.custnum);
  });

  test("with a package and a card: stored, provisioned, not billed yet (as in Freeside)", async () => {
    const r = await signup(person(), { minimal: true });
    assert.equal(r.invnum, null);
    assert.equal(r.paidCents, 0);
    assert.equal((await t.db.select().from(custPkg).where(eq(custPkg.custnum, r.custnum))).length, 1);
    assert.equal((await t.db.select().from(custPayby).where(eq(custPayby.custnum, r.custnum))).length, 1);
  });
});

describe("one submission, one customer", () => {
  test("the same key twice: the second gets the first's result; one customer, one charge", async () => {
    const input = person({ payunique: `form-${RUN}-a` });
    const a = await signup(input);
    const b = await signup(input);
    assert.equal(b.replayed, true);
    assert.equal(b.custnum, a.custnum);
    assert.equal(b.svcnum, a.svcnum);
    const pays = await t.db.select().from(custPay).where(eq(custPay.custnum, a.custnum));
    assert.equal(pays.length, 1);
  });

  test("the same key at the same moment: one customer", async () => {
    const input = person({ payunique: `form-${RUN}-b` });
    const before = (await t.db.select({ n: sql<number>`count(*)::int` }).from(custMain))[0]!.n;
    const [a, b] = await Promise.all([signup(input), signup(input)]);
    assert.equal(a.custnum, b.custnum);
    assert.equal([a.replayed, b.replayed].filter(Boolean).length, 1);
    const after = (await t.db.select({ n: sql<number>`count(*)::int` }).from(custMain))[0]!.n;
    assert.equal(after, before + 1);
    assert.equal((await t.db.select().from(custPayPending).where(eq(custPayPending.custnum, a.custnum))).length, 1, "one charge attempt");
    assert.equal((await t.db.select().from(custPay).where(eq(custPay.custnum, a.custnum))).length, 1, "one payment");
  });
});

/** The test gateway, watched: records voids; can answer sales with "no idea" and lookups with "can't tell". */
class WatchedGateway implements PaymentGateway {
  readonly name = "test";
  readonly timeoutMs = 60;
  voids: VoidRequest[] = [];
  constructor(private readonly inner: TestGateway, private readonly mode: "normal" | "unknown" = "normal") {}
  async sale(req: SaleRequest): Promise<GatewayOutcome> {
    if (this.mode === "unknown") return { status: "error", message: "The payment gateway did not respond in time", timedOut: true };
    return this.inner.sale(req);
  }
  refund(req: RefundRequest) {
    return this.inner.refund(req);
  }
  async void(req: VoidRequest) {
    this.voids.push(req);
    return this.inner.void(req);
  }
  async lookup(reference: string): Promise<LookupResult> {
    return this.mode === "unknown" ? { kind: "unsupported" } : this.inner.lookup(reference);
  }
}

/** The test gateway with its sales held at a gate until released (a slow processor). */
class GatedGateway implements PaymentGateway {
  readonly name = "test";
  readonly timeoutMs: number;
  sales = 0;
  private release!: () => void;
  private readonly gate = new Promise<void>((r) => (this.release = r));
  private entered!: () => void;
  /** Resolves when the first sale reaches the gateway. */
  readonly reached = new Promise<void>((r) => (this.entered = r));
  constructor(private readonly inner: TestGateway) {
    this.timeoutMs = inner.timeoutMs;
  }
  async sale(req: SaleRequest): Promise<GatewayOutcome> {
    this.sales++;
    this.entered();
    await this.gate;
    return this.inner.sale(req);
  }
  open() {
    this.release();
  }
  refund(req: RefundRequest) {
    return this.inner.refund(req);
  }
  void(req: VoidRequest) {
    return this.inner.void(req);
  }
  lookup(reference: string) {
    return this.inner.lookup(reference);
  }
}

async function canLogIn(email: string): Promise<boolean> {
  return login(t.db, { email, password: PASSWORD }).then(
    () => true,
    (e: unknown) => {
      assert.equal(appError(e).code, "INVALID_CREDENTIALS");
      return false;
    },
  );
}

describe("the charge runs after the commit, the customer is active only once it is paid (issue 22 §10)", () => {
  test("during the charge the half-made customer cannot log in, is not billed, and its username is taken; then it is activated", async () => {
    const gated = new GatedGateway(gateway);
    const input = person({ payunique: `form-${RUN}-gated` });
    const running = signup(input, { gateway: gated });
    await gated.reached;
    // The customer, its attempt and its not-yet-active mark are committed: no transaction is open.
    const [held] = await t.db.select().from(signupPending).orderBy(sql`custnum DESC`).limit(1);
    assert.ok(held, "a not-yet-active signup is recorded");
    const [locks] = await t.db.execute(sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`) as unknown as { n: number }[];
    assert.equal(Number(locks!.n), 0, "no transaction is open while the gateway runs");
    assert.equal(await canLogIn(String(input.invoicing_list)), false, "no login by e-mail");
    assert.equal(await canLogIn(`${input.username}@isp.test`), false, "no login by account");
    const check = await checkUsername(t.db, { username: String(input.username) });
    assert.equal(check.available, false, "the username is taken while the signup is charging");
    assert.deepEqual(await billCustomer(t.db, held!.custnum, { asOf: new Date(Date.now() + 400 * 86_400_000) }), { invnum: null, totalCents: 0 }, "not billed by a run");
    assert.equal((await collectAutomatic(t.db, held!.custnum, { deps: { gateway } })).status, "nothing_due", "not collected by a run");
    // The back-office API does not know it yet either.
    await assert.rejects(apiCustomerInfo(t.db, held!.custnum), (e: unknown) => appError(e).code === "NOT_FOUND");
    await assert.rejects(apiLocationInfo(t.db, held!.custnum), (e: unknown) => appError(e).code === "NOT_FOUND");
    await assert.rejects(t.db.transaction((tx) => lockCustomer(tx, held!.custnum)), (e: unknown) => appError(e).code === "NOT_FOUND");
    // A second signup with the same username (another form) is refused clearly, at once.
    await assert.rejects(signup(person({ username: input.username }), { gateway }), (e: unknown) => {
      assert.equal(appError(e).code, "CONFLICT");
      assert.ok(appError(e).fieldErrors?.username);
      return true;
    });
    // The same form sent again waits for the first and gets its result.
    const twin = signup(input, { gateway: gated });
    gated.open();
    const [r, r2] = await Promise.all([running, twin]);
    assert.equal(r.paidCents, DSL_TOTAL);
    assert.equal(r2.custnum, r.custnum);
    assert.equal(r2.replayed, true);
    assert.equal(gated.sales, 1, "one charge");
    assert.equal(await canLogIn(String(input.invoicing_list)), true);
    assert.equal(await canLogIn(`${input.username}@isp.test`), true);
    assert.equal((await t.db.select().from(signupPending).where(eq(signupPending.custnum, r.custnum))).length, 0);
  });

  test("a decline removes everything it made: the username and e-mail are free, the same username signs up again", async () => {
    const input = person({ payinfo: TEST_CARDS.declined });
    await failsLeavingNothing(input, (e) => assert.equal(e.message, "_decline"));
    assert.equal((await checkUsername(t.db, { username: String(input.username) })).available, true);
    const r = await signup(person({ username: input.username, invoicing_list: input.invoicing_list }));
    assert.equal(r.paidCents, DSL_TOTAL);
    assert.equal(r.username, input.username);
    assert.equal(await canLogIn(String(input.invoicing_list)), true);
  });

  test("a slow gateway that times out: the username is taken during the charge, free afterwards", async () => {
    const slow = new TestGateway({ timeoutMs: 700 });
    const input = person({ payinfo: TEST_CARDS.timeout });
    const before = await tableCounts(t.db);
    const running = signup(input, { gateway: slow });
    let sawTaken = false;
    for (let i = 0; i < 40 && !sawTaken; i++) {
      await new Promise((r) => setTimeout(r, 25));
      sawTaken = !(await checkUsername(t.db, { username: String(input.username) })).available;
      if (sawTaken) assert.equal(await canLogIn(`${input.username}@isp.test`), false);
    }
    assert.ok(sawTaken, "the username was taken while the signup was charging");
    await assert.rejects(running, (e: unknown) => appError(e).code === "GATEWAY_ERROR");
    const { login_throttle: _tried, ...changes } = countChanges(before, await tableCounts(t.db));
    assert.deepEqual(changes, {}, "nothing left but the failed login's throttle row");
    assert.equal((await checkUsername(t.db, { username: String(input.username) })).available, true);
  });
});

describe("a failure after the charge", () => {
  test("approved, then a crash before activation: invisible until the settle path (npm run bill, server start) activates it; charged once", async () => {
    const input = person({ payunique: `form-${RUN}-crash` });
    await assert.rejects(
      signup(input, {
        faults: {
          afterCharge: () => {
            throw new Error("simulated crash");
          },
        },
      }),
      /simulated crash/,
    );
    const [held] = await t.db.select().from(signupPending).orderBy(sql`custnum DESC`).limit(1);
    assert.ok(held, "left not yet active");
    assert.equal(await canLogIn(String(input.invoicing_list)), false);
    const settled = await settlePending(t.db, { gateway });
    assert.deepEqual(settled.signups, [{ custnum: held!.custnum, result: "activated" }]);
    assert.equal(await canLogIn(String(input.invoicing_list)), true);
    assert.equal((await t.db.select().from(custPay).where(eq(custPay.custnum, held!.custnum))).length, 1);
    const replay = await signup(input);
    assert.equal(replay.custnum, held!.custnum);
    assert.equal(replay.replayed, true);
    assert.equal((await t.db.select().from(custPay).where(eq(custPay.custnum, held!.custnum))).length, 1, "charged once");
  });

  test("approved, then a crash before activation: the same form sent again finishes it", async () => {
    const input = person({ payunique: `form-${RUN}-crash2` });
    await assert.rejects(signup(input, { faults: { afterCharge: () => Promise.reject(new Error("simulated crash")) } }), /simulated crash/);
    const r = await signup(input);
    assert.equal(r.replayed, true);
    assert.equal(r.paidCents, DSL_TOTAL);
    assert.equal(await canLogIn(String(input.invoicing_list)), true);
    assert.equal((await t.db.select().from(custPay).where(eq(custPay.custnum, r.custnum))).length, 1);
  });

  test("the gateway cannot say whether it charged: nothing is created, one audit row (no customer) keeps the reference", async () => {
    const watched = new WatchedGateway(gateway, "unknown");
    const before = await tableCounts(t.db);
    await assert.rejects(signup(person({ payunique: `form-${RUN}-unknown` }), { gateway: watched }), (e: unknown) => appError(e).code === "GATEWAY_ERROR");
    assert.deepEqual(countChanges(before, await tableCounts(t.db)), { audit_log: 1 });
    const [row] = await t.db.select().from(auditLog).where(sql`${auditLog.detail}->>'outcome' = 'charge_outcome_unknown'`).orderBy(sql`auditnum DESC`).limit(1);
    assert.equal(row!.custnum, null);
    assert.match(String((row!.detail as Record<string, unknown>).reference), /^signup-\d+-[0-9a-f]{24}$/);
    assert.equal(watched.voids.length, 0);
  });
});
