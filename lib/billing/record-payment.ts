import "server-only";
import type { DbOrTx } from "@/db/client";
import { custCredit, custPay, custRefund } from "@/db/schema";
import { applyPaymentsAndCredits } from "./apply-payments";

/**
 * Money in: payments and credits are recorded and then applied to open invoices (oldest first).
 * Money out: refunds. Each call belongs inside the caller's transaction. Amounts in cents (> 0);
 * validation of what people typed happens before (parseAmountInput).
 */
export interface NewPayment {
  custnum: number;
  paidCents: number;
  payby: string;
  date?: Date;
  paymask?: string | null;
  paycardtype?: string | null;
  paydate?: string | null;
  payunique?: string | null;
  paybatch?: string | null;
  processor?: string | null;
  auth?: string | null;
  orderNumber?: string | null;
  otaker?: string | null;
}

export async function recordPayment(tx: DbOrTx, p: NewPayment): Promise<{ paynum: number }> {
  const date = p.date ?? new Date();
  const [row] = await tx
    .insert(custPay)
    .values({
      custnum: p.custnum,
      paid: p.paidCents,
      payby: p.payby,
      date,
      paymask: p.paymask ?? null,
      paycardtype: p.paycardtype ?? null,
      paydate: p.paydate ?? null,
      payunique: p.payunique ?? null,
      paybatch: p.paybatch ?? null,
      processor: p.processor ?? null,
      auth: p.auth ?? null,
      orderNumber: p.orderNumber ?? null,
      otaker: p.otaker ?? null,
    })
    .returning({ paynum: custPay.paynum });
  await applyPaymentsAndCredits(tx, p.custnum, date);
  return { paynum: row!.paynum };
}

export async function recordCredit(tx: DbOrTx, c: { custnum: number; amountCents: number; reason?: string | null; date?: Date; otaker?: string | null }): Promise<{ crednum: number }> {
  const date = c.date ?? new Date();
  const [row] = await tx
    .insert(custCredit)
    .values({ custnum: c.custnum, amount: c.amountCents, reason: c.reason ?? null, date, otaker: c.otaker ?? null })
    .returning({ crednum: custCredit.crednum });
  await applyPaymentsAndCredits(tx, c.custnum, date);
  return { crednum: row!.crednum };
}

export async function recordRefund(
  tx: DbOrTx,
  r: { custnum: number; refundCents: number; payby: string; reason?: string | null; date?: Date; paymask?: string | null; sourcePaynum?: number | null; processor?: string | null; auth?: string | null; orderNumber?: string | null },
): Promise<{ refundnum: number }> {
  const [row] = await tx
    .insert(custRefund)
    .values({
      custnum: r.custnum,
      refund: r.refundCents,
      payby: r.payby,
      reason: r.reason ?? null,
      date: r.date ?? new Date(),
      paymask: r.paymask ?? null,
      sourcePaynum: r.sourcePaynum ?? null,
      processor: r.processor ?? null,
      auth: r.auth ?? null,
      orderNumber: r.orderNumber ?? null,
    })
    .returning({ refundnum: custRefund.refundnum });
  return { refundnum: row!.refundnum };
}
