import "server-only";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { custBill, custBillPay, custCreditBill, custMain } from "@/db/schema";
import { queryRows } from "@/lib/db/rows";

/**
 * Applies a customer's unapplied credits, then unapplied payments, to their open invoices,
 * oldest invoice first (Freeside's apply_payments_and_credits). Runs under a row lock on the
 * customer so concurrent payments and billing runs serialise. Keeps cust_bill.owed exact.
 * Call inside a transaction.
 */
export async function applyPaymentsAndCredits(tx: DbOrTx, custnum: number, now = new Date()): Promise<{ applied: number }> {
  await tx.select({ custnum: custMain.custnum }).from(custMain).where(eq(custMain.custnum, custnum)).for("update");

  const openInvoices = await tx
    .select({ invnum: custBill.invnum, owed: custBill.owed })
    .from(custBill)
    .where(and(eq(custBill.custnum, custnum), gt(custBill.owed, 0)))
    .orderBy(asc(custBill.date), asc(custBill.invnum));
  if (openInvoices.length === 0) return { applied: 0 };

  // Unapplied = amount − applied to invoices − refunded from it, oldest first.
  const credits = await queryRows<{ id: number; left: number }>(
    tx,
    sql`SELECT c.crednum AS id,
          ((c.amount
            - COALESCE((SELECT sum(amount) FROM cust_credit_bill WHERE crednum = c.crednum), 0)
            - COALESCE((SELECT sum(amount) FROM cust_credit_refund WHERE crednum = c.crednum), 0)) * 100)::bigint AS left
        FROM cust_credit c WHERE c.custnum = ${custnum}
        ORDER BY c._date, c.crednum`,
  );
  const payments = await queryRows<{ id: number; left: number }>(
    tx,
    sql`SELECT p.paynum AS id,
          ((p.paid
            - COALESCE((SELECT sum(amount) FROM cust_bill_pay WHERE paynum = p.paynum), 0)
            - COALESCE((SELECT sum(amount) FROM cust_pay_refund WHERE paynum = p.paynum), 0)) * 100)::bigint AS left
        FROM cust_pay p WHERE p.custnum = ${custnum} AND p.no_auto_apply IS NULL
        ORDER BY p._date, p.paynum`,
  );

  let applied = 0;
  const sources = [
    ...credits.filter((c) => c.left > 0).map((c) => ({ kind: "credit" as const, id: c.id, left: Number(c.left) })),
    ...payments.filter((p) => p.left > 0).map((p) => ({ kind: "payment" as const, id: p.id, left: Number(p.left) })),
  ];
  for (const inv of openInvoices) {
    let owed = inv.owed;
    for (const src of sources) {
      if (owed === 0) break;
      if (src.left === 0) continue;
      const amount = Math.min(owed, src.left);
      if (src.kind === "credit") {
        await tx.insert(custCreditBill).values({ crednum: src.id, invnum: inv.invnum, amount, date: now });
      } else {
        await tx.insert(custBillPay).values({ paynum: src.id, invnum: inv.invnum, amount, date: now });
      }
      src.left -= amount;
      owed -= amount;
      applied += amount;
    }
    if (owed !== inv.owed) await tx.update(custBill).set({ owed }).where(eq(custBill.invnum, inv.invnum));
  }
  return { applied };
}
