/**
 * How a stored (or about to be used) payment method is named to people, from its masked
 * fields only: "Visa ••••1111", "Bank account ••89". Pure and client-safe: it never sees a
 * full number, because nothing but `paymask` ever leaves the server.
 */
import { cardTypeLabel, parseExpselectDate } from "./card";
import { isBankPayby } from "./payby-schema";

export interface MaskedMethod {
  payby: string;
  /** Freeside's paymask: "xxxxxxxxxxxx1111" (card) or "xxxxxxxxxx89@110000000" (bank). */
  paymask: string;
  paycardtype?: string | null;
}

/** The visible end of a mask: the card's last four, or the bank account's last two digits. */
export function maskedTail(m: MaskedMethod): string {
  if (isBankPayby(m.payby)) {
    const account = m.paymask.split("@")[0] ?? "";
    return account.replace(/\D/g, "").slice(-2);
  }
  return m.paymask.replace(/\D/g, "").slice(-4);
}

/** The bank's routing number from a bank paymask ("" for cards). */
export function routingOf(m: MaskedMethod): string {
  return isBankPayby(m.payby) ? (m.paymask.split("@")[1] ?? "") : "";
}

/** "Visa ••••1111" or "Bank account ••89". */
export function methodLabel(m: MaskedMethod): string {
  const tail = maskedTail(m);
  if (isBankPayby(m.payby)) return `Bank account ••${tail}`;
  return `${cardTypeLabel(m.paycardtype)} ••••${tail}`;
}

/** "12/2028" from a stored paydate, "" when there is none. */
export function expiryLabel(paydate: string | null | undefined): string {
  const exp = parseExpselectDate(paydate);
  return exp ? `${String(exp.month).padStart(2, "0")}/${exp.year}` : "";
}
