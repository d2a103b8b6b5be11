import { test } from "node:test";
import assert from "node:assert/strict";
import { amountTextOfNumber, parseAmountInput } from "../../lib/money/cents";
import { AMOUNT_MESSAGES, processPaymentSchema } from "../../lib/payments/payby-schema";

/** Issue 22 §12: an amount sent as a number with at most two decimals is accepted. */
test("a number with at most two decimals is an amount; text keeps Freeside's rule", () => {
  assert.equal(parseAmountInput(12.5), 1250);
  assert.equal(parseAmountInput(12), 1200);
  assert.equal(parseAmountInput(12.25), 1225);
  assert.equal(parseAmountInput(0.1), 10);
  assert.equal(parseAmountInput(1e3), 100_000, "1e3 as a JSON number is 1000");
  for (const n of [12.345, -1, -12.5, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 1e-7, 123456789]) assert.equal(parseAmountInput(n), null, String(n));
  // Text: digits with optional two decimals only (Freeside's regex).
  assert.equal(parseAmountInput("12.50"), 1250);
  assert.equal(parseAmountInput("12"), 1200);
  for (const s of ["12.5", "12.345", "-12", "1e3", "+1", " "]) assert.equal(parseAmountInput(s), null, s);
  assert.equal(amountTextOfNumber(12.5), "12.50");
});

test("process_payment's schema: numbers as amounts, others refused with Freeside's message", () => {
  const base = { custpaybynum: 1 };
  const amount = (v: unknown) => processPaymentSchema.safeParse({ ...base, amount: v });
  assert.equal(amount(12.5).data?.amount, 1250);
  assert.equal(amount(12.25).data?.amount, 1225);
  for (const v of [12.345, -5, Number.NaN, 1e21]) {
    const r = amount(v);
    assert.equal(r.success, false, String(v));
    assert.equal(r.error!.issues[0]!.message, AMOUNT_MESSAGES.illegal, String(v));
  }
  assert.equal(amount(0).error!.issues[0]!.message, AMOUNT_MESSAGES.notPositive);
});
