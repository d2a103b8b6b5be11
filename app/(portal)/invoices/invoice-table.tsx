"use client";

import { Table, type TableColumn } from "@/components/ui/table";
import type { InvoiceStatus } from "@/lib/billing/invoice-status";
import { InvoiceStatusBadge } from "./_shared/invoice-status-badge";

/** One invoice of the list, formatted on the server (the browser, hydrating, formats nothing). */
export interface InvoiceRow {
  invnum: number;
  date: string;
  due: string;
  status: InvoiceStatus;
  total: string;
  owed: string;
}

const COLUMNS: TableColumn<InvoiceRow>[] = [
  { key: "invnum", header: "Invoice", rowHeader: true, cell: (i) => <a href={`/invoices/${i.invnum}`}>{`Invoice #${i.invnum}`}</a> },
  { key: "date", header: "Date", cell: (i) => i.date },
  { key: "due", header: "Due", cell: (i) => i.due },
  { key: "status", header: "Status", cell: (i) => <InvoiceStatusBadge status={i.status} /> },
  // The cell itself carries the money style: one element fewer per amount.
  { key: "total", header: "Total", align: "end", className: "money", cell: (i) => i.total },
  { key: "owed", header: "Owed", align: "end", className: "money", cell: (i) => i.owed },
];

/**
 * The page of invoices on /invoices. A client component for the reason AccountOverview is one
 * (app/(portal)/account/account-overview.tsx): the server sends these rows as strings and renders
 * their links and badges once, not twice.
 */
export function InvoiceTable({ caption, rows }: { caption: string; rows: InvoiceRow[] }) {
  return <Table caption={caption} captionHidden columns={COLUMNS} rows={rows} rowKey={(i) => i.invnum} />;
}
