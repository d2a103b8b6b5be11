import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
process.env.PORTICO_VAULT_KEY ??= randomBytes(32).toString("hex");
import { resetEnvForTests } from "../../lib/env";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, orderTestPackage, type World } from "../support/fixtures";
import { custBill, custPay, custPayPending } from "../../db/schema";
import { getBalanceCents } from "../../lib/billing/balance";
import { queryRows } from "../../lib/db/rows";
import { TestGateway, TEST_BANK, TEST_CARDS } from "../../lib/payments/gateway/test-gateway";
import type { PaymentGateway, SaleRequest } from "../../lib/payments/gateway/types";
import { insertPayby } from "../../lib/payments/payby";
import { billAndCollect, collectAutomatic, collectionKey } from "../../lib/payments/collect";

resetEnvForTests();

class CountingGateway extends TestGateway implements PaymentGateway {
  sales: SaleRequest[] = [];
  /** `holdMs`: the gateway answers this late (a race's first charge is still in flight meanwhile). */
  constructor(private readonly holdMs = 0) {
    super({ timeoutMs: 150 });
  }
  override async sale(req: SaleRequest) {
    this.sales.push(req);
    if (this.holdMs) await new Promise((r) => setTimeout(r, this.holdMs));
    return super.sale(req);
  }
}

let t: TestDb;
let world: World;
const YEAR = String(new Date().getUTCFullYear() + 2);
const ASOF = new Date(Date.now() - 3_600_000);

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
});
after(async () => {
  await t.drop();
});

async function customerWith(payby: Record<string, unknown> | null, opts: { now?: Date } = {}): Promise<number> {
  const { custnum } = await createTestCustomer(t.db, world);
  if (payby) await insertPayby(t.db, { custnum, input: payby, now: opts.now });
  await orderTestPackage(t.db, custnum, world.pkgparts.install, { orderDate: new Date(ASOF.getTime() - 60_000) });
  return custnum;
}

async function payments(custnum: number) {
  return t.db.select().from(custPay).where(eq(custPay.custnum, custnum));
}

describe("billing charges automatic methods", () => {
  test("CARD: the new invoice is charged through the payment path and closed; a rerun charges nothing", async () => {
    const custnum = await customerWith({ payby: "CARD", payinfo: TEST_CARDS.visa, paydate: `12/${YEAR}`, payname: "Auto Payer" });
    const gw = new CountingGateway();
    const r = await billAndCollect(t.db, custnum, { asOf: ASOF, deps: { gateway: gw } });
    assert.ok(r.invnum);
    assert.ok(r.totalCents > 9900);
    assert.equal(r.collect.status, "paid");
    assert.equal(r.collect.paybatch, collectionKey(r.invnum!));
    assert.equal(r.collect.amountCents, r.totalCents);
    const [inv] = await t.db.select().from(custBill).where(eq(custBill.invnum, r.invnum!));
    assert.equal(inv!.owed, 0);
    assert.equal(await getBalanceCents(t.db, custnum), 0);
    const pays = await payments(custnum);
    assert.equal(pays.length, 1);
    assert.equal(pays[0]!.payunique, `bill-${r.invnum}`);
    const [p] = await t.db.select().from(custPayPending).where(eq(custPayPending.payunique, `bill-${r.invnum}`));
    assert.equal(p!.invnum, r.invnum);
    // Billing again: nothing due, nothing charged.
    const again = await billAndCollect(t.db, custnum, { asOf: ASOF, deps: { gateway: gw } });
    assert.equal(again.invnum, null);
    assert.equal(again.collect.status, "nothing_due");
    assert.equal(gw.sales.length, 1);
  });

  test("a decline leaves the invoice open; collecting again for that invoice never charges twice", async () => {
    const custnum = await customerWith({ payby: "CARD", payinfo: TEST_CARDS.declined, paydate: `12/${YEAR}`, payname: "Declined Payer" });
    const gw = new CountingGateway();
    const r = await billAndCollect(t.db, custnum, { asOf: ASOF, deps: { gateway: gw } });
    assert.equal(r.collect.status, "declined");
    assert.equal(r.collect.message, "Payment declined: Card declined");
    const [inv] = await t.db.select().from(custBill).where(eq(custBill.invnum, r.invnum!));
    assert.equal(inv!.owed, inv!.charged, "the invoice stays open");
    assert.equal(await getBalanceCents(t.db, custnum), r.totalCents);
    const again = await collectAutomatic(t.db, custnum, { deps: { gateway: gw } });
    assert.equal(again.status, "declined");
    const twice = await Promise.all([collectAutomatic(t.db, custnum, { deps: { gateway: gw } }), collectAutomatic(t.db, custnum, { deps: { gateway: gw } })]);
    assert.deepEqual(twice.map((x) => x.status), ["declined", "declined"]);
    assert.equal(gw.sales.length, 1);
    assert.equal((await payments(custnum)).length, 0);
    const [p] = await t.db.select().from(custPayPending).where(eq(custPayPending.payunique, `bill-${r.invnum}`));
    assert.equal(p!.status, "declined");
  });

  test("concurrent collections of one invoice charge once", async () => {
    const custnum = await customerWith({ payby: "CARD", payinfo: TEST_CARDS.mastercard, paydate: `12/${YEAR}`, payname: "Race Payer" });
    // The gateway holds the first charge, so all five collections find the invoice owed before it
    // is paid (otherwise a late one may rightly find nothing due, and the race is not tested).
    const gw = new CountingGateway(500);
    const bill = await billAndCollect(t.db, custnum, { asOf: ASOF, deps: { gateway: new CountingGateway() } }).catch(() => null);
    // That run already paid; make a second invoice by hand and race five collections on it.
    assert.equal(bill?.collect.status, "paid");
    await t.db.insert(custBill).values({ custnum, date: new Date(), charged: 1234, owed: 1234 });
    const results = await Promise.all(Array.from({ length: 5 }, () => collectAutomatic(t.db, custnum, { deps: { gateway: gw } })));
    assert.ok(results.every((x) => x.status === "paid"), JSON.stringify(results.map((x) => x.status)));
    assert.equal(new Set(results.map((x) => x.payment!.paynum)).size, 1);
    assert.equal(gw.sales.length, 1);
    assert.equal((await payments(custnum)).length, 2);
    assert.equal(await getBalanceCents(t.db, custnum), 0);
  });

  test("CHEK is automatic too", async () => {
    const custnum = await customerWith({ payby: "CHEK", payinfo: `${TEST_BANK.approved}@${TEST_BANK.routing}`, payname: "Bank Payer", paytype: "Personal checking" });
    const r = await billAndCollect(t.db, custnum, { asOf: ASOF, deps: { gateway: new CountingGateway() } });
    assert.equal(r.collect.status, "paid");
    assert.equal((await payments(custnum))[0]!.payby.trim(), "CHEK");
    assert.equal(await getBalanceCents(t.db, custnum), 0);
  });

  test("on-demand methods (DCRD/DCHK) and expired cards are not charged; the invoice stays open", async () => {
    const dcrd = await customerWith({ payby: "DCRD", payinfo: TEST_CARDS.visa, paydate: `12/${YEAR}`, payname: "Manual Payer" });
    const gw = new CountingGateway();
    const r = await billAndCollect(t.db, dcrd, { asOf: ASOF, deps: { gateway: gw } });
    assert.equal(r.collect.status, "no_automatic_method");
    const expired = await customerWith({ payby: "CARD", payinfo: TEST_CARDS.visa, paydate: "01/2021", payname: "Expired Payer" }, { now: new Date("2020-06-01T00:00:00Z") });
    const r2 = await billAndCollect(t.db, expired, { asOf: ASOF, deps: { gateway: gw } });
    assert.equal(r2.collect.status, "no_automatic_method");
    const none = await customerWith(null);
    assert.equal((await billAndCollect(t.db, none, { asOf: ASOF, deps: { gateway: gw } })).collect.status, "no_automatic_method");
    assert.equal(gw.sales.length, 0);
    const [open] = await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM cust_bill WHERE custnum IN (${dcrd}, ${expired}, ${none}) AND owed > 0`);
    assert.equal(Number(open!.n), 3);
  });
});
