import "server-only";
import { and, asc, eq, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { custBill, custBillPkg, custBillPkgTaxLocation, custLocation, custMain, custPkg, partPkg } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { portalTimezone } from "@/lib/format/dates";
import { applyPaymentsAndCredits } from "./apply-payments";
import { getBalanceCents } from "./balance";
import { duePeriods } from "./periods";
import { isSignupPending } from "@/lib/signup/pending-signup";
import { allocateTax, findTaxRates, type TaxLocation, type TaxRate } from "./tax";

export interface BillOptions {
  /** Bill everything due up to this moment (packages whose next bill date is ≤ asOf). Also the invoice date. */
  asOf: Date;
  /** When the run happens (dates of payment applications); defaults to asOf. */
  now?: Date;
  /** Timezone of month arithmetic; defaults to PORTICO_TIMEZONE. */
  timezone?: string;
}

export interface BillResult {
  /** The new invoice, or null when nothing was due. */
  invnum: number | null;
  totalCents: number;
}

/** One line of the invoice being built (a package's charge for one period). */
interface DraftLine {
  pkgnum: number;
  locationnum: number | null;
  taxKey: string;
  setup: number;
  recur: number;
  unitsetup: number;
  unitrecur: number;
  quantity: number;
  sdate: Date | null;
  edate: Date | null;
  itemdesc: string;
  freq: string;
  pkgSetupExempt: boolean;
  pkgRecurExempt: boolean;
}

/**
 * The billing engine (Freeside's cust_main->bill), for one customer, in its own transaction:
 * see billCustomerInTx. Charges no card: collection is a separate step on top of this.
 */
export async function billCustomer(db: Db, custnum: number, opts: BillOptions): Promise<BillResult> {
  return db.transaction(async (tx) => {
    // A signup still charging its first invoice is not billed by a run (not yet active).
    if (await isSignupPending(tx, custnum)) return { invnum: null, totalCents: 0 };
    return billCustomerInTx(tx, custnum, opts);
  });
}

/**
 * Bills one customer as of `opts.asOf`, inside the caller's transaction:
 *  - every package due (bill ≤ asOf, not cancelled, not suspended): its setup fee the first time
 *    (unless waived), its recurring fee for each whole period due (part_pkg.freq months, in the
 *    ISP's timezone; freq 0 = a one-time charge billed once, after which it has no bill date),
 *    times the quantity; `bill` advances, `last_bill` and `setup` are set;
 *  - taxes from cust_main_county for the package's location (else the customer's bill location),
 *    per tax class, honouring setup/recurring exemptions of the package and of the tax; one tax
 *    line per tax name, each computed on the sum of its taxable lines, rounded half-up;
 *  - one invoice holding every line, whose lines sum to its total; nothing when nothing is due;
 *  - then unapplied payments and credits are applied to open invoices, oldest first.
 * The customer row is locked first, so concurrent runs serialise and a second run for the same
 * date finds nothing due.
 */
export async function billCustomerInTx(tx: DbOrTx, custnum: number, opts: BillOptions): Promise<BillResult> {
  const asOf = opts.asOf;
  const now = opts.now ?? asOf;
  const tz = opts.timezone ?? portalTimezone();

  const [cust] = await tx
    .select({ custnum: custMain.custnum, billLocationnum: custMain.billLocationnum, taxExempt: custMain.tax })
    .from(custMain)
    .where(eq(custMain.custnum, custnum))
    .for("update");
  if (!cust) throw notFound("Unknown custnum");

  const due = await tx
    .select({ pkg: custPkg, part: partPkg })
    .from(custPkg)
    .innerJoin(partPkg, eq(partPkg.pkgpart, custPkg.pkgpart))
    .where(and(eq(custPkg.custnum, custnum), isNull(custPkg.cancel), isNull(custPkg.susp), isNotNull(custPkg.bill), lte(custPkg.bill, asOf)))
    .orderBy(asc(custPkg.pkgnum))
    .for("update", { of: custPkg });

  const lines: DraftLine[] = [];
  for (const { pkg, part } of due) {
    const bill = pkg.bill!;
    const freqMonths = Number(part.freq);
    const quantity = pkg.quantity;
    const needsSetup = pkg.setup === null;
    const setupUnit = needsSetup && pkg.waiveSetup !== "Y" ? part.setupFee : 0;
    const base = {
      pkgnum: pkg.pkgnum,
      locationnum: pkg.locationnum ?? cust.billLocationnum,
      taxKey: `${pkg.locationnum ?? cust.billLocationnum ?? ""}|${part.taxclass ?? ""}`,
      quantity,
      itemdesc: part.pkg.slice(0, 80),
      freq: part.freq,
      pkgSetupExempt: part.setuptax === "Y",
      pkgRecurExempt: part.recurtax === "Y",
    };

    if (!Number.isInteger(freqMonths) || freqMonths <= 0) {
      // One-time charge: the setup fee once, then no further bill date.
      if (pkg.expire && pkg.expire.getTime() <= bill.getTime()) continue;
      lines.push({ ...base, setup: setupUnit * quantity, recur: 0, unitsetup: setupUnit, unitrecur: 0, sdate: bill, edate: null });
      await tx
        .update(custPkg)
        .set({ setup: pkg.setup ?? bill, lastBill: bill, bill: null })
        .where(eq(custPkg.pkgnum, pkg.pkgnum));
      continue;
    }

    const periods = duePeriods({ bill, setup: pkg.setup, freqMonths, asOf, expire: pkg.expire, tz });
    if (periods.length === 0) continue;
    periods.forEach((p, i) => {
      const setupNow = i === 0 ? setupUnit : 0;
      lines.push({
        ...base,
        setup: setupNow * quantity,
        recur: part.recurFee * quantity,
        unitsetup: setupNow,
        unitrecur: part.recurFee,
        sdate: p.sdate,
        edate: p.edate,
      });
    });
    const last = periods[periods.length - 1]!;
    await tx
      .update(custPkg)
      .set({ setup: pkg.setup ?? bill, lastBill: last.sdate, bill: last.edate })
      .where(eq(custPkg.pkgnum, pkg.pkgnum));
  }

  const charged = lines.filter((l) => l.setup !== 0 || l.recur !== 0);
  if (charged.length === 0) return { invnum: null, totalCents: 0 };

  // Taxes: each tax row's share of each line, then one line per tax name.
  const taxes = cust.taxExempt === "Y" ? [] : await computeTaxes(tx, charged);
  const byName = new Map<string, number>();
  for (const t of taxes) byName.set(t.rate.taxname, (byName.get(t.rate.taxname) ?? 0) + t.totalCents);

  const totalCents =
    charged.reduce((sum, l) => sum + l.setup + l.recur, 0) + [...byName.values()].reduce((a, b) => a + b, 0);

  const previousBalance = await getBalanceCents(tx, custnum);
  const [inv] = await tx
    .insert(custBill)
    .values({ custnum, date: asOf, charged: totalCents, owed: totalCents, previousBalance, billingBalance: previousBalance })
    .returning({ invnum: custBill.invnum });
  const invnum = inv!.invnum;

  const inserted = await tx
    .insert(custBillPkg)
    .values(
      charged.map((l) => ({
        invnum,
        pkgnum: l.pkgnum,
        setup: l.setup,
        recur: l.recur,
        unitsetup: l.unitsetup,
        unitrecur: l.unitrecur,
        sdate: l.sdate,
        edate: l.edate,
        itemdesc: l.itemdesc,
        freq: l.freq,
        quantity: l.quantity,
      })),
    )
    .returning({ billpkgnum: custBillPkg.billpkgnum });
  const billpkgnums = inserted.map((r) => r.billpkgnum);

  for (const [taxname, amount] of byName) {
    if (amount === 0) continue;
    const [taxLine] = await tx
      .insert(custBillPkg)
      .values({ invnum, pkgnum: null, setup: amount, recur: 0, itemdesc: taxname.slice(0, 80) })
      .returning({ billpkgnum: custBillPkg.billpkgnum });
    const details = taxes
      .filter((t) => t.rate.taxname === taxname)
      .flatMap((t) =>
        t.shares
          .filter((s) => s.amount > 0)
          .map((s) => ({
            billpkgnum: taxLine!.billpkgnum,
            taxnum: t.rate.taxnum,
            pkgnum: charged[s.line]!.pkgnum,
            locationnum: charged[s.line]!.locationnum,
            amount: s.amount,
            taxableBillpkgnum: billpkgnums[s.line]!,
          })),
      );
    if (details.length) await tx.insert(custBillPkgTaxLocation).values(details);
  }

  await applyPaymentsAndCredits(tx, custnum, now);
  return { invnum, totalCents };
}

interface TaxOutcome {
  rate: TaxRate;
  totalCents: number;
  shares: { line: number; amount: number }[];
}

async function computeTaxes(tx: DbOrTx, lines: DraftLine[]): Promise<TaxOutcome[]> {
  const locationnums = [...new Set(lines.map((l) => l.locationnum).filter((n): n is number => n !== null))];
  const locations = new Map<number, TaxLocation>();
  if (locationnums.length) {
    const rows = await tx
      .select({
        locationnum: custLocation.locationnum,
        district: custLocation.district,
        city: custLocation.city,
        county: custLocation.county,
        state: custLocation.state,
        country: custLocation.country,
      })
      .from(custLocation)
      .where(inArray(custLocation.locationnum, locationnums));
    for (const r of rows) locations.set(r.locationnum, r);
  }

  // Rates per (location, tax class), looked up once each.
  const ratesByKey = new Map<string, TaxRate[]>();
  const taxclassByKey = new Map<string, string>();
  for (const l of lines) taxclassByKey.set(l.taxKey, l.taxKey.slice(l.taxKey.indexOf("|") + 1));
  for (const l of lines) {
    if (ratesByKey.has(l.taxKey)) continue;
    const loc = l.locationnum !== null ? locations.get(l.locationnum) : undefined;
    ratesByKey.set(l.taxKey, loc ? await findTaxRates(tx, loc, taxclassByKey.get(l.taxKey) || null) : []);
  }

  // Per tax row: the taxable amount of every line it applies to.
  const perTax = new Map<number, { rate: TaxRate; lines: { line: number; taxable: number }[] }>();
  lines.forEach((l, i) => {
    for (const rate of ratesByKey.get(l.taxKey) ?? []) {
      const taxable = (l.pkgSetupExempt || rate.setupExempt ? 0 : l.setup) + (l.pkgRecurExempt || rate.recurExempt ? 0 : l.recur);
      if (taxable === 0) continue;
      const entry = perTax.get(rate.taxnum) ?? { rate, lines: [] };
      entry.lines.push({ line: i, taxable });
      perTax.set(rate.taxnum, entry);
    }
  });

  const out: TaxOutcome[] = [];
  for (const { rate, lines: taxed } of perTax.values()) {
    const { totalCents, perLine } = allocateTax(
      taxed.map((t) => t.taxable),
      rate.rateE4,
    );
    if (totalCents === 0) continue;
    out.push({ rate, totalCents, shares: taxed.map((t, k) => ({ line: t.line, amount: perLine[k]! })) });
  }
  return out;
}
