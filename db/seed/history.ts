import "server-only";
import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Tx } from "../client";
import { custPkg } from "../schema";
import { maskPayinfo } from "../../lib/backend/insert-money";
import { billCustomerInTx } from "../../lib/billing/bill-customer";
import { addMonthsAnchored, dayOfMonthIn } from "../../lib/billing/periods";
import { recordCredit, recordPayment } from "../../lib/billing/record-payment";
import { markPackageSetUp } from "../../lib/catalog/catalog-admin";
import { portalTimezone } from "../../lib/format/dates";
import { cancelPackage, suspendPackage } from "../../lib/packages/package-state";
import { SeededRandom } from "./random";

/**
 * The demo's money history, made by the billing engine itself: invoices, payments and credits
 * for every demo customer (a year for the five demo logins, the last three months for the others),
 * so invoices, taxes and balances are the engine's own.
 *
 * Per customer, a timeline from the start of its window up to `now`:
 *  - a package ordered before the window was set up outside Portico: it is ordered and marked set
 *    up with its next bill date inside the window (monthly plans on the customer's billing day,
 *    yearly ones on their anniversary), and from then on the engine bills it;
 *  - a package ordered inside the window is ordered at its order date, and the engine sets it up
 *    and bills its setup fee and first period then (as the daily billing run would);
 *  - the engine runs (billCustomerInTx) as of every date a package falls due, so each invoice is
 *    dated the day it was made, with the lines, periods and taxes the engine computed;
 *  - suspensions and cancellations happen on their dates (nothing is billed after them);
 *  - payments (recordPayment) and credits (recordCredit) are recorded on their dates and applied
 *    to open invoices, oldest first, as the engine applies them.
 * Packages still waiting for their installation ("ordered", "on hold") are ordered after the last
 * billing run, so they are not yet billed.
 *
 * How each customer pays is drawn from a seeded PRNG of its own, so the history is the same on
 * every run for the same `now`: most pay every invoice in full (cards on the day, bank payments a
 * few days later, checks within a couple of weeks), a few stopped
 * paying (overdue invoices), a couple pay in two instalments (partly paid invoices), some get a
 * credit. Alice pays each invoice just before it is due (her newest invoices are open, the older
 * ones paid) and got a credit after an outage; Dave stopped paying before his suspension.
 */

/** The five demo logins get a full year of billing. */
export const HISTORY_DAYS = 365;
/**
 * The other customers get the last three months: enough for paid, open, partly paid and overdue
 * invoices, and it keeps the seed fast on embedded PGlite (`npm start`'s first run), where each
 * engine run costs some twenty statements. Their earlier history lives outside Portico.
 */
export const OTHER_HISTORY_DAYS = 92;
export const HISTORY_RANDOM_SEED = 20261115;

const DAY = 86_400_000;
const HOUR = 3_600_000;

export type PackageFate = "active" | "ordered" | "suspended" | "cancelled" | "on-hold";

export interface HistoryPackagePlan {
  freqMonths: number;
  orderDate: Date;
  /** Days between the order and the installation, for a package set up before the window. */
  setupLagDays: number;
  fate: PackageFate;
  /** When it was suspended or cancelled (fates suspended, cancelled, on-hold). */
  eventDate: Date | null;
  /** Orders the package (orderPackage with its service); called once, on the timeline. */
  order: () => Promise<{ pkgnum: number; svcnum: number | null }>;
}

export interface HistoryCustomerPlan {
  custnum: number;
  login: string | null;
  scenario: string;
  packages: HistoryPackagePlan[];
}

export interface HistoryStats {
  invoices: number;
  billedCents: number;
  payments: number;
  paidCents: number;
  credits: number;
}

export interface HistoryResult {
  /** Per customer (by custnum), the package and first service made for each plan, in plan order. */
  ordered: Map<number, { pkgnum: number; svcnum: number | null }[]>;
  stats: HistoryStats;
}

type PayProfile =
  /** Pays every invoice in full `lagDays` after it. */
  | { kind: "prompt"; lagDays: number }
  /** Pays like "prompt" until `stopAt`, then nothing. */
  | { kind: "stopped"; lagDays: number; stopAt: Date }
  /** Pays half after `firstLagDays`, the rest after `secondLagDays`. */
  | { kind: "instalments"; firstLagDays: number; secondLagDays: number };

interface CustomerMoney {
  profile: PayProfile;
  payby: string;
  paymask: string | null;
  /** The day of the month monthly plans set up before the window are billed on. */
  billingAnchor: Date;
  credits: { date: Date; amountCents: number; reason: string }[];
}

type TimelineEvent =
  | { kind: "order"; date: Date; index: number }
  | { kind: "suspend"; date: Date; index: number }
  | { kind: "cancel"; date: Date; index: number }
  | { kind: "pay"; date: Date; amountCents: number }
  | { kind: "credit"; date: Date; amountCents: number; reason: string };

/** A moment `days` whole days before `now`, at `hour`:00 UTC. */
export function historyDaysAgo(now: Date, days: number, hour: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days, hour, 0, 0));
}

const BILLED_SCENARIOS = new Set(["active-dsl", "active-fibre", "active-bundle", "active-dialup", "business", "mixed", "one-time"]);

/** How every customer pays, decided up front and in custnum order (so the draws never depend on dates). */
function planMoney(customers: HistoryCustomerPlan[], now: Date): Map<number, CustomerMoney> {
  const rng = new SeededRandom(HISTORY_RANDOM_SEED);
  const regular = customers.filter((c) => c.login === null && BILLED_SCENARIOS.has(c.scenario)).map((c) => c.custnum);
  const order = rng.shuffle(regular);
  const stopped = new Set(order.slice(0, 4));
  const instalments = new Set(order.slice(4, 6));
  const credited = new Set(order.slice(6, 9));

  const out = new Map<number, CustomerMoney>();
  for (const c of customers) {
    const payby = rng.pick(["CARD", "CARD", "CARD", "CHEK", "BILL"] as const);
    const digits = String(rng.int(0, 9999)).padStart(4, "0");
    const paymask = payby === "CARD" ? maskPayinfo("CARD", `411111111111${digits}`) : payby === "CHEK" ? maskPayinfo("CHEK", `00012${digits}@021000021`) : null;
    const anchorDaysAgo = rng.int(1, 28);
    // Cards are charged on the day (the ISP's automatic collection); bank payments take a few
    // days; paper checks a couple of weeks.
    const lagDays = payby === "CARD" ? 0 : payby === "CHEK" ? rng.int(2, 6) : rng.int(8, 20);
    const money: CustomerMoney = {
      profile: { kind: "prompt", lagDays },
      payby,
      paymask,
      billingAnchor: historyDaysAgo(now, anchorDaysAgo, 6),
      credits: [],
    };
    if (c.login === "alice") {
      // Pays just before the due date (Net 30): the invoices of the last few weeks are open.
      money.profile = { kind: "prompt", lagDays: 26 };
      money.billingAnchor = historyDaysAgo(now, 10, 6);
      money.payby = "CARD";
      money.paymask = maskPayinfo("CARD", "4242424242424242");
      money.credits.push({ date: historyDaysAgo(now, 120, 14), amountCents: 1500, reason: "Service outage credit" });
    } else if (c.login === "dave") {
      money.profile = { kind: "stopped", lagDays, stopAt: historyDaysAgo(now, 100, 0) };
    } else if (c.scenario === "suspended") {
      money.profile = { kind: "stopped", lagDays, stopAt: historyDaysAgo(now, rng.int(50, 85), 0) };
    } else if (stopped.has(c.custnum)) {
      money.profile = { kind: "stopped", lagDays, stopAt: historyDaysAgo(now, rng.int(40, 75), 0) };
    } else if (instalments.has(c.custnum)) {
      money.profile = { kind: "instalments", firstLagDays: rng.int(3, 8), secondLagDays: rng.int(32, 40) };
    }
    if (credited.has(c.custnum)) {
      money.credits.push({
        date: historyDaysAgo(now, rng.int(20, 80), 14),
        amountCents: rng.pick([500, 1000, 2000, 2500]),
        reason: rng.pick(["Service outage credit", "Goodwill credit", "Installation delay credit"]),
      });
    }
    out.set(c.custnum, money);
  }
  return out;
}

/** The first bill date on or after `from`, going in steps of `freq` months from `anchor`. */
function firstBillOnOrAfter(anchor: Date, freqMonths: number, from: Date, tz: string): Date {
  const day = dayOfMonthIn(anchor, tz);
  // Step back far enough, then forward to the first date ≥ from.
  let k = -Math.ceil((anchor.getTime() - from.getTime()) / (28 * DAY * freqMonths)) - 1;
  for (;;) {
    const d = addMonthsAnchored(anchor, k * freqMonths, day, tz);
    if (d.getTime() >= from.getTime()) return d;
    k++;
  }
}

/** The last bill date ≤ `until` and the next after it, billing every `freq` months from `setup`. */
function billDatesUntil(setup: Date, freqMonths: number, until: Date, tz: string): { lastBill: Date; bill: Date } {
  const day = dayOfMonthIn(setup, tz);
  let lastBill = setup;
  for (let k = 1; ; k++) {
    const next = addMonthsAnchored(setup, k * freqMonths, day, tz);
    if (next.getTime() > until.getTime()) return { lastBill, bill: next };
    lastBill = next;
  }
}

export async function seedBillingHistory(tx: Tx, customers: HistoryCustomerPlan[], opts: { now: Date }): Promise<HistoryResult> {
  const { now } = opts;
  const tz = portalTimezone();
  const money = planMoney(customers, now);
  const stats: HistoryStats = { invoices: 0, billedCents: 0, payments: 0, paidCents: 0, credits: 0 };
  const ordered = new Map<number, { pkgnum: number; svcnum: number | null }[]>();

  for (const c of customers) {
    const m = money.get(c.custnum)!;
    const windowStart = new Date(now.getTime() - (c.login !== null ? HISTORY_DAYS : OTHER_HISTORY_DAYS) * DAY);
    const made: ({ pkgnum: number; svcnum: number | null } | undefined)[] = c.packages.map(() => undefined);
    const events: TimelineEvent[] = [];
    const later: number[] = [];

    // Before the window: ordered and set up outside Portico, billed by the engine from the window on.
    for (const [index, p] of c.packages.entries()) {
      if (p.fate === "ordered" || p.fate === "on-hold") {
        later.push(index);
        continue;
      }
      if (p.orderDate.getTime() >= windowStart.getTime()) {
        events.push({ kind: "order", date: p.orderDate, index });
        continue;
      }
      const made1 = await p.order();
      made[index] = made1;
      const setup = new Date(Math.min(p.orderDate.getTime() + p.setupLagDays * DAY, now.getTime() - HOUR));
      const endedBefore = p.fate === "cancelled" && p.eventDate !== null && p.eventDate.getTime() < windowStart.getTime();
      if (p.freqMonths <= 0) {
        await markPackageSetUp(tx, c.custnum, made1.pkgnum, { setup, lastBill: setup, bill: null });
      } else if (endedBefore) {
        await markPackageSetUp(tx, c.custnum, made1.pkgnum, { setup, ...billDatesUntil(setup, p.freqMonths, p.eventDate!, tz) });
      } else {
        const anchor = p.freqMonths < 12 ? m.billingAnchor : setup;
        const bill = firstBillOnOrAfter(anchor, p.freqMonths, windowStart, tz);
        const previous = addMonthsAnchored(bill, -p.freqMonths, dayOfMonthIn(bill, tz), tz);
        await markPackageSetUp(tx, c.custnum, made1.pkgnum, { setup, lastBill: previous.getTime() > setup.getTime() ? previous : setup, bill });
      }
      if (endedBefore) await cancelPackage(tx, c.custnum, made1.pkgnum, p.eventDate!);
    }

    // Suspensions and cancellations on their dates. A package cancelled the day another is ordered
    // (an upgrade) goes first, so its services (the same username) can move to the new package.
    for (const [index, p] of c.packages.entries()) {
      if (!p.eventDate || (p.fate !== "suspended" && p.fate !== "cancelled")) continue;
      if (p.eventDate.getTime() < windowStart.getTime()) continue;
      let date = p.eventDate;
      if (p.fate === "cancelled") {
        const sameDay = events
          .filter((e) => e.kind === "order" && e.date.toISOString().slice(0, 10) === date.toISOString().slice(0, 10) && e.date < date)
          .map((e) => e.date.getTime());
        if (sameDay.length) date = new Date(Math.min(...sameDay) - 60_000);
      }
      events.push({ kind: p.fate === "cancelled" ? "cancel" : "suspend", date, index });
    }
    // A credit comes after the customer's first order (some weeks into the service).
    const firstOrder = Math.min(...c.packages.map((p) => p.orderDate.getTime()));
    for (const cr of m.credits) {
      const date = new Date(Math.max(cr.date.getTime(), firstOrder + 20 * DAY, windowStart.getTime() + 10 * DAY));
      if (date.getTime() <= now.getTime()) events.push({ kind: "credit", ...cr, date });
    }

    await runTimeline(tx, c, m, { events, made, now, tz, stats });

    for (const index of later) {
      const p = c.packages[index]!;
      const made1 = await p.order();
      made[index] = made1;
      if (p.fate === "on-hold") await suspendPackage(tx, c.custnum, made1.pkgnum, p.eventDate!);
    }
    ordered.set(
      c.custnum,
      made.map((x, i) => {
        if (!x) throw new Error(`demo history: package ${i} of customer ${c.custnum} was never ordered`);
        return x;
      }),
    );
  }
  return { ordered, stats };
}

/** The earliest event (ties: in the order they were added). */
function takeEarliest(events: TimelineEvent[]): TimelineEvent | undefined {
  let best = -1;
  for (let i = 0; i < events.length; i++) {
    if (best < 0 || events[i]!.date.getTime() < events[best]!.date.getTime()) best = i;
  }
  return best < 0 ? undefined : events[best];
}

async function nextBillDate(tx: Tx, custnum: number): Promise<Date | null> {
  const [row] = await tx
    .select({ bill: custPkg.bill })
    .from(custPkg)
    .where(and(eq(custPkg.custnum, custnum), isNull(custPkg.cancel), isNull(custPkg.susp), isNotNull(custPkg.bill)))
    .orderBy(asc(custPkg.bill))
    .limit(1);
  return row?.bill ?? null;
}

async function runTimeline(
  tx: Tx,
  c: HistoryCustomerPlan,
  m: CustomerMoney,
  s: { events: TimelineEvent[]; made: ({ pkgnum: number; svcnum: number | null } | undefined)[]; now: Date; tz: string; stats: HistoryStats },
): Promise<void> {
  const { events, made, now, stats } = s;
  // What the customer pays for an invoice: its total less any credit not yet used up, some days
  // later (payments are applied oldest first).
  let creditLeft = 0;
  const schedulePayments = (invoiceCents: number, date: Date) => {
    const fromCredit = Math.min(creditLeft, invoiceCents);
    creditLeft -= fromCredit;
    const totalCents = invoiceCents - fromCredit;
    const at = (days: number) => new Date(date.getTime() + days * DAY + 3 * HOUR);
    const p = m.profile;
    const add = (when: Date, amountCents: number) => {
      if (when.getTime() <= now.getTime() && amountCents > 0) events.push({ kind: "pay", date: when, amountCents });
    };
    if (p.kind === "prompt") add(at(p.lagDays), totalCents);
    else if (p.kind === "stopped") {
      if (at(p.lagDays).getTime() < p.stopAt.getTime()) add(at(p.lagDays), totalCents);
    } else {
      const half = Math.round(totalCents / 2);
      add(at(p.firstLagDays), half);
      add(at(p.secondLagDays), totalCents - half);
    }
  };

  // The next date a package falls due; only billing, orders, suspensions and cancellations move it.
  let nextDue: Date | null | undefined;
  for (let steps = 0; ; steps++) {
    if (steps > 2000) throw new Error(`demo history: customer ${c.custnum} does not settle`);
    const event = takeEarliest(events);
    if (nextDue === undefined) nextDue = await nextBillDate(tx, c.custnum);
    const bill = nextDue;
    if (bill !== null && bill.getTime() <= now.getTime() && (!event || bill.getTime() < event.date.getTime())) {
      const r = await billCustomerInTx(tx, c.custnum, { asOf: bill, now: bill, timezone: s.tz });
      if (r.invnum !== null) {
        stats.invoices++;
        stats.billedCents += r.totalCents;
        schedulePayments(r.totalCents, bill);
      }
      nextDue = undefined;
      continue;
    }
    if (!event || event.date.getTime() > now.getTime()) break;
    events.splice(events.indexOf(event), 1);
    if (event.kind === "order" || event.kind === "suspend" || event.kind === "cancel") nextDue = undefined;

    switch (event.kind) {
      case "order":
        made[event.index] = await c.packages[event.index]!.order();
        break;
      case "suspend":
        await suspendPackage(tx, c.custnum, made[event.index]!.pkgnum, event.date);
        break;
      case "cancel":
        await cancelPackage(tx, c.custnum, made[event.index]!.pkgnum, event.date);
        break;
      case "credit":
        await recordCredit(tx, { custnum: c.custnum, amountCents: event.amountCents, reason: event.reason, date: event.date });
        creditLeft += event.amountCents;
        stats.credits++;
        break;
      case "pay":
        await recordPayment(tx, { custnum: c.custnum, paidCents: event.amountCents, payby: m.payby, paymask: m.paymask, date: event.date });
        stats.payments++;
        stats.paidCents += event.amountCents;
        break;
    }
  }
}
