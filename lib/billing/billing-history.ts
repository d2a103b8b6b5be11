import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { queryRows } from "@/lib/db/rows";
import { getBalanceCents } from "./balance";
import { msToDate, normalisePage } from "./list-invoices";
import { paybyName } from "./payby";

/**
 * Freeside's billing_history (cust_main->payment_history): every invoice, payment, credit and
 * refund of the customer with a signed amount (invoices and refunds +, payments and credits −)
 * and the running balance after it, newest first, paginated on the database.
 */
export type HistoryType = "Invoice" | "Payment" | "Credit" | "Refund";

export interface HistoryRow {
  type: HistoryType;
  /** invnum, paynum, crednum or refundnum. */
  id: number;
  date: Date;
  description: string;
  /** Signed: + raises the balance (invoice, refund), − lowers it (payment, credit). */
  amountCents: number;
  /** The customer's balance right after this row. */
  balanceCents: number;
}

export interface HistoryPage {
  rows: HistoryRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  balanceCents: number;
}

export const HISTORY_DEFAULT_PAGE_SIZE = 50;

function describe(type: HistoryType, id: number, payby: string | null, paymask: string | null, reason: string | null): string {
  switch (type) {
    case "Invoice":
      return `Invoice #${id}`;
    case "Payment":
      return `Payment${payby ? ` by ${paybyName(payby)}` : ""}${paymask ? ` ${paymask}` : ""}`;
    case "Credit":
      return reason ? `Credit (${reason})` : "Credit";
    case "Refund":
      return `Refund${payby ? ` by ${paybyName(payby)}` : ""}${reason ? ` (${reason})` : ""}`;
  }
}

export async function billingHistory(db: DbOrTx, args: { custnum: number; page?: number; pageSize?: number }): Promise<HistoryPage> {
  const { page, pageSize } = normalisePage(args.page, args.pageSize, HISTORY_DEFAULT_PAGE_SIZE);
  const custnum = args.custnum;
  const offset = (page - 1) * pageSize;

  const [count] = await queryRows<{ n: number }>(
    db,
    sql`SELECT ((SELECT count(*) FROM cust_bill WHERE custnum = ${custnum})
              + (SELECT count(*) FROM cust_pay WHERE custnum = ${custnum})
              + (SELECT count(*) FROM cust_credit WHERE custnum = ${custnum})
              + (SELECT count(*) FROM cust_refund WHERE custnum = ${custnum}))::int AS n`,
  );
  const total = Number(count?.n ?? 0);

  const rows =
    total > offset
      ? await queryRows<{
          type: HistoryType;
          id: number;
          date: string | number;
          amount: string | number;
          balance: string | number;
          payby: string | null;
          paymask: string | null;
          reason: string | null;
        }>(
          db,
          // ord: on the same instant an invoice comes before the payment that pays it.
          sql`WITH h AS (
                SELECT 'Invoice'::text AS type, 0 AS ord, invnum AS id, _date, (charged * 100)::bigint AS amount,
                       NULL::text AS payby, NULL::text AS paymask, NULL::text AS reason
                  FROM cust_bill WHERE custnum = ${custnum}
                UNION ALL
                SELECT 'Payment', 1, paynum, _date, -(paid * 100)::bigint, payby::text, paymask::text, NULL
                  FROM cust_pay WHERE custnum = ${custnum}
                UNION ALL
                SELECT 'Credit', 2, crednum, _date, -(amount * 100)::bigint, NULL, NULL, reason
                  FROM cust_credit WHERE custnum = ${custnum}
                UNION ALL
                SELECT 'Refund', 3, refundnum, _date, (refund * 100)::bigint, payby::text, paymask::text, reason::text
                  FROM cust_refund WHERE custnum = ${custnum}
              ), r AS (
                SELECT h.*, sum(amount) OVER (ORDER BY _date, ord, id ROWS UNBOUNDED PRECEDING) AS balance FROM h
              )
              SELECT type, id, (extract(epoch FROM _date) * 1000)::bigint AS date, amount, balance::bigint AS balance, payby, paymask, reason
                FROM r
               ORDER BY _date DESC, ord DESC, id DESC
               LIMIT ${pageSize} OFFSET ${offset}`,
        )
      : [];

  const balanceCents = await getBalanceCents(db, custnum);
  return {
    rows: rows.map((r) => ({
      type: r.type,
      id: Number(r.id),
      date: msToDate(r.date)!,
      description: describe(r.type, Number(r.id), r.payby?.trim() || null, r.paymask, r.reason),
      amountCents: Number(r.amount),
      balanceCents: Number(r.balance),
    })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    balanceCents,
  };
}
