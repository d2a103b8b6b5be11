"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Table, type TableColumn } from "@/components/ui/table";
import type { HistoryType } from "@/lib/billing/billing-history";
import styles from "./history.module.css";

/** One entry of the history, formatted on the server (the browser, hydrating, formats nothing). */
export interface HistoryRowView {
  /** `${type}-${id}`: unique over the four kinds. */
  key: string;
  type: HistoryType;
  date: string;
  description: string;
  /** The invoice page for an invoice, else null. */
  href: string | null;
  /** "+$12.50" raises the balance (invoices, refunds); "−$12.50" lowers it (payments, credits). */
  amount: string;
  /** The balance after this entry ("$41.00", "-$3.00"). */
  balance: string;
  /** A credit balance (shown in the credit tone). */
  credit: boolean;
}

const TYPE_TONE: Record<HistoryType, BadgeTone> = {
  Invoice: "neutral",
  Payment: "success",
  Credit: "info",
  Refund: "warning",
};

const COLUMNS: TableColumn<HistoryRowView>[] = [
  { key: "date", header: "Date", cell: (r) => r.date },
  { key: "type", header: "Type", cell: (r) => <Badge tone={TYPE_TONE[r.type]}>{r.type}</Badge> },
  {
    key: "description",
    header: "Description",
    rowHeader: true,
    className: styles.description,
    cell: (r) => (r.href ? <a href={r.href}>{r.description}</a> : r.description),
  },
  // The cells themselves carry the money style: one element fewer per amount.
  { key: "amount", header: "Amount", align: "end", className: "money", cell: (r) => r.amount },
  { key: "balance", header: "Balance", align: "end", className: "money", cell: (r) => (r.credit ? <span className="money-negative">{r.balance}</span> : r.balance) },
];

/**
 * The page of history on /billing/history. A client component for the reason InvoiceTable is one
 * (app/(portal)/invoices/invoice-table.tsx): the server sends the rows as strings and renders
 * their badges, links and cells once, not twice.
 */
export function HistoryTable({ caption, rows }: { caption: string; rows: HistoryRowView[] }) {
  return <Table caption={caption} captionHidden columns={COLUMNS} rows={rows} rowKey={(r) => r.key} />;
}
