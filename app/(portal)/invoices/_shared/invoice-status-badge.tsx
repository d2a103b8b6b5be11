import { Badge, type BadgeTone } from "@/components/ui/badge";
import { INVOICE_STATUS_LABEL, type InvoiceStatus } from "@/lib/billing/invoice-status";

/** Invoice status (lib/billing/invoice-status.ts) → tone; the text always says the status. */
export const INVOICE_STATUS_TONE: Record<InvoiceStatus, BadgeTone> = {
  paid: "success",
  open: "info",
  partial: "warning",
  overdue: "danger",
};

export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  return (
    <Badge tone={INVOICE_STATUS_TONE[status]} className="invoice-status">
      {INVOICE_STATUS_LABEL[status]}
    </Badge>
  );
}
