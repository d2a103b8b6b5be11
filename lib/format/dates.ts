import { format } from "date-fns";
import { TZDate } from "@date-fns/tz";

/**
 * Dates as Freeside prints them, in the ISP's timezone (PORTICO_TIMEZONE, default UTC).
 * Safe for the browser too: falls back to UTC when the variable is not set there.
 */
export function portalTimezone(): string {
  return (typeof process !== "undefined" && process.env?.PORTICO_TIMEZONE) || "UTC";
}

function inZone(d: Date | number): TZDate {
  return new TZDate(typeof d === "number" ? d * 1000 : d.getTime(), portalTimezone());
}

/** "Nov 3rd, 2026" (Freeside's "%b %o, %Y"). */
export function formatDateLong(d: Date | number): string {
  return format(inZone(d), "MMM do, yyyy");
}

/** "11/03/2026" (Freeside's mm/dd/yyyy `*_pretty`). */
export function formatDateShort(d: Date | number): string {
  return format(inZone(d), "MM/dd/yyyy");
}

/** "11-03-2026" (list_invoices' date_short). */
export function formatDateDashed(d: Date | number): string {
  return format(inZone(d), "MM-dd-yyyy");
}

/** "2026-11-03" (process_payment's date_pretty). */
export function formatDateIso(d: Date | number): string {
  return format(inZone(d), "yyyy-MM-dd");
}

/** "3 Nov 2026" for people reading the portal. */
export function formatDateHuman(d: Date | number): string {
  return format(inZone(d), "d MMM yyyy");
}

/** UNIX seconds, as the RPC surface speaks. */
export function unixSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}
