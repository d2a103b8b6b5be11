import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { queryRows } from "@/lib/db/rows";
import { customerScopeCte, type CustomerScope, type CustomerSession, type ScopeColumns } from "@/lib/auth/sessions";
import { nextBillDateSql } from "./balance";
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
  /** Freeside's next_bill_date, read in the same statement when asked for (`withNextBillDate`); else undefined. */
  nextBillDate?: Date | null;
}

export interface HistoryArgs {
  page?: number;
  pageSize?: number;
  /** Also read the next bill date (RPC billing_history shows it; the page does not). */
  withNextBillDate?: boolean;
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

/**
 * One page of a customer's history. One statement: the page of rows with their running balance,
 * the number of rows over all pages and the balance (the sum of every signed amount, which is
 * exactly invoices − payments − credits + refunds), even for a page past the end.
 */
export async function billingHistory(db: DbOrTx, args: { custnum: number } & HistoryArgs): Promise<HistoryPage> {
  const read = await readHistoryPage(db, { custnum: args.custnum }, args);
  if (!read) throw new Error("unreachable: a custnum scope always reads one row");
  return read.history;
}

/**
 * `billingHistory` for the customer whose session `token` is, with the session, in one statement
 * (the session check is the `CustomerScope` CTE of the same read); null when the token is not a
 * valid customer session.
 */
export async function billingHistoryForSession(
  db: DbOrTx,
  token: unknown,
  args: HistoryArgs & { now?: Date } = {},
): Promise<{ session: CustomerSession; history: HistoryPage } | null> {
  const read = await readHistoryPage(db, { sessionToken: token, now: args.now }, args);
  return read?.session ? { session: read.session, history: read.history } : null;
}

async function readHistoryPage(db: DbOrTx, scope: CustomerScope, args: HistoryArgs): Promise<{ session: CustomerSession | null; history: HistoryPage } | null> {
  const { page, pageSize } = normalisePage(args.page, args.pageSize, HISTORY_DEFAULT_PAGE_SIZE);
  const offset = (page - 1) * pageSize;
  const prepared = customerScopeCte(scope);
  if (!prepared) return null;

  // Every branch is driven by its table's (custnum, _date) index, through the scope's custnum.
  // `h` is read twice (the running balance, and the count and balance over every row), so it is
  // materialised once; the scope row comes back even when the page is empty. Per-customer
  // figures (the next bill date) are one-row CTEs, not sub-selects of the outer SELECT list,
  // which PostgreSQL would run again for every row of the page.
  const rows = await queryRows<
    ScopeColumns & {
      total: string | number;
      balance_all: string | number;
      next_bill: string | number | null;
      type: HistoryType | null;
      id: number | null;
      date: string | number;
      amount: string | number;
      balance: string | number;
      payby: string | null;
      paymask: string | null;
      reason: string | null;
    }
  >(
    db,
    // ord: on the same instant an invoice comes before the payment that pays it.
    sql`WITH ${prepared.cte}, h AS (
          SELECT 'Invoice'::text AS type, 0 AS ord, invnum AS id, _date, (charged * 100)::bigint AS amount,
                 NULL::text AS payby, NULL::text AS paymask, NULL::text AS reason
            FROM cust_bill WHERE custnum = (SELECT custnum FROM scope)
          UNION ALL
          SELECT 'Payment', 1, paynum, _date, -(paid * 100)::bigint, payby::text, paymask::text, NULL
            FROM cust_pay WHERE custnum = (SELECT custnum FROM scope)
          UNION ALL
          SELECT 'Credit', 2, crednum, _date, -(amount * 100)::bigint, NULL, NULL, reason
            FROM cust_credit WHERE custnum = (SELECT custnum FROM scope)
          UNION ALL
          SELECT 'Refund', 3, refundnum, _date, (refund * 100)::bigint, payby::text, paymask::text, reason::text
            FROM cust_refund WHERE custnum = (SELECT custnum FROM scope)
        ), agg AS (
          SELECT count(*) AS total, COALESCE(sum(amount), 0) AS balance FROM h
        ), page AS (
          SELECT r.* FROM (SELECT h.*, sum(amount) OVER (ORDER BY _date, ord, id ROWS UNBOUNDED PRECEDING) AS balance FROM h) r
           ORDER BY r._date DESC, r.ord DESC, r.id DESC
           LIMIT ${pageSize} OFFSET ${offset}
        ), nb AS MATERIALIZED (
          SELECT ${args.withNextBillDate ? sql`(${nextBillDateSql(sql`scope.custnum`)})` : sql`NULL::bigint`} AS next_bill FROM scope
        )
        SELECT ${prepared.columns}, agg.total::int AS total, agg.balance::bigint AS balance_all, nb.next_bill,
               page.type, page.id, (extract(epoch FROM page._date) * 1000)::bigint AS date, page.amount,
               page.balance::bigint AS balance, page.payby, page.paymask, page.reason
          FROM scope CROSS JOIN agg CROSS JOIN nb
          LEFT JOIN page ON true
         ORDER BY page._date DESC, page.ord DESC, page.id DESC`,
  );
  const first = rows[0];
  if (!first) return null;
  const session = await prepared.finish(db, first);
  const total = Number(first.total);
  const history: HistoryPage = {
    rows: rows
      .filter((r) => r.type !== null)
      .map((r) => ({
        type: r.type!,
        id: Number(r.id),
        date: msToDate(r.date)!,
        description: describe(r.type!, Number(r.id), r.payby?.trim() || null, r.paymask, r.reason),
        amountCents: Number(r.amount),
        balanceCents: Number(r.balance),
      })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    balanceCents: Number(first.balance_all),
  };
  if (args.withNextBillDate) history.nextBillDate = msToDate(first.next_bill);
  return { session, history };
}
