import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
process.env.PORTICO_VAULT_KEY ??= randomBytes(32).toString("hex");
import { runNodeScript } from "../support/run-script";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, orderTestPackage, type World } from "../support/fixtures";
import { pyXmlRpc, startRpcServer, type RpcServer } from "../support/rpc-server";
import { custBill, custPay, custPayPending } from "../../db/schema";
import { getBalanceCents } from "../../lib/billing/balance";
import { queryRows } from "../../lib/db/rows";
import { TEST_BANK, TEST_CARDS } from "../../lib/payments/gateway/test-gateway";
import { insertPayby } from "../../lib/payments/payby";

/**
 * The two ways billing runs outside a customer's session charge automatic methods:
 * the back-office `bill_now` (Freeside's bill_and_collect) and the daily `npm run bill`.
 */
const SECRET = "backend-shared-secret-for-bill-runs-0123456789";
const YEAR = String(new Date().getUTCFullYear() + 2);
const DAY = 86_400_000;

let t: TestDb;
let world: World;
let srv: RpcServer;

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
  srv = await startRpcServer(t.url!, { PORTICO_BACKEND_SECRET: SECRET });
});
after(async () => {
  await srv.close();
  await t.drop();
});

async function customer(payby: Record<string, unknown>[], opts: { due?: boolean } = {}): Promise<number> {
  const { custnum } = await createTestCustomer(t.db, world);
  for (const p of payby) await insertPayby(t.db, { custnum, input: p });
  if (opts.due !== false) await orderTestPackage(t.db, custnum, world.pkgparts.hosting, { orderDate: new Date(Date.now() - DAY) });
  return custnum;
}

const card = (number: string, payby = "CARD", name = "Auto Payer") => ({ payby, payinfo: number, paydate: `12/${YEAR}`, payname: name });

async function pays(custnum: number) {
  return t.db.select().from(custPay).where(eq(custPay.custnum, custnum));
}
async function invoices(custnum: number) {
  return t.db.select().from(custBill).where(eq(custBill.custnum, custnum));
}

async function billNow(custnum: number): Promise<Record<string, unknown>> {
  const r = await pyXmlRpc(`${srv.url}/api/backend/xmlrpc`, "FS.API.bill_now", { secret: SECRET, custnum: String(custnum) }, { flat: true });
  assert.ok(r.ok, JSON.stringify(r));
  return r.value as Record<string, unknown>;
}

describe("bill_now bills and collects (Freeside's bill_and_collect)", () => {
  test("the first automatic method by weight is charged, once; on-demand methods are skipped", async () => {
    // DCRD first in line, then the Mastercard (CARD), then a CHEK: the Mastercard is charged.
    const custnum = await customer([card(TEST_CARDS.visa, "DCRD"), card(TEST_CARDS.mastercard), { payby: "CHEK", payinfo: `${TEST_BANK.approved}@${TEST_BANK.routing}`, payname: "Bank" }]);
    assert.deepEqual(await billNow(custnum), { error: "" });
    const [inv] = await invoices(custnum);
    assert.ok(inv);
    assert.equal(inv.owed, 0, "the new invoice is paid");
    const p = await pays(custnum);
    assert.equal(p.length, 1);
    assert.equal(p[0]!.paymask, "xxxxxxxxxxxx4444");
    assert.equal(p[0]!.payunique, `bill-${inv.invnum}`);
    assert.equal(await getBalanceCents(t.db, custnum), 0);
    // Again: nothing due, nothing charged.
    assert.deepEqual(await billNow(custnum), { error: "" });
    assert.equal((await invoices(custnum)).length, 1);
    assert.equal((await pays(custnum)).length, 1);
  });

  test("a decline is not an API error: the invoice stays open and the attempt is kept as declined", async () => {
    const custnum = await customer([card(TEST_CARDS.declined)]);
    assert.deepEqual(await billNow(custnum), { error: "" });
    const [inv] = await invoices(custnum);
    assert.equal(inv!.owed, inv!.charged);
    assert.equal((await pays(custnum)).length, 0);
    const [pp] = await t.db.select().from(custPayPending).where(eq(custPayPending.payunique, `bill-${inv!.invnum}`));
    assert.equal(pp!.status, "declined");
    // Again: the same invoice's attempt is not retried (no second sale), still no payment.
    assert.deepEqual(await billNow(custnum), { error: "" });
    assert.equal((await t.db.select().from(custPayPending).where(eq(custPayPending.custnum, custnum))).length, 1);
  });

  test("unknown customers are still refused, and nothing is written", async () => {
    const before = await queryRows<{ n: number }>(t.db, sql`SELECT (SELECT count(*) FROM cust_pay_pending) + (SELECT count(*) FROM cust_bill) AS n`);
    assert.deepEqual(await billNow(987654), { error: "Unknown custnum" });
    const afterRows = await queryRows<{ n: number }>(t.db, sql`SELECT (SELECT count(*) FROM cust_pay_pending) + (SELECT count(*) FROM cust_bill) AS n`);
    assert.equal(Number(afterRows[0]!.n), Number(before[0]!.n));
  });
});

function runBillScript() {
  return runNodeScript(["scripts/bill.ts"], { DATABASE_URL: t.url!, PORTICO_VAULT_KEY: process.env.PORTICO_VAULT_KEY! });
}

describe("npm run bill", () => {
  test("resolves crash-left attempts first, bills and collects, counts collections and declines; a rerun charges nothing", async () => {
    const good = await customer([card(TEST_CARDS.visa)]);
    const bad = await customer([card(TEST_CARDS.declined)]);
    const manual = await customer([card(TEST_CARDS.visa, "DCRD")]);
    // An invoice made earlier that was never collected (a run interrupted after billing): collected now.
    const late = await customer([card(TEST_CARDS.mastercard)], { due: false });
    const [lateInv] = await t.db.insert(custBill).values({ custnum: late, date: new Date(Date.now() - DAY), charged: 1234, owed: 1234 }).returning();
    // Crash-left attempts of another customer: one captured (approved, payment not written), one
    // pending for long (never answered) — the first becomes one payment, the second is not charged.
    const crashed = await customer([], { due: false });
    await t.db.insert(custPayPending).values([
      { custnum: crashed, paid: 500, payby: "CARD", paymask: "xxxxxxxxxxxx1111", payunique: "crash-captured-1", status: "captured", auth: "A1", orderNumber: "TEST-X", processor: "test" },
      { custnum: crashed, paid: 700, payby: "CARD", paymask: "xxxxxxxxxxxx1111", payunique: "crash-pending-1", status: "pending", processor: "test", updatedAt: new Date(Date.now() - 3_600_000) },
    ]);

    const run = await runBillScript();
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /Resolved 2 unfinished payment attempt\(s\) left by an interrupted run: 1 recorded as payment\(s\), 1 not charged/);
    assert.match(run.stdout, /Done in [\d.]+s: 4 customer\(s\) checked, 3 customer\(s\) billed, 3 invoice\(s\), total \$[\d,.]+; 2 collected \(\$[\d,.]+\), 1 declined/);
    assert.match(run.stderr, new RegExp(`customer ${bad}: automatic payment declined .*Card declined`));
    assert.doesNotMatch(run.stdout + run.stderr, /4111|4000000000000002|5555555555554444/, "no card number in the output");

    assert.equal((await pays(good)).length, 1);
    assert.equal(await getBalanceCents(t.db, good), 0);
    assert.equal((await pays(bad)).length, 0);
    assert.ok((await getBalanceCents(t.db, bad)) > 0, "the declined invoice stays open");
    assert.equal((await pays(manual)).length, 0, "on-demand methods are not charged");
    assert.ok((await getBalanceCents(t.db, manual)) > 0);
    const latePays = await pays(late);
    assert.equal(latePays.length, 1);
    assert.equal(latePays[0]!.payunique, `bill-${lateInv!.invnum}`);
    const crashedPays = await pays(crashed);
    assert.deepEqual(crashedPays.map((p) => [p.paid, p.payunique]), [[500, "crash-captured-1"]]);
    const [stuck] = await t.db.select().from(custPayPending).where(eq(custPayPending.payunique, "crash-pending-1"));
    assert.equal(stuck!.status, "error");

    // A second run the same day: nothing due, nothing to collect, nothing charged again.
    const again = await runBillScript();
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /Resolved/);
    assert.match(again.stdout, /0 customer\(s\) with something due or to collect/);
    assert.equal((await pays(good)).length, 1);
    assert.equal((await pays(late)).length, 1);
    assert.equal((await pays(crashed)).length, 1);
  });
});
