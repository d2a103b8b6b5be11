/** Freeside's payment types (cust_pay.payby / cust_refund.payby) and their printed names. */
export const PAYBY_NAMES: Record<string, string> = {
  CARD: "Credit card",
  DCRD: "Credit card (direct)",
  CHEK: "Electronic check",
  DCHK: "Electronic check (direct)",
  BILL: "Check",
  CASH: "Cash",
  WEST: "Western Union",
  MCRD: "Manual credit card",
  MCHK: "Manual electronic check",
  PPAL: "PayPal",
  PREP: "Prepaid card",
  COMP: "Complimentary",
  LECB: "Phone bill billing",
};

/** Payment types the back-office API accepts for payments and refunds. */
export const PAYBY_CODES = Object.keys(PAYBY_NAMES);

export function paybyName(payby: string | null | undefined): string {
  const code = (payby ?? "").trim().toUpperCase();
  return PAYBY_NAMES[code] ?? code;
}
