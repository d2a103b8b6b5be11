/**
 * Freeside's package and customer status rules (FS::cust_pkg::status, FS::cust_main::Status
 * 'Classic'), as pure functions so pages, RPC and SQL-free code agree.
 */
export type PackageStatus = "cancelled" | "on hold" | "suspended" | "not yet billed" | "one-time charge" | "active";

export const PACKAGE_STATUS_COLOR: Record<PackageStatus, string> = {
  "on hold": "FF00F5",
  "not yet billed": "009999",
  "one-time charge": "0000CC",
  active: "00CC00",
  suspended: "FF9900",
  cancelled: "FF0000",
};

export function packageStatus(p: { cancel: Date | null; susp: Date | null; setup: Date | null; freq: string }): PackageStatus {
  if (p.cancel) return "cancelled";
  if (p.susp && !p.setup) return "on hold";
  if (p.susp) return "suspended";
  if (!p.setup) return "not yet billed";
  if (p.freq === "0" || p.freq === "") return "one-time charge";
  return "active";
}

export type CustomerStatus = "prospect" | "ordered" | "active" | "inactive" | "suspended" | "cancelled";

export const CUSTOMER_STATUS_LABEL: Record<CustomerStatus, string> = {
  prospect: "No packages",
  ordered: "Ordered",
  active: "Active",
  inactive: "Inactive",
  suspended: "Suspended",
  cancelled: "Cancelled",
};

export const CUSTOMER_STATUS_COLOR: Record<CustomerStatus, string> = {
  prospect: "FF00F5",
  active: "00CC00",
  ordered: "009999",
  inactive: "0000CC",
  suspended: "FF9900",
  cancelled: "FF0000",
};

/** The customer's status from their packages' statuses. */
export function customerStatus(statuses: PackageStatus[]): CustomerStatus {
  if (statuses.length === 0) return "prospect";
  if (statuses.includes("active")) return "active";
  if (statuses.includes("not yet billed")) return "ordered";
  if (statuses.includes("suspended") || statuses.includes("on hold")) return "suspended";
  if (statuses.includes("one-time charge")) return "inactive";
  return "cancelled";
}

/** "1" → "monthly", "12" → "annually", "0" → "one-time". */
export function freqPretty(freq: string): string {
  const n = Number(freq);
  if (!freq || n === 0) return "one-time";
  if (n === 1) return "monthly";
  if (n === 3) return "quarterly";
  if (n === 6) return "semi-annually";
  if (n === 12) return "annually";
  if (n === 24) return "every two years";
  return `every ${n} months`;
}
