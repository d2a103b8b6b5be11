import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { queryRows } from "@/lib/db/rows";
import { msToDate, normalisePage } from "./list-invoices";

/** A customer's payments, newest first, paginated on the database (Freeside's list_payments). */
export interface PaymentSummary {
  paynum: number;
  date: Date;
  paidCents: number;
  /** Still not applied to an invoice nor refunded. */
  unappliedCents: number;
  payby: string;
  paycardtype: string;
  paymask: string;
  processor: string;
  auth: string;
  orderNumber: string;
}

export interface PaymentPage {
  payments: PaymentSummary[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export async function listPayments(db: DbOrTx, args: { custnum: number; page?: number; pageSize?: number }): Promise<PaymentPage> {
  const { page, pageSize } = normalisePage(args.page, args.pageSize);
  const offset = (page - 1) * pageSize;
  const [count] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM cust_pay WHERE custnum = ${args.custnum}`);
  const total = Number(count?.n ?? 0);
  const rows =
    total > offset
      ? await queryRows<{
          paynum: number;
          date: string | number;
          paid: string | number;
          unapplied: string | number;
          payby: string;
          paycardtype: string | null;
          paymask: string | null;
          processor: string | null;
          auth: string | null;
          order_number: string | null;
        }>(
          db,
          sql`SELECT p.paynum, (extract(epoch FROM p._date) * 1000)::bigint AS date, (p.paid * 100)::bigint AS paid,
                     ((p.paid - COALESCE((SELECT sum(amount) FROM cust_bill_pay WHERE paynum = p.paynum), 0)
                              - COALESCE((SELECT sum(amount) FROM cust_pay_refund WHERE paynum = p.paynum), 0)) * 100)::bigint AS unapplied,
                     p.payby, p.paycardtype, p.paymask, p.processor, p.auth, p.order_number
                FROM cust_pay p
               WHERE p.custnum = ${args.custnum}
               ORDER BY p._date DESC, p.paynum DESC
               LIMIT ${pageSize} OFFSET ${offset}`,
        )
      : [];
  return {
    payments: rows.map((r) => ({
      paynum: Number(r.paynum),
      date: msToDate(r.date)!,
      paidCents: Number(r.paid),
      unappliedCents: Number(r.unapplied),
      payby: r.payby.trim(),
      paycardtype: r.paycardtype ?? "",
      paymask: r.paymask ?? "",
      processor: r.processor ?? "",
      auth: r.auth ?? "",
      orderNumber: r.order_number ?? "",
    })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}
