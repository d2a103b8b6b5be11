"use server";
import { revalidatePath } from "next/cache";
import { AppError, isAppError } from "@/lib/errors";
import { customerAction } from "@/lib/http/action-result";
import { parseInput } from "@/lib/validation/parse";
import { paybyFieldsOf, processPaymentSchema } from "@/lib/payments/payby-schema";
import { newPaymentKey } from "@/lib/payments/payment-info";
import { processPayment } from "@/lib/payments/process-payment";

/**
 * The /pay form's server action: process_payment's schema and lib function. The one-time key
 * (`payunique`) comes from the form, which got it from payment_info when the page rendered;
 * sending the same key again (double click, retry after a lost answer) never charges twice: it
 * returns the first attempt's outcome.
 *
 * A decline or a gateway error is an answer, not a crash: the attempt with that key is over
 * (kept as declined/error for audit, nothing charged), so the form gets a fresh key for the next
 * attempt with the message. Anything else (bad input, "still processing") keeps the form's key.
 */
export type PayOutcome = { status: "paid"; paynum: number } | { status: "failed"; message: string; nextKey: string };

const PAY_FIELDS = [
  "amount",
  "custpaybynum",
  "payby",
  "payinfo",
  "payinfo1",
  "payinfo2",
  "paycvv",
  "month",
  "year",
  "payname",
  "paytype",
  "paystate",
  "save",
  "auto",
  "payunique",
] as const;

export async function submitPayment(values: unknown) {
  const src = values && typeof values === "object" ? (values as Record<string, unknown>) : {};
  const picked: Record<string, unknown> = {};
  for (const n of PAY_FIELDS) if (src[n] !== undefined) picked[n] = src[n];

  const result = await customerAction<PayOutcome>("submitPayment", async ({ db, customer, meta }) => {
    const input = parseInput(processPaymentSchema, picked);
    const paybatch = input.payunique || input.paybatch;
    if (!paybatch) throw new AppError("INVALID_INPUT", "This payment form has no one-time key. Reload the page and try again.");
    try {
      const r = await processPayment(db, {
        custnum: customer.custnum,
        amountCents: input.amount,
        method: input.custpaybynum ? { custpaybynum: input.custpaybynum } : { fields: paybyFieldsOf(input) },
        cvv: input.paycvv || null,
        save: input.save,
        auto: input.auto,
        paybatch,
        ip: meta.ip ?? null,
      });
      return { status: "paid", paynum: r.paynum };
    } catch (e) {
      if (isAppError(e) && (e.code === "PAYMENT_DECLINED" || e.code === "GATEWAY_ERROR")) {
        return { status: "failed", message: e.message, nextKey: newPaymentKey() };
      }
      throw e;
    }
  });
  // The balance, invoices, history (and a saved method) changed: every portal page shows fresh data.
  if (result.ok && result.data.status === "paid") revalidatePath("/", "layout");
  return result;
}
