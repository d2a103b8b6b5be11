/**
 * Dates as Freeside prints them, in the ISP's timezone (PORTICO_TIMEZONE, default UTC).
 * Safe for the browser too: falls back to UTC when the variable is not set there.
 *
 * Hot path: list pages and RPC lists print several dates per row, so the calendar date in the
 * zone comes from one cached Intl.DateTimeFormat per timezone (plain UTC getters for UTC) and the
 * few fixed patterns are assembled by hand — the same text date-fns' `format` gave for these
 * patterns (tests/scale/date-format.test.ts compares them), at a fraction of the cost.
 */
export function portalTimezone(): string {
  return (typeof process !== "undefined" && process.env?.PORTICO_TIMEZONE) || "UTC";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function calendarDate(d: Date | number): CalendarDate {
  const ms = typeof d === "number" ? d * 1000 : d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("Invalid time value");
  const tz = portalTimezone();
  if (tz === "UTC" || tz === "Etc/UTC") {
    const u = new Date(ms);
    return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
  }
  let f = zoneFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, year: "numeric", month: "numeric", day: "numeric", era: "short" });
    zoneFormatters.set(tz, f);
  }
  let year = 0;
  let month = 0;
  let day = 0;
  let bc = false;
  for (const p of f.formatToParts(ms)) {
    if (p.type === "year") year = Number(p.value);
    else if (p.type === "month") month = Number(p.value);
    else if (p.type === "day") day = Number(p.value);
    else if (p.type === "era") bc = p.value.startsWith("B");
  }
  return { year: bc ? 1 - year : year, month, day };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const year4 = (y: number) => (y >= 0 && y < 1000 ? String(y).padStart(4, "0") : String(y));

function ordinal(n: number): string {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

/** "Nov 3rd, 2026" (Freeside's "%b %o, %Y"). */
export function formatDateLong(d: Date | number): string {
  const c = calendarDate(d);
  return `${MONTHS[c.month - 1]} ${ordinal(c.day)}, ${year4(c.year)}`;
}

/** "11/03/2026" (Freeside's mm/dd/yyyy `*_pretty`). */
export function formatDateShort(d: Date | number): string {
  const c = calendarDate(d);
  return `${pad2(c.month)}/${pad2(c.day)}/${year4(c.year)}`;
}

/** "11-03-2026" (list_invoices' date_short). */
export function formatDateDashed(d: Date | number): string {
  const c = calendarDate(d);
  return `${pad2(c.month)}-${pad2(c.day)}-${year4(c.year)}`;
}

/** "2026-11-03" (process_payment's date_pretty). */
export function formatDateIso(d: Date | number): string {
  const c = calendarDate(d);
  return `${year4(c.year)}-${pad2(c.month)}-${pad2(c.day)}`;
}

/** "3 Nov 2026" for people reading the portal. */
export function formatDateHuman(d: Date | number): string {
  const c = calendarDate(d);
  return `${c.day} ${MONTHS[c.month - 1]} ${year4(c.year)}`;
}

/** UNIX seconds, as the RPC surface speaks. */
export function unixSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}
