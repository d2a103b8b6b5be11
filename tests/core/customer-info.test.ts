import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, orderTestPackage, type World } from "../support/fixtures";
import { getCustomerInfo } from "../../lib/customers/customer-info";
import { editCustomerInfo } from "../../lib/customers/edit-info";
import { toFreesideCustomerInfo } from "../../lib/customers/freeside-customer-info";
import { queryRows } from "../../lib/db/rows";
import { isAppError } from "../../lib/errors";
import { suspendPackage, cancelPackage } from "../../lib/packages/package-state";

let t: TestDb;
let world: World;

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
});
after(() => t.drop());

/** Everything edit_info may touch, to prove a failed edit changed nothing. */
async function snapshot(custnum: number) {
  return queryRows(
    t.db,
    sql`SELECT row_to_json(c)::text AS cust,
               (SELECT count(*)::int FROM cust_location WHERE custnum = ${custnum}) AS locations,
               (SELECT string_agg(dest, ',' ORDER BY dest) FROM cust_main_invoice WHERE custnum = ${custnum}) AS dests,
               (SELECT count(*)::int FROM audit_log WHERE custnum = ${custnum}) AS audits
          FROM cust_main c WHERE custnum = ${custnum}`,
  );
}

async function rejects(p: Promise<unknown>, code: string, field?: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAppError(e), `expected AppError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (field) assert.ok(e.fieldErrors?.[field], `expected a field error on ${field}, got ${JSON.stringify(e.fieldErrors)}`);
    return true;
  });
}

describe("customer_info", () => {
  test("one customer's account: address, destinations, packages with services, status", async () => {
    const c = await createTestCustomer(t.db, world, { company: "Acme & Sons", daytime: "510-555-0100" });
    const { pkgnum } = await orderTestPackage(t.db, c.custnum, world.pkgparts.dslMonthly, {
      service: { svcdb: "svc_acct", username: `user${c.custnum}`, password: "Sup3r-secret!" },
    });
    const hosting = await orderTestPackage(t.db, c.custnum, world.pkgparts.hosting, { service: { svcdb: "svc_domain", domain: `c${c.custnum}.example` } });
    await t.db.transaction((tx) => suspendPackage(tx, c.custnum, hosting.pkgnum));

    const info = await getCustomerInfo(t.db, c.custnum);
    assert.equal(info.custnum, c.custnum);
    assert.equal(info.company, "Acme & Sons");
    assert.equal(info.billLocation?.county, "Alameda");
    assert.equal(info.shipLocation, null, "ship = bill");
    assert.deepEqual(info.invoiceEmails, [c.email]);
    assert.equal(info.balanceCents, 0);
    assert.deepEqual(info.openInvoices, []);
    assert.equal(info.packages.length, 2);
    const dsl = info.packages.find((p) => p.pkgnum === pkgnum)!;
    assert.equal(dsl.status, "not yet billed");
    assert.equal(dsl.recurFeeCents, 3995);
    assert.deepEqual(dsl.services.map((s) => s.value), [`user${c.custnum}@isp.test`]);
    assert.equal(info.packages.find((p) => p.pkgnum === hosting.pkgnum)!.status, "on hold");
    assert.equal(info.status, "ordered");

    const fs = toFreesideCustomerInfo(info, { svcnum: null });
    assert.equal(fs.name, `Test ${info.last}`);
    assert.equal(fs.balance, "0.00");
    assert.equal(fs.city, "Oakland");
    assert.equal(fs.ship_city, "Oakland");
    assert.equal(fs.invoicing_list, c.email);
    assert.equal(fs.status, "Ordered");
    assert.match(String(fs.small_custview), /Acme &amp; Sons/, "HTML is escaped");
  });

  test("cancelled packages are listed last; all cancelled → cancelled status", async () => {
    const c = await createTestCustomer(t.db, world);
    const a = await orderTestPackage(t.db, c.custnum, world.pkgparts.hosting, { service: "none" });
    await t.db.transaction((tx) => cancelPackage(tx, c.custnum, a.pkgnum));
    const info = await getCustomerInfo(t.db, c.custnum);
    assert.equal(info.packages[0]!.status, "cancelled");
    assert.equal(info.status, "cancelled");
  });

  test("an unknown customer is not found", async () => {
    await rejects(getCustomerInfo(t.db, 987654), "NOT_FOUND");
  });
});

describe("edit_info", () => {
  test("changes contact fields and moves the address to a new location", async () => {
    const c = await createTestCustomer(t.db, world);
    const before = await getCustomerInfo(t.db, c.custnum);
    const r = await editCustomerInfo(t.db, c.custnum, {
      first: "Ada",
      daytime: "(206) 555-0199",
      company: "",
      address1: "400 Pine St",
      city: "Seattle",
      state: "WA",
      county: "King",
      zip: "98101",
      country: "US",
      invoicing_list: "ada@example.net, POST",
    });
    assert.ok(r.changed.includes("address"));
    const info = await getCustomerInfo(t.db, c.custnum);
    assert.equal(info.first, "Ada");
    assert.equal(info.last, before.last, "a key not sent is left alone");
    assert.equal(info.daytime, "(206) 555-0199");
    assert.equal(info.billLocation?.city, "Seattle");
    assert.notEqual(info.billLocation?.locationnum, before.billLocation?.locationnum, "a new cust_location");
    assert.equal(info.shipLocation, null, "ship followed bill");
    assert.deepEqual(info.invoiceEmails, ["ada@example.net"]);
    assert.equal(info.postalInvoice, true);
  });

  test("a partial address is merged with the current one (RPC style)", async () => {
    const c = await createTestCustomer(t.db, world);
    await editCustomerInfo(t.db, c.custnum, { address2: "Apt 5" });
    const info = await getCustomerInfo(t.db, c.custnum);
    assert.equal(info.billLocation?.address2, "Apt 5");
    assert.equal(info.billLocation?.city, "Oakland");
  });

  test("a separate ship address, then all-empty ship_* means same as billing", async () => {
    const c = await createTestCustomer(t.db, world);
    await editCustomerInfo(t.db, c.custnum, { ship_address1: "1 Dock Rd", ship_city: "Portland", ship_state: "OR", ship_zip: "97201", ship_country: "US", ship_county: "" });
    let info = await getCustomerInfo(t.db, c.custnum);
    assert.equal(info.shipLocation?.city, "Portland");
    assert.equal(info.billLocation?.city, "Oakland");
    await editCustomerInfo(t.db, c.custnum, { ship_address1: "", ship_city: "", ship_state: "", ship_zip: "", ship_country: "" });
    info = await getCustomerInfo(t.db, c.custnum);
    assert.equal(info.shipLocation, null);
  });

  test("no change → no new location and no audit row", async () => {
    const c = await createTestCustomer(t.db, world);
    const s0 = await snapshot(c.custnum);
    const r = await editCustomerInfo(t.db, c.custnum, { city: "Oakland", zip: "94607", country: "US", state: "CA", county: "Alameda" });
    assert.deepEqual(r.changed, []);
    assert.deepEqual(await snapshot(c.custnum), s0);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ["a bad US ZIP", { zip: "ABCDE", first: "Changed" }, "zip"],
    ["a bad postcode after a country change", { country: "CA", state: "ON", county: "", zip: "90210", first: "Changed" }, "zip"],
    ["a state not in the region list", { state: "ZZ", county: "", zip: "94607", first: "Changed" }, "state"],
    ["a county of another state", { state: "WA", county: "Alameda", zip: "98101", first: "Changed" }, "county"],
    ["a country not served", { country: "FR", state: "", county: "", zip: "75001", first: "Changed" }, "country"],
    ["an empty first name", { first: "" }, "first"],
    ["an empty required address line", { address1: "  ", first: "Changed" }, "address1"],
    ["a bad invoice e-mail", { invoicing_list: "ok@example.com, not-an-email", first: "Changed" }, "invoicing_list"],
    ["a bad phone number", { daytime: "call me maybe", first: "Changed" }, "daytime"],
    ["an over-long company", { company: "x".repeat(81), first: "Changed" }, "company"],
    ["a bad ship postcode", { ship_address1: "1 Dock Rd", ship_city: "Portland", ship_state: "OR", ship_zip: "nope", ship_country: "US" }, "ship_zip"],
  ];
  for (const [what, input, field] of bad) {
    test(`${what} → field error on ${field}, nothing saved`, async () => {
      const c = await createTestCustomer(t.db, world);
      const s0 = await snapshot(c.custnum);
      await rejects(editCustomerInfo(t.db, c.custnum, input), "INVALID_INPUT", field);
      assert.deepEqual(await snapshot(c.custnum), s0);
    });
  }

  test("editing only ever touches the given customer", async () => {
    const a = await createTestCustomer(t.db, world);
    const b = await createTestCustomer(t.db, world);
    const sb = await snapshot(b.custnum);
    await editCustomerInfo(t.db, a.custnum, { first: "Only-A", city: "Berkeley" });
    assert.deepEqual(await snapshot(b.custnum), sb);
    await rejects(editCustomerInfo(t.db, 987654, { first: "X" }), "NOT_FOUND");
  });
});
