/**
 * Invoice statuses and their labels: pure (no database), so the pages' client components can
 * show a status as the server and the RPC methods name it.
 */
/**
 * Invoice status, Portico's own (Freeside has none):
 *  - "paid":    nothing owed;
 *  - "partial": part paid or credited, the rest not yet due;
 *  - "open":    nothing paid yet, not yet due;
 *  - "overdue": something owed after the due date.
 */
export type InvoiceStatus = "paid" | "partial" | "open" | "overdue";

export const INVOICE_STATUS_LABEL: Record<InvoiceStatus, string> = {
  paid: "Paid",
  partial: "Partly paid",
  open: "Open",
  overdue: "Overdue",
};
