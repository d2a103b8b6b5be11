import "server-only";
import { and, desc, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { custBill } from "@/db/schema";
import { billCustomer, type BillResult } from "@/lib/billing/bill-customer";
import { getBalanceCents } from "@/lib/billing/balance";
import { isAppError } from "@/lib/errors";
import { isSignupPending } from "@/lib/signup/pending-signup";
import { listPayby } from "./payby";
import { isAutomaticPayby } from "./payby-schema";
import { isPaybyUsable, processPayment, type PaymentResult, type ProcessPaymentDeps } from "./process-payment";

/**
 * Automatic collection (Freeside's realtime collect after billing): the customer's first
 * automatic method (CARD or CHEK, lowest weight) is charged for the balance through the same
 * payment path as a customer's own payment. The one-time key is derived from the newest open
 * invoice (`bill-<invnum>`), so running collection again for the same invoice never charges twice
 * (it returns the first outcome). A decline or gateway error leaves the invoice open; it is
 * reported, not thrown, so a billing run carries on with the next customer.
 */
export type CollectStatus = "paid" | "nothing_due" | "no_automatic_method" | "declined" | "error" | "busy";

export interface CollectResult {
  status: CollectStatus;
  /** The key used (`bill-<invnum>`), when a charge was attempted. */
  paybatch?: string;
  invnum?: number;
  custpaybynum?: number;
  amountCents?: number;
  payment?: PaymentResult;
  /** Why it was not paid (decline text, gateway error, expired card…). */
  message?: string;
}

/** The key automatic collection uses for an invoice. */
export function collectionKey(invnum: number): string {
  return `bill-${invnum}`;
}

export async function collectAutomatic(
  db: Db,
  custnum: number,
  opts: { now?: Date; deps?: ProcessPaymentDeps } = {},
): Promise<CollectResult> {
  const now = opts.now ?? new Date();
  // A signup still charging its first invoice is not collected (its own charge is under way).
  if (await isSignupPending(db, custnum)) return { status: "nothing_due" };
  const balance = await getBalanceCents(db, custnum);
  if (balance <= 0) return { status: "nothing_due" };
  const [newest] = await db
    .select({ invnum: custBill.invnum })
    .from(custBill)
    .where(and(eq(custBill.custnum, custnum), gt(custBill.owed, 0)))
    .orderBy(desc(custBill.date), desc(custBill.invnum))
    .limit(1);
  if (!newest) return { status: "nothing_due" };
  const method = (await listPayby(db, { custnum })).find((p) => isAutomaticPayby(p.payby) && isPaybyUsable(p, now));
  if (!method) return { status: "no_automatic_method", invnum: newest.invnum };
  const paybatch = collectionKey(newest.invnum);
  const base = { paybatch, invnum: newest.invnum, custpaybynum: method.custpaybynum, amountCents: balance };
  try {
    const payment = await processPayment(
      db,
      { custnum, amountCents: balance, method: { custpaybynum: method.custpaybynum }, paybatch, invnum: newest.invnum, ip: null },
      { ...opts.deps, now },
    );
    return { ...base, status: "paid", payment, amountCents: payment.amountCents };
  } catch (e) {
    if (!isAppError(e)) throw e;
    const status: CollectStatus = e.code === "PAYMENT_DECLINED" ? "declined" : e.code === "CONFLICT" ? "busy" : "error";
    return { ...base, status, message: e.message };
  }
}

/**
 * Bills the customer as of `asOf` (the billing engine), then collects automatically: Freeside's
 * bill_and_collect. The invoice stays open when the charge is declined.
 */
export async function billAndCollect(
  db: Db,
  custnum: number,
  opts: { asOf: Date; now?: Date; deps?: ProcessPaymentDeps },
): Promise<BillResult & { collect: CollectResult }> {
  const bill = await billCustomer(db, custnum, { asOf: opts.asOf, now: opts.now });
  const collect = await collectAutomatic(db, custnum, { now: opts.now ?? opts.asOf, deps: opts.deps });
  return { ...bill, collect };
}
