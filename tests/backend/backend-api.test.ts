import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, orderTestPackage, type CustomerFixture, type World } from "../support/fixtures";
import { jsonRpc, pyXmlRpc, startRpcServer, type RpcServer } from "../support/rpc-server";
import { billCustomer } from "../../lib/billing/bill-customer";
import { getBalanceCents } from "../../lib/billing/balance";
import { queryRows } from "../../lib/db/rows";

const SECRET = "backend-shared-secret-for-tests-0123456789";

let t: TestDb;
let srv: RpcServer;
let world: World;
let url: string;
let billed: CustomerFixture;
let openInvnums: number[] = [];

type Struct = Record<string, unknown>;

async function api(method: string, args: Struct, opts: { flat?: boolean; secret?: string | null } = {}): Promise<Struct> {
  const withSecret = opts.secret === null ? args : { secret: opts.secret ?? SECRET, ...args };
  const r = await pyXmlRpc(url, `FS.API.${method}`, withSecret, { flat: opts.flat });
  assert.ok(r.ok, `XML-RPC ${method} failed: ${JSON.stringify(r)}`);
  return r.value as Struct;
}

/** Everything the back-office API can write, to prove a refused call wrote nothing. */
async function snapshot() {
  const [row] = await queryRows<Record<string, unknown>>(
    t.db,
    sql`SELECT (SELECT count(*)::int FROM cust_pay) AS pays, (SELECT count(*)::int FROM cust_credit) AS credits,
               (SELECT count(*)::int FROM cust_refund) AS refunds, (SELECT count(*)::int FROM cust_main) AS customers,
               (SELECT count(*)::int FROM cust_location) AS locations, (SELECT count(*)::int FROM cust_bill) AS invoices,
               (SELECT count(*)::int FROM cust_bill_pay) AS applications, (SELECT count(*)::int FROM cust_pay_refund) AS pay_refunds,
               (SELECT count(*)::int FROM cust_main_invoice) AS dests,
               (SELECT md5(string_agg(row_to_json(c)::text, '|' ORDER BY custnum)) FROM cust_main c) AS customers_hash,
               (SELECT md5(string_agg(row_to_json(p)::text, '|' ORDER BY pkgnum)) FROM cust_pkg p) AS packages_hash`,
  );
  return row;
}

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
  billed = await createTestCustomer(t.db, world);
  await orderTestPackage(t.db, billed.custnum, world.pkgparts.dslMonthly, { orderDate: new Date("2026-01-01T00:00:00Z") });
  for (let m = 0; m < 2; m++) openInvnums.push((await billCustomer(t.db, billed.custnum, { asOf: new Date(Date.UTC(2026, m, 1, 6)) })).invnum!);
  srv = await startRpcServer(t.url!, { PORTICO_BACKEND_SECRET: SECRET });
  url = `${srv.url}/api/backend/xmlrpc`;
});
after(async () => {
  await srv.close();
  await t.drop();
});

describe("shared secret", () => {
  test("a wrong or missing secret is refused by every method and writes nothing", async () => {
    const before = await snapshot();
    const calls: [string, Struct][] = [
      ["insert_payment", { custnum: billed.custnum, payby: "CASH", paid: "10.00" }],
      ["insert_credit", { custnum: billed.custnum, amount: "10.00" }],
      ["insert_refund", { custnum: billed.custnum, payby: "CASH", refund: "10.00" }],
      ["new_customer", { first: "Eve", last: "Intruder", address1: "1 Bad St", city: "Oakland", state: "CA", county: "Alameda", zip: "94607", country: "US" }],
      ["update_customer", { custnum: billed.custnum, first: "Hacked" }],
      ["customer_info", { custnum: billed.custnum }],
      ["location_info", { custnum: billed.custnum }],
      ["bill_now", { custnum: billed.custnum }],
    ];
    for (const [method, args] of calls) {
      // Wrong secrets are limited per address (tests/hardening/backend-secret.test.ts): start each method afresh.
      await t.db.execute(sql`DELETE FROM login_throttle WHERE key LIKE 'backend:%'`);
      assert.deepEqual(await api(method, args, { secret: "wrong" }), { error: "Incorrect shared secret" }, method);
      assert.deepEqual(await api(method, args, { secret: null }), { error: "Incorrect shared secret" }, method);
      assert.deepEqual(await api(method, args, { secret: `${SECRET}x`, flat: true }), { error: "Incorrect shared secret" }, method);
    }
    assert.deepEqual(await snapshot(), before);
  });
});

describe("insert_payment, insert_credit, insert_refund", () => {
  test("insert_payment as Freeside's scripts send it (flat list): applied oldest first", async () => {
    const balance = await getBalanceCents(t.db, billed.custnum);
    const r = await api("insert_payment", { custnum: billed.custnum, payby: "CASH", paid: "54.32", _date: 1397977200 }, { flat: true });
    assert.equal(r.error, "");
    const paynum = Number(r.paynum);
    assert.ok(paynum > 0);
    const [row] = await queryRows<{ paid: number; date: string; payby: string }>(
      t.db,
      sql`SELECT (paid * 100)::int AS paid, extract(epoch FROM _date)::bigint::text AS date, payby FROM cust_pay WHERE paynum = ${paynum}`,
    );
    assert.deepEqual({ ...row, paid: Number(row!.paid) }, { paid: 5432, date: "1397977200", payby: "CASH" });
    assert.equal(await getBalanceCents(t.db, billed.custnum), balance - 5432);
    const apps = await queryRows<{ invnum: number; amount: number }>(
      t.db,
      sql`SELECT invnum, (amount * 100)::int AS amount FROM cust_bill_pay WHERE paynum = ${paynum}`,
    );
    assert.deepEqual(
      apps.map((a) => [Number(a.invnum), Number(a.amount)]),
      [[openInvnums[0], 5432]],
    );
  });

  test("bad amounts, payment types, dates and customers are refused with a clear error and write nothing", async () => {
    const before = await snapshot();
    const cases: [Struct, RegExp][] = [
      [{ paid: "-5.00" }, /paid must be greater than 0/],
      [{ paid: "abc" }, /paid must be an amount such as 54\.32/],
      [{ paid: "1.234" }, /paid must be an amount/],
      [{ paid: "10.5" }, /paid must be an amount/],
      [{ paid: "0" }, /paid must be greater than 0/],
      [{ paid: "1e3" }, /paid must be an amount/],
      [{ paid: "" }, /paid is required/],
      [{ paid: 12.345 }, /paid must be an amount/],
      [{ paid: "10.00", payby: "GOLD" }, /payby must be one of/],
      [{ paid: "10.00", _date: "yesterday" }, /_date must be a UNIX timestamp/],
      [{ paid: "10.00", custnum: 987654 }, /^Unknown custnum$/],
      [{ paid: "10.00", custnum: "x" }, /custnum must be a number/],
    ];
    for (const [override, message] of cases) {
      const r = await api("insert_payment", { custnum: billed.custnum, payby: "CASH", ...override });
      assert.match(String(r.error), message, JSON.stringify(override));
      assert.deepEqual(Object.keys(r), ["error"]);
    }
    for (const amount of ["-1", "x", "0.001", "0.00"]) {
      assert.notEqual((await api("insert_credit", { custnum: billed.custnum, amount })).error, "");
      assert.notEqual((await api("insert_refund", { custnum: billed.custnum, payby: "CASH", refund: amount })).error, "");
    }
    assert.deepEqual(await snapshot(), before);
  });

  test("a repeated payunique is a duplicate transaction and writes once", async () => {
    const args = { custnum: billed.custnum, payby: "CHEK", paid: "1.00", payunique: "batch-77-line-3", payinfo: "123456789@021000021" };
    const first = await api("insert_payment", args);
    assert.equal(first.error, "");
    const before = await snapshot();
    const again = await api("insert_payment", args);
    assert.equal(again.error, "duplicate transaction - a payment with unique identifer batch-77-line-3 already exists");
    assert.deepEqual(await snapshot(), before);
    const [row] = await queryRows<{ paymask: string }>(t.db, sql`SELECT paymask FROM cust_pay WHERE paynum = ${Number(first.paynum)}`);
    assert.equal(row!.paymask, "xxxxx6789", "only the last four digits are kept");
  });

  test("insert_credit: applied to the open invoice, with its reason", async () => {
    const r = await api("insert_credit", { custnum: billed.custnum, amount: "10.00", reason: "Outage credit" });
    assert.equal(r.error, "");
    const [row] = await queryRows<{ reason: string; applied: number }>(
      t.db,
      sql`SELECT reason, (SELECT (sum(amount) * 100)::int FROM cust_credit_bill WHERE crednum = c.crednum) AS applied FROM cust_credit c WHERE crednum = ${Number(r.crednum)}`,
    );
    assert.equal(row!.reason, "Outage credit");
    assert.equal(Number(row!.applied), 1000);
  });

  test("the largest amounts a column holds go through (cents past 32 bits), one cent more is refused", async () => {
    const rich = await createTestCustomer(t.db, world);
    const credit = await api("insert_credit", { custnum: rich.custnum, amount: "99999999.99" });
    assert.equal(credit.error, "");
    assert.equal(await getBalanceCents(t.db, rich.custnum), -9_999_999_999);
    const pay = await api("insert_payment", { custnum: rich.custnum, payby: "CASH", paid: "99999999.99" });
    assert.equal(pay.error, "");
    const refund = await api("insert_refund", { custnum: rich.custnum, payby: "CASH", refund: "99999999.99", paynum: pay.paynum });
    assert.equal(refund.error, "");
    assert.notEqual((await api("insert_credit", { custnum: rich.custnum, amount: "100000000.00" })).error, "");
  });

  test("insert_refund: out of the customer's own payment, within what is unapplied", async () => {
    const other = await createTestCustomer(t.db, world);
    const pay = await api("insert_payment", { custnum: other.custnum, payby: "CASH", paid: "30.00" });
    const balance = await getBalanceCents(t.db, other.custnum);
    assert.equal(balance, -3000);

    const before = await snapshot();
    assert.match(String((await api("insert_refund", { custnum: billed.custnum, payby: "CASH", refund: "5.00", paynum: pay.paynum })).error), /^Unknown paynum/);
    assert.match(String((await api("insert_refund", { custnum: other.custnum, payby: "CASH", refund: "30.01", paynum: pay.paynum })).error), /exceeds/);
    assert.deepEqual(await snapshot(), before);

    const r = await api("insert_refund", { custnum: other.custnum, payby: "CASH", refund: "30.00", paynum: pay.paynum, reason: "Closing account" });
    assert.equal(r.error, "");
    assert.ok(Number(r.refundnum) > 0);
    assert.equal(await getBalanceCents(t.db, other.custnum), 0);
    assert.match(String((await api("insert_refund", { custnum: other.custnum, payby: "CASH", refund: "0.01", paynum: pay.paynum })).error), /exceeds/);
  });
});

describe("new_customer, update_customer, customer_info, location_info", () => {
  const newCust = {
    first: "Grace",
    last: "Hopper",
    company: "Navy & Co",
    address1: "10 Harbor Rd",
    city: "Oakland",
    county: "Alameda",
    state: "CA",
    zip: "94607",
    country: "US",
    daytime: "510-555-0111",
    invoicing_list: "grace@example.org, POST",
  };

  test("new_customer creates the customer; customer_info and location_info return Freeside's keys", async () => {
    const r = await api("new_customer", { ...newCust, agentnum: world.agentnum }, { flat: true });
    assert.equal(r.error, "");
    const custnum = Number(r.custnum);
    assert.ok(custnum > 0);

    const info = await api("customer_info", { custnum });
    assert.equal(info.error, "");
    assert.equal(info.name, "Grace Hopper");
    assert.equal(info.company, "Navy & Co");
    assert.equal(info.address1, "10 Harbor Rd");
    assert.equal(info.ship_address1, "10 Harbor Rd");
    assert.equal(info.invoicing_list, "grace@example.org");
    assert.equal(info.postal_invoicing, "1");
    assert.equal(info.balance, "0.00");
    assert.equal(info.agentnum, String(world.agentnum));
    assert.equal(info.display_custnum, String(custnum));
    for (const key of ["status", "statuscolor", "daytime", "night", "fax", "mobile", "referral_custnum", "comments", "city", "county", "state", "zip", "country"]) {
      assert.ok(key in info, `customer_info has ${key}`);
    }

    const loc = await api("location_info", { custnum });
    assert.equal(loc.error, "");
    const locations = loc.locations as Struct[];
    assert.equal(locations.length, 1);
    assert.equal(locations[0]!.address1, "10 Harbor Rd");
    assert.equal(locations[0]!.custnum, String(custnum));

    assert.deepEqual(await api("customer_info", { custnum: 987654 }), { error: "Unknown custnum" });
    assert.deepEqual(await api("location_info", { custnum: 987654 }), { error: "Unknown custnum" });
  });

  test("new_customer with bad or missing fields, or card details, writes nothing", async () => {
    const before = await snapshot();
    const cases: [Struct, RegExp][] = [
      [{ first: "" }, /first is required/],
      [{ address1: "" }, /Address is required/],
      [{ state: "ZZ" }, /state/i],
      [{ zip: "ABCDE" }, /zip/i],
      [{ invoicing_list: "not-an-email" }, /not a valid e-mail/],
      [{ agentnum: 424242 }, /Unknown agent/],
      [{ referral_custnum: 424242 }, /Unknown referral_custnum/],
      [{ payby: "CARD", payinfo: "4111111111111111", paydate: "12/2030" }, /not accepted/],
    ];
    for (const [override, message] of cases) {
      const r = await api("new_customer", { ...newCust, ...override });
      assert.match(String(r.error), message, JSON.stringify(override));
      assert.ok(!String(r.error).includes("4111111111111111"), "no card number in the error");
    }
    assert.deepEqual(await snapshot(), before);
  });

  test("update_customer: keys not passed are left alone, empty values clear, bad input changes nothing", async () => {
    const created = await api("new_customer", { ...newCust, invoicing_list: "ada@example.org", first: "Ada", last: "Lovelace" });
    const custnum = Number(created.custnum);

    const r = await api("update_customer", { custnum, daytime: "510-555-0199", company: "" }, { flat: true });
    assert.equal(r.error, "");
    let info = await api("customer_info", { custnum });
    assert.equal(info.daytime, "510-555-0199");
    assert.equal(info.company, "", "an empty value clears");
    assert.equal(info.first, "Ada", "a key not passed is left alone");
    assert.equal(info.address1, "10 Harbor Rd");
    assert.equal(info.invoicing_list, "ada@example.org");

    const moved = await api("update_customer", { custnum, address1: "400 Pine St", city: "Seattle", county: "King", state: "WA", zip: "98101", agentnum: world.otherAgentnum, referral_custnum: billed.custnum, comments: "VIP" });
    assert.equal(moved.error, "");
    info = await api("customer_info", { custnum });
    assert.equal(info.city, "Seattle");
    assert.equal(info.agentnum, String(world.otherAgentnum));
    assert.equal(info.referral_custnum, String(billed.custnum));
    assert.equal(info.comments, "VIP");
    assert.equal(info.first, "Ada");

    const before = await snapshot();
    const bad: [Struct, RegExp][] = [
      [{ custnum, first: "" }, /First name is required/],
      [{ custnum, daytime: "555-0100", zip: "ABC" }, /zip|ZIP|Postal/i],
      [{ custnum, comments: "changed", state: "ZZ" }, /state/i],
      [{ custnum, agentnum: 424242, daytime: "510-555-0100" }, /Unknown agent/],
      [{ custnum, agentnum: "" }, /agentnum can't be empty/],
      [{ custnum, referral_custnum: custnum }, /refer themselves/],
      [{ custnum, payby: "CARD", payinfo: "4111111111111111" }, /not accepted/],
      [{ custnum: 987654, first: "Nobody" }, /^Unknown custnum$/],
      [{ first: "Nobody" }, /custnum/],
    ];
    for (const [args, message] of bad) {
      const res = await api("update_customer", args);
      assert.match(String(res.error), message, JSON.stringify(args));
    }
    assert.deepEqual(await snapshot(), before);
  });
});

describe("bill_now", () => {
  test("bills a customer whose package is due, exactly once", async () => {
    const c = await createTestCustomer(t.db, world);
    await orderTestPackage(t.db, c.custnum, world.pkgparts.hosting, { orderDate: new Date(Date.now() - 86_400_000) });
    const count = async () => Number((await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM cust_bill WHERE custnum = ${c.custnum}`))[0]!.n);

    assert.deepEqual(await api("bill_now", { custnum: c.custnum }, { flat: true }), { error: "" });
    assert.equal(await count(), 1);
    assert.equal(await getBalanceCents(t.db, c.custnum), 995 + 102);

    assert.deepEqual(await api("bill_now", { custnum: c.custnum }), { error: "" });
    // JSON-RPC, flat params, same endpoint family.
    const j = await jsonRpc(`${srv.url}/api/backend/jsonrpc`, "bill_now", ["secret", SECRET, "custnum", String(c.custnum)]);
    assert.deepEqual((j.body as { result: Struct }).result, { error: "" });
    assert.equal(await count(), 1, "no second invoice");

    const before = await snapshot();
    assert.deepEqual(await api("bill_now", { custnum: 987654 }), { error: "Unknown custnum" });
    assert.match(String((await api("bill_now", {})).error), /custnum/);
    assert.deepEqual(await snapshot(), before);
  });
});
