import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { and, eq, sql } from "drizzle-orm";
process.env.PORTICO_VAULT_KEY ??= randomBytes(32).toString("hex");
import { resetEnvForTests } from "../../lib/env";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, type World } from "../support/fixtures";
import { custBill, custPay, custPayPending } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { getBalanceCents } from "../../lib/billing/balance";
import { queryRows } from "../../lib/db/rows";
import { TestGateway, TEST_BANK, TEST_CARDS } from "../../lib/payments/gateway/test-gateway";
import type { PaymentGateway, SaleRequest } from "../../lib/payments/gateway/types";
import { insertPayby, listPayby } from "../../lib/payments/payby";
import { getPaymentReceipt, processPayment, resolveStalePending, settlePending, type ProcessPaymentInput } from "../../lib/payments/process-payment";
import { processPaymentSchema } from "../../lib/payments/payby-schema";

resetEnvForTests();

/** The test gateway, counting the sales it is asked for. */
class CountingGateway implements PaymentGateway {
  readonly name = "test";
  sales: SaleRequest[] = [];
  constructor(private inner = new TestGateway({ timeoutMs: 150 }), private gate?: Promise<void>) {}
  get timeoutMs() {
    return this.inner.timeoutMs;
  }
  async sale(req: SaleRequest) {
    this.sales.push(req);
    if (this.gate) await this.gate;
    return this.inner.sale(req);
  }
  refund(r: Parameters<PaymentGateway["refund"]>[0]) {
    return this.inner.refund(r);
  }
  void(r: Parameters<PaymentGateway["void"]>[0]) {
    return this.inner.void(r);
  }
  lookup(ref: string) {
    return this.inner.lookup(ref);
  }
}

let t: TestDb;
let world: World;
const YEAR = String(new Date().getUTCFullYear() + 3);
const CVV = "8642";
const logged: string[] = [];
const origError = console.error;
const origLog = console.log;
const origWarn = console.warn;

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
  // Everything logged while payments run is kept and searched for secrets at the end.
  console.error = (...a: unknown[]) => void logged.push(a.map(String).join(" "));
  console.warn = (...a: unknown[]) => void logged.push(a.map(String).join(" "));
  console.log = (...a: unknown[]) => void logged.push(a.map(String).join(" "));
});
after(async () => {
  console.error = origError;
  console.log = origLog;
  console.warn = origWarn;
  await t.drop();
});

const key = () => `test-${randomBytes(8).toString("hex")}`;
const card = (payinfo: string, extra: Record<string, unknown> = {}) => ({ fields: { payby: "CARD", payinfo, month: "12", year: YEAR, payname: "Test Payer", ...extra } });

async function newCustomer(invoiceCents = 10_000): Promise<number> {
  const { custnum } = await createTestCustomer(t.db, world);
  if (invoiceCents > 0) await t.db.insert(custBill).values({ custnum, date: new Date(Date.now() - 86_400_000), charged: invoiceCents, owed: invoiceCents });
  return custnum;
}

async function counts(custnum: number) {
  const [r] = await queryRows<{ pays: number; pendings: number; paybys: number }>(
    t.db,
    sql`SELECT (SELECT count(*) FROM cust_pay WHERE custnum = ${custnum})::int AS pays,
               (SELECT count(*) FROM cust_pay_pending WHERE custnum = ${custnum})::int AS pendings,
               (SELECT count(*) FROM cust_payby WHERE custnum = ${custnum})::int AS paybys`,
  );
  return r!;
}

async function pendingOf(k: string) {
  const [p] = await t.db.select().from(custPayPending).where(eq(custPayPending.payunique, k));
  return p;
}

async function rejectsWith(p: Promise<unknown>, code: string, message: string | RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, `not an AppError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe("process_payment outcomes", () => {
  test("approved: one cust_pay applied to the open invoice, Freeside's receipt keys, pending done", async () => {
    const custnum = await newCustomer(10_000);
    const gw = new CountingGateway();
    const k = key();
    const r = await processPayment(t.db, { custnum, amountCents: 2500, method: card(TEST_CARDS.visa), cvv: CVV.slice(0, 3), paybatch: k, ip: "203.0.113.5" }, { gateway: gw });
    assert.equal(r.amount, "25.00");
    assert.equal(r.replayed, false);
    assert.match(r.date_pretty, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(r.time_pretty, /^\d{2}:\d{2}:\d{2}$/);
    assert.match(r.auth_num, /^[0-9A-F]{6}$/);
    assert.match(r.order_num, /^TEST-/);
    assert.equal(typeof r.date, "number");
    assert.match(r.receipt_html, new RegExp(`Payment #</td><td><b>${r.paynum}</b>`));
    assert.match(r.receipt_html, /Credit card #xxxxxxxxxxxx1111/);
    assert.match(r.receipt_html, /\$25\.00/);
    assert.equal(gw.sales.length, 1);
    assert.equal(gw.sales[0]!.reference, k, "the key is the gateway's reference");
    const [pay] = await t.db.select().from(custPay).where(eq(custPay.paynum, r.paynum));
    assert.equal(pay!.paid, 2500);
    assert.equal(pay!.payby.trim(), "CARD");
    assert.equal(pay!.payunique, k);
    assert.equal(pay!.paymask, "xxxxxxxxxxxx1111");
    assert.equal(pay!.processor, "test");
    const p = await pendingOf(k);
    assert.equal(p!.status, "done");
    assert.equal(p!.paynum, r.paynum);
    const [inv] = await t.db.select().from(custBill).where(eq(custBill.custnum, custnum));
    assert.equal(inv!.owed, 7500, "applied to the open invoice");
    assert.equal(await getBalanceCents(t.db, custnum), 7500);
    assert.deepEqual(await counts(custnum), { pays: 1, pendings: 1, paybys: 0 }, "not saved without save");
  });

  test("the same key again returns the first result: one sale, one cust_pay", async () => {
    const custnum = await newCustomer();
    const gw = new CountingGateway();
    const k = key();
    const input: ProcessPaymentInput = { custnum, amountCents: 1000, method: card(TEST_CARDS.mastercard), paybatch: k };
    const first = await processPayment(t.db, input, { gateway: gw });
    const again = await processPayment(t.db, { ...input, amountCents: 9999 }, { gateway: gw });
    assert.equal(again.replayed, true);
    assert.equal(again.paynum, first.paynum);
    assert.equal(again.amount, "10.00");
    assert.equal(again.auth_num, first.auth_num);
    assert.equal(gw.sales.length, 1);
    assert.deepEqual(await counts(custnum), { pays: 1, pendings: 1, paybys: 0 });
  });

  test("declined: clear message, no cust_pay, pending kept as declined, invoice open; a retry with the key does not charge", async () => {
    const custnum = await newCustomer(5000);
    const gw = new CountingGateway();
    const k = key();
    const input: ProcessPaymentInput = { custnum, amountCents: 5000, method: card(TEST_CARDS.declined), cvv: "731", paybatch: k };
    await rejectsWith(processPayment(t.db, input, { gateway: gw }), "PAYMENT_DECLINED", "Payment declined: Card declined");
    const p = await pendingOf(k);
    assert.equal(p!.status, "declined");
    assert.equal(p!.failureStatus, "declined");
    assert.equal(p!.statustext, "Card declined");
    assert.equal(p!.paynum, null);
    assert.deepEqual(await counts(custnum), { pays: 0, pendings: 1, paybys: 0 });
    assert.equal(await getBalanceCents(t.db, custnum), 5000);
    await rejectsWith(processPayment(t.db, input, { gateway: gw }), "PAYMENT_DECLINED", "Payment declined: Card declined");
    assert.equal(gw.sales.length, 1);
    const audit = await queryRows<{ detail: unknown }>(t.db, sql`SELECT detail FROM audit_log WHERE custnum = ${custnum} AND action = 'payment_declined'`);
    assert.equal(audit.length, 1);
  });

  test("processing error and timeout: GATEWAY_ERROR, pending error, nothing paid", async () => {
    const custnum = await newCustomer(5000);
    const gw = new CountingGateway();
    const k1 = key();
    await rejectsWith(processPayment(t.db, { custnum, amountCents: 100, method: card(TEST_CARDS.processingError), paybatch: k1 }, { gateway: gw }), "GATEWAY_ERROR", /^Payment could not be processed: Processing error/);
    assert.equal((await pendingOf(k1))!.status, "error");
    const k2 = key();
    const t0 = Date.now();
    await rejectsWith(processPayment(t.db, { custnum, amountCents: 100, method: card(TEST_CARDS.timeout), paybatch: k2 }, { gateway: gw }), "GATEWAY_ERROR", /did not respond in time/);
    assert.ok(Date.now() - t0 >= 140);
    assert.equal((await pendingOf(k2))!.status, "error");
    const k3 = key();
    await rejectsWith(
      processPayment(t.db, { custnum, amountCents: 100, method: { fields: { payby: "CHEK", payinfo: `${TEST_BANK.insufficientFunds}@${TEST_BANK.routing}`, payname: "Bank" } }, paybatch: k3 }, { gateway: gw }),
      "PAYMENT_DECLINED",
      "Payment declined: Insufficient funds",
    );
    assert.equal((await pendingOf(k3))!.failureStatus, "nsf");
    assert.deepEqual(await counts(custnum), { pays: 0, pendings: 3, paybys: 0 });
    assert.equal(await getBalanceCents(t.db, custnum), 5000);
  });

  test("a bank account payment", async () => {
    const custnum = await newCustomer(5000);
    const r = await processPayment(
      t.db,
      { custnum, amountCents: 5000, method: { fields: { payby: "CHEK", payinfo1: TEST_BANK.approved, payinfo2: TEST_BANK.routing, payname: "First Bank", paytype: "Personal checking" } }, paybatch: key() },
      { gateway: new CountingGateway() },
    );
    assert.match(r.receipt_html, /Electronic check #xxxxxxxxxx89@110000000/);
    assert.equal(await getBalanceCents(t.db, custnum), 0);
  });

  test("a stored bank account, sent back masked as payment_info shows it (payinfo1 + payinfo2)", async () => {
    const custnum = await newCustomer(4000);
    await insertPayby(t.db, { custnum, input: { payby: "CHEK", payinfo1: TEST_BANK.approved, payinfo2: TEST_BANK.routing, payname: "First Bank", paytype: "Personal checking" } });
    const gw = new CountingGateway();
    const r = await processPayment(
      t.db,
      { custnum, amountCents: 4000, method: { fields: { payby: "CHEK", payinfo1: "xxxxxxxxxx89", payinfo2: TEST_BANK.routing, payname: "First Bank" } }, paybatch: key() },
      { gateway: gw },
    );
    assert.equal(r.paymask, "xxxxxxxxxx89@110000000");
    assert.equal(gw.sales[0]!.instrument.kind === "bank" && gw.sales[0]!.instrument.account, TEST_BANK.approved, "the stored number is charged");
    assert.equal(await getBalanceCents(t.db, custnum), 0);
    // A mask that matches nothing stored asks for the full number and charges nothing.
    await rejectsWith(
      processPayment(t.db, { custnum, amountCents: 100, method: { fields: { payby: "CHEK", payinfo1: "xxxxxxxxxx12", payinfo2: TEST_BANK.routing } }, paybatch: key() }, { gateway: gw }),
      "INVALID_INPUT",
      "Enter the full account number",
    );
    assert.equal(gw.sales.length, 1);
  });

  test("stored methods: pay with one; another customer's custpaybynum is unknown and nothing is written", async () => {
    const custnum = await newCustomer(3000);
    const other = await newCustomer(3000);
    const { custpaybynum } = await insertPayby(t.db, { custnum, input: { payby: "DCRD", payinfo: TEST_CARDS.amex, paydate: `${YEAR}-05-01`, payname: "Ann Payer" } });
    const gw = new CountingGateway();
    const r = await processPayment(t.db, { custnum, amountCents: 3000, method: { custpaybynum }, cvv: CVV, paybatch: key() }, { gateway: gw });
    assert.equal(gw.sales[0]!.instrument.kind === "card" && gw.sales[0]!.instrument.number, TEST_CARDS.amex);
    assert.equal(gw.sales[0]!.instrument.kind === "card" && gw.sales[0]!.instrument.cvv, CVV);
    assert.match(r.receipt_html, /xxxxxxxxxxx0005/);
    const before = await counts(other);
    await rejectsWith(processPayment(t.db, { custnum: other, amountCents: 100, method: { custpaybynum }, paybatch: key() }, { gateway: gw }), "NOT_FOUND", `unknown custpaybynum ${custpaybynum}`);
    await rejectsWith(processPayment(t.db, { custnum: other, amountCents: 100, method: { custpaybynum: 987654 }, paybatch: key() }, { gateway: gw }), "NOT_FOUND", "unknown custpaybynum 987654");
    assert.deepEqual(await counts(other), before);
    assert.equal(gw.sales.length, 1);
    // Freeside: a payinfo equal to a stored paymask means that stored card.
    const r2 = await processPayment(t.db, { custnum, amountCents: 100, method: { fields: { payinfo: "xxxxxxxxxxx0005" } }, paybatch: key() }, { gateway: gw });
    assert.equal(r2.paymask, "xxxxxxxxxxx0005");
    assert.equal(gw.sales.length, 2);
  });

  test("save keeps the new card after the charge; auto makes it CARD and first, else DCRD", async () => {
    const custnum = await newCustomer(3000);
    await insertPayby(t.db, { custnum, input: { payby: "CARD", payinfo: TEST_CARDS.visa2, paydate: `12/${YEAR}`, payname: "Old Card" } });
    const gw = new CountingGateway();
    await processPayment(t.db, { custnum, amountCents: 1000, method: card(TEST_CARDS.mastercard), save: true, auto: true, cvv: CVV.slice(0, 3), paybatch: key() }, { gateway: gw });
    await processPayment(t.db, { custnum, amountCents: 1000, method: card(TEST_CARDS.discover), save: true, paybatch: key() }, { gateway: gw });
    await assert.rejects(processPayment(t.db, { custnum, amountCents: 1000, method: card(TEST_CARDS.declined), save: true, paybatch: key() }, { gateway: gw }));
    const list = await listPayby(t.db, { custnum });
    assert.deepEqual(
      list.map((p) => [p.payby, p.paymask]),
      [
        ["CARD", "xxxxxxxxxxxx4444"],
        ["CARD", "xxxxxxxxxxxx4242"],
        ["DCRD", "xxxxxxxxxxxx1117"],
      ],
    );
  });

  test("bad input → a clear error before anything is written or charged", async () => {
    const custnum = await newCustomer(3000);
    const other = await newCustomer(0);
    const gw = new CountingGateway();
    const before = await counts(custnum);
    const cases: [ProcessPaymentInput, string | RegExp][] = [
      [{ custnum, amountCents: 0, method: card(TEST_CARDS.visa), paybatch: key() }, "Amount must be greater than 0"],
      [{ custnum, amountCents: -500, method: card(TEST_CARDS.visa), paybatch: key() }, "Amount must be greater than 0"],
      [{ custnum, amountCents: 10.5, method: card(TEST_CARDS.visa), paybatch: key() }, "Illegal amount"],
      [{ custnum, amountCents: 1e12, method: card(TEST_CARDS.visa), paybatch: key() }, "Illegal amount"],
      [{ custnum, amountCents: 10_000_001, method: card(TEST_CARDS.visa), paybatch: key() }, "Amount is too large: at most $100,000.00 per payment"],
      [{ custnum, amountCents: 100, method: card("4111111111111112"), paybatch: key() }, "Invalid credit card number"],
      [{ custnum, amountCents: 100, method: card(TEST_CARDS.visa, { month: "1", year: "2020" }), paybatch: key() }, "Expired card"],
      [{ custnum, amountCents: 100, method: card(TEST_CARDS.visa, { payname: "x".repeat(100_000) }), paybatch: key() }, "Name must be at most 160 characters"],
      [{ custnum, amountCents: 100, method: card(TEST_CARDS.visa), cvv: "12", paybatch: key() }, "CVV2 (CVC2/CID) is three digits."],
      [{ custnum, amountCents: 100, method: card(TEST_CARDS.amex), cvv: "123", paybatch: key() }, "CVV2 (CID) for American Express cards is four digits."],
      [{ custnum, amountCents: 100, method: card(TEST_CARDS.visa), paybatch: "" }, /payment key/],
      [{ custnum, amountCents: 100, method: card(TEST_CARDS.visa), paybatch: "x".repeat(81) }, /payment key/],
      [{ custnum, amountCents: 100, method: { custpaybynum: 2_000_000 }, paybatch: key() }, "unknown custpaybynum 2000000"],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(processPayment(t.db, input, { gateway: gw }), (e: unknown) => {
        assert.ok(e instanceof AppError);
        if (typeof message === "string") assert.equal(e.message, message);
        else assert.match(e.message, message);
        assert.ok(!e.message.includes(TEST_CARDS.visa) && !e.message.includes(CVV));
        return true;
      });
    }
    assert.equal(gw.sales.length, 0);
    assert.deepEqual(await counts(custnum), before);
    // A key used by another customer is a duplicate, not their receipt.
    const k = key();
    await processPayment(t.db, { custnum, amountCents: 100, method: card(TEST_CARDS.visa), paybatch: k }, { gateway: gw });
    await rejectsWith(processPayment(t.db, { custnum: other, amountCents: 100, method: card(TEST_CARDS.visa), paybatch: k }, { gateway: gw }), "CONFLICT", `duplicate transaction - a payment with unique identifer ${k} already exists`);
    assert.deepEqual(await counts(other), { pays: 0, pendings: 0, paybys: 0 });
  });
});

describe("limits and receipts", () => {
  test("over-payment is allowed up to $100,000.00 (Freeside allows it; the rest is a credit); the schema refuses more", async () => {
    const custnum = await newCustomer(1000);
    const r = await processPayment(t.db, { custnum, amountCents: 10_000_000, method: card(TEST_CARDS.visa), paybatch: key() }, { gateway: new CountingGateway() });
    assert.equal(r.amount, "100000.00");
    assert.equal(await getBalanceCents(t.db, custnum), 1000 - 10_000_000);
    assert.equal(processPaymentSchema.safeParse({ amount: "100000.00" }).success, true);
    const big = processPaymentSchema.safeParse({ amount: "100000.01" });
    assert.equal(big.success, false);
    assert.equal(big.error!.issues[0]!.message, "Amount is too large: at most $100,000.00 per payment");
  });

  test("getPaymentReceipt: the customer's own payment with its auth and order numbers; another customer's paynum is not found", async () => {
    const custnum = await newCustomer(5000);
    const other = await newCustomer(0);
    const k = key();
    const paid = await processPayment(t.db, { custnum, amountCents: 1234, method: card(TEST_CARDS.mastercard), paybatch: k }, { gateway: new CountingGateway() });
    const r = await getPaymentReceipt(t.db, { custnum, paynum: paid.paynum });
    assert.equal(r.paynum, paid.paynum);
    assert.equal(r.amount, "12.34");
    assert.equal(r.paymask, "xxxxxxxxxxxx4444");
    assert.equal(r.auth_num, paid.auth_num);
    assert.match(r.order_num, /^TEST-/);
    assert.equal(r.paybatch, k);
    await rejectsWith(getPaymentReceipt(t.db, { custnum: other, paynum: paid.paynum }), "NOT_FOUND", `unknown payment ${paid.paynum}`);
    await rejectsWith(getPaymentReceipt(t.db, { custnum, paynum: 2_000_000 }), "NOT_FOUND", "unknown payment 2000000");
  });
});

describe("never twice", () => {
  test("50 concurrent calls with one key → exactly one gateway sale and one cust_pay; all get the first result", async () => {
    const custnum = await newCustomer(10_000);
    const gw = new CountingGateway();
    const k = key();
    const input: ProcessPaymentInput = { custnum, amountCents: 4200, method: card(TEST_CARDS.visa), paybatch: k };
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => processPayment(t.db, input, { gateway: gw })));
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof processPayment>>>).value);
    assert.equal(ok.length, 50, JSON.stringify(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))));
    assert.equal(new Set(ok.map((r) => r.paynum)).size, 1);
    assert.equal(ok.filter((r) => !r.replayed).length, 1);
    assert.equal(gw.sales.length, 1);
    assert.deepEqual(await counts(custnum), { pays: 1, pendings: 1, paybys: 0 });
    assert.equal(await getBalanceCents(t.db, custnum), 10_000 - 4200);
  });

  test("20 rounds with different keys → 20 sales and 20 payments", async () => {
    const custnum = await newCustomer(100_000);
    const gw = new CountingGateway();
    for (let i = 0; i < 20; i++) await processPayment(t.db, { custnum, amountCents: 100 + i, method: card(TEST_CARDS.visa), paybatch: key() }, { gateway: gw });
    assert.equal(gw.sales.length, 20);
    assert.deepEqual(await counts(custnum), { pays: 20, pendings: 20, paybys: 0 });
  });

  test("another key while a payment of the customer is being processed is refused", async () => {
    const custnum = await newCustomer(10_000);
    let release!: () => void;
    const gw = new CountingGateway(new TestGateway({ timeoutMs: 150 }), new Promise<void>((r) => (release = r)));
    const k1 = key();
    const first = processPayment(t.db, { custnum, amountCents: 1000, method: card(TEST_CARDS.visa), paybatch: k1 }, { gateway: gw });
    for (let i = 0; i < 100 && (await pendingOf(k1))?.status !== "pending"; i++) await new Promise((r) => setTimeout(r, 20));
    await rejectsWith(
      processPayment(t.db, { custnum, amountCents: 1000, method: card(TEST_CARDS.visa), paybatch: key() }, { gateway: gw }),
      "CONFLICT",
      /^A payment is already being processed for this customer \(paypendingnum \d+\); transaction aborted\.$/,
    );
    release();
    await first;
    assert.equal(gw.sales.length, 1);
    assert.deepEqual(await counts(custnum), { pays: 1, pendings: 1, paybys: 0 });
  });

  test("a crash between the gateway's approval and the cust_pay → recovered as one payment, not two", async () => {
    const custnum = await newCustomer(10_000);
    const gw = new CountingGateway();
    const k = key();
    const input: ProcessPaymentInput = { custnum, amountCents: 3000, method: card(TEST_CARDS.visa), paybatch: k };
    await assert.rejects(processPayment(t.db, input, { gateway: gw, faults: { afterCapture: () => { throw new Error("simulated crash"); } } }), /simulated crash/);
    const p = await pendingOf(k);
    assert.equal(p!.status, "captured");
    assert.ok(p!.auth && p!.orderNumber, "the gateway's answer is recorded before the payment");
    assert.deepEqual(await counts(custnum), { pays: 0, pendings: 1, paybys: 0 });
    const resolved = await resolveStalePending(t.db, { gateway: gw });
    const mine = resolved.filter((r) => r.payunique === k);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.result, "recovered");
    assert.deepEqual(await counts(custnum), { pays: 1, pendings: 1, paybys: 0 });
    // The customer's retry (same key) gets that payment; nothing is charged again.
    const again = await processPayment(t.db, input, { gateway: gw });
    assert.equal(again.paynum, mine[0]!.paynum);
    assert.equal(again.replayed, true);
    assert.equal(gw.sales.length, 1);
    assert.equal((await resolveStalePending(t.db, { gateway: gw })).filter((r) => r.payunique === k).length, 0);
    assert.deepEqual(await counts(custnum), { pays: 1, pendings: 1, paybys: 0 });
    assert.equal(await getBalanceCents(t.db, custnum), 7000);
  });

  test("a crash after the gateway approved but before it was recorded: the gateway is asked, never charged again", async () => {
    const custnum = await newCustomer(10_000);
    const gw = new CountingGateway();
    const k = key();
    const input: ProcessPaymentInput = { custnum, amountCents: 2000, method: card(TEST_CARDS.visa), paybatch: k };
    await assert.rejects(processPayment(t.db, input, { gateway: gw, faults: { afterSale: () => { throw new Error("simulated crash"); } } }), /simulated crash/);
    assert.equal((await pendingOf(k))!.status, "pending");
    // A retry before the attempt counts as abandoned waits, then says it is still being processed.
    await rejectsWith(processPayment(t.db, input, { gateway: gw, waitMs: 100 }), "CONFLICT", /still being processed/);
    // Not stale yet under the default limit, but the gateway has the approval: recorded at once
    // (its answer settles an attempt of any age; only "no record" has to wait for the limit).
    const resolved = await resolveStalePending(t.db, { gateway: gw, custnum });
    assert.deepEqual(resolved.map((r) => r.result), ["recovered"]);
    assert.equal(gw.sales.length, 1);
    assert.deepEqual(await counts(custnum), { pays: 1, pendings: 1, paybys: 0 });
    const again = await processPayment(t.db, input, { gateway: gw });
    assert.equal(again.paynum, resolved[0]!.paynum);
    assert.equal(gw.sales.length, 1);
  });

  test("an attempt the gateway has no record of is left alone while it may still be in flight", async () => {
    const custnum = await newCustomer(10_000);
    const gw = new CountingGateway();
    const k = key();
    await assert.rejects(
      processPayment(t.db, { custnum, amountCents: 1500, method: card(TEST_CARDS.visa), paybatch: k }, { gateway: gw, faults: { afterPending: () => { throw new Error("simulated crash"); } } }),
      /simulated crash/,
    );
    assert.equal((await resolveStalePending(t.db, { gateway: gw, custnum })).length, 0);
    assert.equal((await pendingOf(k))!.status, "pending", "young and unknown to the gateway: not settled yet");
    const settled = await settlePending(t.db, { gateway: gw, custnum, olderThanMs: 60_000 });
    assert.equal(settled.unsettled, 1);
    assert.ok(settled.retryInMs > 0 && settled.retryInMs <= 60_100);
    const late = await resolveStalePending(t.db, { gateway: gw, custnum, olderThanMs: 0 });
    assert.deepEqual(late.map((r) => r.result), ["error"]);
    assert.equal(gw.sales.length, 0, "never sent");
  });

  test("a crash before the gateway was asked: resolved as not charged, and the customer can pay again", async () => {
    const custnum = await newCustomer(10_000);
    const gw = new CountingGateway();
    const k = key();
    await assert.rejects(
      processPayment(t.db, { custnum, amountCents: 2000, method: card(TEST_CARDS.visa), paybatch: k }, { gateway: gw, faults: { afterPending: () => { throw new Error("simulated crash"); } } }),
      /simulated crash/,
    );
    // A stale `new` row (crash right after the claim), made directly.
    const k2 = key();
    await t.db.insert(custPayPending).values({ custnum, paid: 100, payby: "CARD", payunique: k2, status: "new", updatedAt: new Date(Date.now() - 3_600_000) });
    await t.db.update(custPayPending).set({ updatedAt: new Date(Date.now() - 3_600_000) }).where(eq(custPayPending.payunique, k));
    // The next payment of this customer settles both first (default limit), then goes through.
    const r = await processPayment(t.db, { custnum, amountCents: 2000, method: card(TEST_CARDS.visa), paybatch: key() }, { gateway: gw });
    assert.equal(r.replayed, false);
    const p1 = await pendingOf(k);
    const p2 = await pendingOf(k2);
    assert.equal(p1!.status, "error");
    assert.match(p1!.statustext!, /no record of it, not charged/);
    assert.equal(p2!.status, "error");
    assert.match(p2!.statustext!, /before the payment was sent/);
    assert.equal(gw.sales.length, 1, "only the new payment was sent");
    assert.deepEqual(await counts(custnum), { pays: 1, pendings: 3, paybys: 0 });
  });
});

/** Every scalar inside a column value (json is walked), timestamps aside: their digits are the clock's, not ours. */
function* textLeaves(v: unknown): Generator<string | number> {
  if (v === null || v === undefined || v instanceof Date) return;
  if (typeof v === "number" || typeof v === "bigint") yield Number(v);
  else if (typeof v === "string") {
    if (/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/.test(v)) return;
    yield v;
  } else if (typeof v === "object") for (const inner of Object.values(v)) yield* textLeaves(inner);
  else yield String(v);
}

/** A CVV could hide as a number, ids and amounts included (then it is the whole value), or inside text (then it is a run of digits in it). */
function assertNoCvv(leaf: string | number, where: string) {
  const cvvs = [CVV, CVV.slice(0, 3)];
  if (typeof leaf === "number" || /^-?\d+(\.\d+)?$/.test(leaf)) assert.ok(!cvvs.includes(String(leaf)), `${where} holds the CVV: ${leaf}`);
  else assert.ok(!cvvs.some((c) => leaf.includes(c)), `${where} holds the CVV digits: ${leaf}`);
}

describe("secrets stay out", () => {
  test("after cards, bank accounts and payments with a CVV: no CVV in any row, no full number in the dump or the logs", async () => {
    const custnum = await newCustomer(50_000);
    const gw = new CountingGateway();
    await insertPayby(t.db, { custnum, input: { payby: "CARD", payinfo: TEST_CARDS.amex, month: "3", year: YEAR, payname: "Cvv Test", paycvv: CVV } });
    await processPayment(t.db, { custnum, amountCents: 1500, method: { fields: { payby: "CARD", payinfo: TEST_CARDS.amex, month: "3", year: YEAR, payname: "Cvv Test", paycvv: CVV } }, save: true, paybatch: "cvv-test-one" }, { gateway: gw });
    const [stored] = await listPayby(t.db, { custnum });
    await processPayment(t.db, { custnum, amountCents: 1600, method: { custpaybynum: stored!.custpaybynum }, cvv: CVV, paybatch: "cvv-test-two" }, { gateway: gw });
    await assert.rejects(processPayment(t.db, { custnum, amountCents: 1700, method: card(TEST_CARDS.declined, { paycvv: CVV.slice(0, 3) }), paybatch: "cvv-test-three" }, { gateway: gw }));
    await processPayment(t.db, { custnum, amountCents: 1800, method: { fields: { payby: "CHEK", payinfo: `${TEST_BANK.approved}@${TEST_BANK.routing}`, payname: "Cvv Bank" } }, save: true, paybatch: "cvv-test-four" }, { gateway: gw });
    assert.equal(gw.sales.filter((s) => s.instrument.kind === "card" && s.instrument.cvv === CVV).length, 2, "the CVV did reach the gateway");

    // Every column of this customer's rows (timestamps aside; sealed payinfo is ciphertext).
    for (const table of ["cust_pay_pending", "cust_pay", "cust_payby", "audit_log"]) {
      const rows = await queryRows<Record<string, unknown>>(t.db, sql.raw(`SELECT * FROM ${table} WHERE custnum = ${custnum}`));
      assert.ok(rows.length > 0, table);
      for (const row of rows) {
        for (const [col, v] of Object.entries(row)) {
          if (col === "payinfo") {
            assert.match(String(v), /^v1:/, "payinfo is sealed");
            continue;
          }
          for (const leaf of textLeaves(v)) assertNoCvv(leaf, `${table}.${col}`);
        }
      }
    }

    // The whole database as text (pg_dump): no full card or account number anywhere.
    const dump = t.url
      ? spawnSync("pg_dump", ["--data-only", "--no-owner", t.url], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })
      : null;
    let text: string;
    if (dump && dump.status === 0) text = dump.stdout;
    else {
      const tables = await queryRows<{ tablename: string }>(t.db, sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
      text = "";
      for (const { tablename } of tables) text += JSON.stringify(await queryRows(t.db, sql.raw(`SELECT * FROM "${tablename}"`)));
    }
    assert.ok(text.includes("xxxxxxxxxxx0005"), "the dump has the payment rows");
    for (const secret of [...Object.values(TEST_CARDS), TEST_BANK.approved, TEST_BANK.insufficientFunds]) {
      assert.ok(!text.includes(secret), `the dump contains ${secret.slice(-4)}`);
    }
    const logText = logged.join("\n");
    for (const secret of [...Object.values(TEST_CARDS), TEST_BANK.approved, CVV]) assert.ok(!logText.includes(secret), "a secret was logged");
  });
});
