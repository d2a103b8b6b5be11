import { TZDate } from "@date-fns/tz";

/**
 * Billing periods: whole months in the ISP's timezone (PORTICO_TIMEZONE), so a package billed on
 * the 1st at midnight local time is billed on the 1st at midnight local time every month, across
 * daylight-saving changes. Pure functions (no database), shared by the engine and its tests.
 */

/** Day of the month (1–31) of `d` in `tz`. */
export function dayOfMonthIn(d: Date, tz: string): number {
  return new TZDate(d.getTime(), tz).getDate();
}

/** True when `d` falls on the last day of its month in `tz`. */
export function isLastDayOfMonthIn(d: Date, tz: string): boolean {
  const z = new TZDate(d.getTime(), tz);
  return new TZDate(z.getFullYear(), z.getMonth() + 1, 0, 0, 0, 0, 0, tz).getDate() === z.getDate();
}

/**
 * `start` plus `months` calendar months in `tz`, keeping the local time of day, on day
 * `anchorDay` of the target month (clamped to its last day: Jan 31 → Feb 28 → Mar 31).
 */
export function addMonthsAnchored(start: Date, months: number, anchorDay: number, tz: string): Date {
  const z = new TZDate(start.getTime(), tz);
  const year = z.getFullYear();
  const month = z.getMonth() + months;
  const daysInTarget = new TZDate(year, month + 1, 0, 0, 0, 0, 0, tz).getDate();
  const day = Math.min(Math.max(anchorDay, 1), daysInTarget);
  const out = new TZDate(year, month, day, z.getHours(), z.getMinutes(), z.getSeconds(), z.getMilliseconds(), tz);
  return new Date(out.getTime());
}

/**
 * The day of month a package's periods hang on: its next bill date's day, except when that date
 * was clamped to a short month's end (Feb 28) and the package was set up on a later day (the
 * 31st), whose day is then restored (→ Mar 31).
 */
export function anchorDayFor(bill: Date, setup: Date | null, tz: string): number {
  const billDay = dayOfMonthIn(bill, tz);
  if (setup && isLastDayOfMonthIn(bill, tz)) return Math.max(billDay, dayOfMonthIn(setup, tz));
  return billDay;
}

export interface Period {
  sdate: Date;
  edate: Date;
}

/** Upper bound on periods billed in one run for one package (a 100-year catch-up of monthly). */
export const MAX_PERIODS_PER_RUN = 1200;

/**
 * Every whole period due by `asOf`: periods start at `bill` and follow each other every
 * `freqMonths` months; a period is due when its start is ≤ asOf (billed in advance, as Freeside
 * does). Stops before `expire` when the package is set to expire.
 */
export function duePeriods(args: { bill: Date; setup: Date | null; freqMonths: number; asOf: Date; expire?: Date | null; tz: string }): Period[] {
  if (args.freqMonths <= 0) throw new Error("duePeriods needs a recurring frequency");
  const anchor = anchorDayFor(args.bill, args.setup, args.tz);
  const periods: Period[] = [];
  let sdate = args.bill;
  while (sdate.getTime() <= args.asOf.getTime() && (!args.expire || sdate.getTime() < args.expire.getTime())) {
    if (periods.length >= MAX_PERIODS_PER_RUN) throw new Error(`more than ${MAX_PERIODS_PER_RUN} periods due for one package`);
    const edate = addMonthsAnchored(sdate, args.freqMonths, anchor, args.tz);
    periods.push({ sdate, edate });
    sdate = edate;
  }
  return periods;
}
