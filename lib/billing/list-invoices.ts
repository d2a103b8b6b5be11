import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { queryRows } from "@/lib/db/rows";
import { customerScopeCte, type CustomerScope, type CustomerSession, type ScopeColumns } from "@/lib/auth/sessions";
import { balanceSql } from "./balance";
import type { InvoiceStatus } from "./invoice-status";

/**
 * A customer's invoices, newest first, one page at a time (LIMIT/OFFSET on the database, driven
 * by the cust_bill (custnum, _date DESC, invnum DESC) index). Hidden invoices are left out, as
 * Freeside's list_invoices does.
 */

/** Days to pay when neither the invoice nor the customer has "Net N" terms. */
export const DEFAULT_NET_DAYS = 30;

/** "Net 15" → 15; "Payable upon receipt" / "Due on receipt" → 0; anything else → the default. */
export function netDays(terms: string | null | undefined): number {
  const t = (terms ?? "").trim();
  const m = /^net\s*(\d{1,3})$/i.exec(t);
  if (m) return Number(m[1]);
  if (/upon receipt|on receipt/i.test(t)) return 0;
  return DEFAULT_NET_DAYS;
}

export function invoiceDueDate(date: Date, terms: string | null | undefined): Date {
  return new Date(date.getTime() + netDays(terms) * 86_400_000);
}

export function invoiceStatus(inv: { chargedCents: number; owedCents: number; dueDate: Date }, now: Date): InvoiceStatus {
  if (inv.owedCents <= 0) return "paid";
  if (now.getTime() > inv.dueDate.getTime()) return "overdue";
  return inv.owedCents < inv.chargedCents ? "partial" : "open";
}

export interface InvoiceSummary {
  invnum: number;
  date: Date;
  dueDate: Date;
  chargedCents: number;
  owedCents: number;
  /** The customer's balance before this invoice (Freeside's `previous`). */
  previousBalanceCents: number;
  /** Sum of `owed` over this and every earlier invoice (Freeside's list_invoices `balance`). */
  runningOwedCents: number;
  /** Latest payment or credit applied to it, if any. */
  lastPaymentDate: Date | null;
  status: InvoiceStatus;
}

export interface InvoicePage {
  invoices: InvoiceSummary[];
  /** The customer's balance (invoices − payments − credits + refunds), read in the same statement. */
  balanceCents: number;
  /** Number of invoices over all pages. */
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Whole page numbers from 1; page sizes 1..MAX_PAGE_SIZE. Out-of-range values are clamped. */
export function normalisePage(page: number | undefined, pageSize: number | undefined, defaultSize = DEFAULT_PAGE_SIZE): { page: number; pageSize: number } {
  const p = Number.isFinite(page) ? Math.max(1, Math.floor(page!)) : 1;
  const s = Number.isFinite(pageSize) ? Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize!))) : defaultSize;
  return { page: p, pageSize: s };
}

/** Epoch milliseconds (as SQL `(extract(epoch FROM x) * 1000)::bigint` gives them, any driver) → Date. */
export function msToDate(v: string | number | bigint | null | undefined): Date | null {
  if (v === null || v === undefined) return null;
  return new Date(Number(v));
}

export async function listInvoices(
  db: DbOrTx,
  args: { custnum: number; page?: number; pageSize?: number; now?: Date },
): Promise<InvoicePage> {
  const read = await readInvoicePage(db, { custnum: args.custnum }, args);
  if (!read) throw new Error("unreachable: a custnum scope always reads one row");
  return read.page;
}

/**
 * `listInvoices` for the customer whose session `token` is, with the session, in one statement
 * (the session check is a CTE of the same read); null when the token is not a valid customer
 * session.
 */
export async function listInvoicesForSession(
  db: DbOrTx,
  token: unknown,
  args: { page?: number; pageSize?: number; now?: Date } = {},
): Promise<{ session: CustomerSession; page: InvoicePage } | null> {
  const read = await readInvoicePage(db, { sessionToken: token, now: args.now }, args);
  return read?.session ? { session: read.session, page: read.page } : null;
}

async function readInvoicePage(
  db: DbOrTx,
  scope: CustomerScope,
  args: { page?: number; pageSize?: number; now?: Date },
): Promise<{ session: CustomerSession | null; page: InvoicePage } | null> {
  const { page, pageSize } = normalisePage(args.page, args.pageSize);
  const now = args.now ?? new Date();
  const prepared = customerScopeCte(scope);
  if (!prepared) return null;

  const offset = (page - 1) * pageSize;

  // One round trip: the page's rows carry the customer's invoice count (a window over the same
  // index scan) and the balance (one row even when the page is empty); only an empty page (past
  // the end) counts the invoices on its own, in the same statement. The balance is its own one-row CTE: as a sub-select of the
  // outer SELECT list it would be worked out again for every row of the page (PostgreSQL runs a
  // correlated sub-plan per row), four scans of the customer's rows each time.
  const rows = await queryRows<
    ScopeColumns & {
      balance: string | number;
      invnum: number | null;
      date: string | number;
      charged: string | number;
      owed: string | number;
      previous: string | number;
      running: string | number;
      terms: string | null;
      lastpay: string | number | null;
      total: string | number;
      total_if_empty: string | number | null;
    }
  >(
    db,
    sql`WITH ${prepared.cte}, inv AS (
          SELECT b.invnum, b._date, b.charged, b.owed, b.previous_balance,
                 COALESCE(b.invoice_terms, c.invoice_terms) AS terms,
                 sum(b.owed) OVER (ORDER BY b._date, b.invnum ROWS UNBOUNDED PRECEDING) AS running,
                 count(*) OVER () AS total
            FROM cust_bill b JOIN cust_main c ON c.custnum = b.custnum
           WHERE b.custnum = (SELECT custnum FROM scope) AND b.hide IS NULL
        ), page AS (
          SELECT inv.invnum, inv._date, (extract(epoch FROM inv._date) * 1000)::bigint AS date,
                 (inv.charged * 100)::bigint AS charged, (inv.owed * 100)::bigint AS owed,
                 (COALESCE(inv.previous_balance, 0) * 100)::bigint AS previous,
                 (inv.running * 100)::bigint AS running, inv.terms, inv.total,
                 (extract(epoch FROM GREATEST((SELECT max(_date) FROM cust_bill_pay WHERE invnum = inv.invnum),
                          (SELECT max(_date) FROM cust_credit_bill WHERE invnum = inv.invnum))) * 1000)::bigint AS lastpay
            FROM inv
           ORDER BY inv._date DESC, inv.invnum DESC
           LIMIT ${pageSize} OFFSET ${offset}
        ), bal AS MATERIALIZED (
          SELECT (${balanceSql(sql`scope.custnum`)})::bigint AS balance,
                 CASE WHEN NOT EXISTS (SELECT 1 FROM page)
                      THEN (SELECT count(*) FROM cust_bill WHERE custnum = scope.custnum AND hide IS NULL) END AS total_if_empty
            FROM scope
        )
        SELECT ${prepared.columns}, bal.balance, bal.total_if_empty,
               page.invnum, page.date, page.charged, page.owed, page.previous, page.running, page.terms, page.total, page.lastpay
          FROM scope
          CROSS JOIN bal
          LEFT JOIN page ON true
         ORDER BY page._date DESC, page.invnum DESC`,
  );
  const first = rows[0];
  if (!first) return null;
  const session = await prepared.finish(db, first);
  const balanceCents = Number(first.balance ?? 0);
  const found = rows.filter((r) => r.invnum !== null);
  const total = found.length > 0 ? Number(found[0]!.total) : Number(first.total_if_empty ?? 0);

  const invoices = found.map((r): InvoiceSummary => {
    const date = msToDate(r.date)!;
    const dueDate = invoiceDueDate(date, r.terms);
    const chargedCents = Number(r.charged);
    const owedCents = Number(r.owed);
    return {
      invnum: Number(r.invnum),
      date,
      dueDate,
      chargedCents,
      owedCents,
      previousBalanceCents: Number(r.previous),
      runningOwedCents: Number(r.running),
      lastPaymentDate: msToDate(r.lastpay),
      status: invoiceStatus({ chargedCents, owedCents, dueDate }, now),
    };
  });
  return { session, page: { invoices, balanceCents, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) } };
}
