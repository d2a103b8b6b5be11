import type { ReactNode } from "react";
import { CUSTOMER_STATUS_LABEL, type CustomerStatus, type PackageStatus } from "@/lib/packages/status";

/**
 * A small status label. The colour is never the only signal: the text says the status.
 * Freeside colours its statuses (FS::cust_pkg / FS::cust_main); the tones below map them
 * onto Portico's calmer palette.
 */
export type BadgeTone = "success" | "warning" | "danger" | "neutral" | "info";

export interface BadgeProps {
  tone?: BadgeTone;
  children: ReactNode;
  className?: string;
  title?: string;
}

export function Badge({ tone = "neutral", children, className, title }: BadgeProps) {
  return (
    <span className={["badge", `badge-${tone}`, className].filter(Boolean).join(" ")} title={title}>
      {children}
    </span>
  );
}

/** Freeside package status → tone (active green, suspended/on hold orange, cancelled red, not yet billed teal, one-time blue). */
export const PACKAGE_STATUS_TONE: Record<PackageStatus, BadgeTone> = {
  active: "success",
  suspended: "warning",
  "on hold": "warning",
  cancelled: "danger",
  "not yet billed": "info",
  "one-time charge": "neutral",
};

/** Freeside customer status → tone. */
export const CUSTOMER_STATUS_TONE: Record<CustomerStatus, BadgeTone> = {
  active: "success",
  ordered: "info",
  suspended: "warning",
  cancelled: "danger",
  inactive: "neutral",
  prospect: "neutral",
};

/** Invoice state → tone: paid, open (owing), overdue. */
export type InvoiceState = "paid" | "open" | "overdue" | "void";
export const INVOICE_STATE_TONE: Record<InvoiceState, BadgeTone> = {
  paid: "success",
  open: "info",
  overdue: "danger",
  void: "neutral",
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `<PackageStatusBadge status="suspended" />` → "Suspended" in the warning tone. */
export function PackageStatusBadge({ status }: { status: PackageStatus }) {
  return <Badge tone={PACKAGE_STATUS_TONE[status]}>{capitalise(status)}</Badge>;
}

/** `<CustomerStatusBadge status="prospect" />` → "No packages" in the neutral tone (Freeside's labels). */
export function CustomerStatusBadge({ status }: { status: CustomerStatus }) {
  return <Badge tone={CUSTOMER_STATUS_TONE[status]}>{CUSTOMER_STATUS_LABEL[status]}</Badge>;
}
