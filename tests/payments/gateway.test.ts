import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { TestGateway, TEST_BANK, TEST_CARDS } from "../../lib/payments/gateway/test-gateway";
import type { PaymentInstrument, SaleRequest } from "../../lib/payments/gateway/types";
import { getGateway } from "../../lib/payments/gateway";
import { resetEnvForTests } from "../../lib/env";

process.env.AUTH_SECRET ??= randomBytes(32).toString("hex");
const gw = new TestGateway({ timeoutMs: 150 });
const card = (number: string): PaymentInstrument => ({ kind: "card", number, expMonth: 12, expYear: 2030, cvv: "987", name: "Test", cardType: "VISA card" });
const bank = (account: string): PaymentInstrument => ({ kind: "bank", account, routing: TEST_BANK.routing, accountType: "Personal checking", name: "Bank" });
const sale = (instrument: PaymentInstrument, reference = `ref-${randomBytes(6).toString("hex")}`, amountCents = 1000): SaleRequest => ({
  reference,
  amountCents,
  currency: "USD",
  instrument,
  custnum: 1,
});

describe("test gateway outcomes (the README table)", () => {
  for (const n of [TEST_CARDS.visa, TEST_CARDS.visa2, TEST_CARDS.mastercard, TEST_CARDS.amex, TEST_CARDS.discover, "4012888888881881"]) {
    test(`card ${n} approves`, async () => {
      const r = await gw.sale(sale(card(n)));
      assert.equal(r.status, "approved");
      if (r.status === "approved") {
        assert.match(r.authCode, /^[0-9A-F]{6}$/);
        assert.match(r.orderNumber, /^TEST-[0-9A-F]{16}$/);
      }
    });
  }
  test("4000000000000002 declines", async () => {
    assert.deepEqual(await gw.sale(sale(card(TEST_CARDS.declined))), { status: "declined", message: "Card declined", failureStatus: "declined" });
  });
  test("4000000000000069 declines as expired", async () => {
    assert.deepEqual(await gw.sale(sale(card(TEST_CARDS.expired))), { status: "declined", message: "Expired card", failureStatus: "expired" });
  });
  test("4000000000000119 is a processing error", async () => {
    const r = await gw.sale(sale(card(TEST_CARDS.processingError)));
    assert.equal(r.status, "error");
  });
  test("4000000000009995 times out after the configured time", async () => {
    const t0 = Date.now();
    const r = await gw.sale(sale(card(TEST_CARDS.timeout)));
    assert.ok(Date.now() - t0 >= 140, "waited for the timeout");
    assert.deepEqual(r, { status: "error", message: "The payment gateway did not respond in time", timedOut: true });
  });
  test("bank accounts: approve, NSF, closed, error, timeout", async () => {
    assert.equal((await gw.sale(sale(bank(TEST_BANK.approved)))).status, "approved");
    assert.deepEqual(await gw.sale(sale(bank(TEST_BANK.insufficientFunds))), { status: "declined", message: "Insufficient funds", failureStatus: "nsf" });
    assert.equal((await gw.sale(sale(bank(TEST_BANK.accountClosed)))).status, "declined");
    assert.equal((await gw.sale(sale(bank(TEST_BANK.processingError)))).status, "error");
    const r = await gw.sale(sale(bank(TEST_BANK.timeout)));
    assert.equal(r.status === "error" && r.timedOut, true);
  });
});

describe("test gateway behaviour", () => {
  test("deterministic: the answer depends on reference and amount, not on the card number", async () => {
    const a = await new TestGateway().sale(sale(card(TEST_CARDS.visa), "same-ref-1"));
    const b = await new TestGateway().sale(sale(card(TEST_CARDS.visa), "same-ref-1"));
    assert.deepEqual(a, b);
    const c = await gw.sale(sale(card(TEST_CARDS.visa), "other-ref-1"));
    assert.notDeepEqual(a, c);
    const json = JSON.stringify([a, c]);
    assert.ok(!json.includes("1111") && !json.includes("987"));
  });
  test("lookup finds what it answered, and nothing else", async () => {
    const ref = `look-${randomBytes(6).toString("hex")}`;
    assert.deepEqual(await gw.lookup(ref), { kind: "not_found" });
    const r = await gw.sale(sale(card(TEST_CARDS.visa), ref));
    assert.deepEqual(await gw.lookup(ref), { kind: "found", outcome: r });
  });
  test("refund and void of a TEST- order approve; unknown orders fail", async () => {
    const r = await gw.sale(sale(card(TEST_CARDS.visa)));
    assert.equal(r.status, "approved");
    if (r.status !== "approved") return;
    assert.equal((await gw.refund({ reference: "rf-1", orderNumber: r.orderNumber, amountCents: 500, currency: "USD" })).status, "approved");
    assert.equal((await gw.void({ reference: "vd-1", orderNumber: r.orderNumber })).status, "approved");
    assert.equal((await gw.refund({ reference: "rf-2", orderNumber: "REAL-123", amountCents: 500, currency: "USD" })).status, "error");
    assert.equal((await gw.void({ reference: "vd-2", orderNumber: "REAL-123" })).status, "error");
  });
  test("the factory picks the test gateway by PORTICO_GATEWAY with its timeout", () => {
    process.env.PORTICO_GATEWAY = "test";
    process.env.PORTICO_TEST_GATEWAY_TIMEOUT_MS = "1234";
    resetEnvForTests();
    const g = getGateway();
    assert.equal(g.name, "test");
    assert.equal(g.timeoutMs, 1234);
    assert.equal(getGateway(), g, "one instance per configuration");
    delete process.env.PORTICO_TEST_GATEWAY_TIMEOUT_MS;
    resetEnvForTests();
    assert.equal(getGateway().timeoutMs, 15_000);
  });
});
