import "server-only";
import type { DbOrTx } from "@/db/client";
import { allocateTax, findTaxRates } from "@/lib/billing/tax";
import type { SignupPackage } from "./signup-info";

/**
 * What a signup's first invoice will be for a package at an address: the setup fee, the first
 * period's recurring fee and the taxes, computed the way the billing engine computes them
 * (lib/billing/bill-customer.ts: tax rows for the location and the package's tax class, each
 * tax rounded half-up on the taxable amount, one line per tax name). The signup bills the real
 * invoice; this is what the form shows before it.
 */
export interface SignupQuote {
  pkgpart: number;
  setupCents: number;
  recurCents: number;
  taxes: { name: string; cents: number }[];
  taxCents: number;
  totalCents: number;
}

export interface QuoteLocation {
  country: string;
  state?: string | null;
  county?: string | null;
  city?: string | null;
}

export async function quoteFirstInvoice(db: DbOrTx, p: SignupPackage, loc: QuoteLocation | null): Promise<SignupQuote> {
  const freqMonths = Number(p.freq);
  const setup = p.setupCents;
  const recur = Number.isInteger(freqMonths) && freqMonths > 0 ? p.recurCents : 0;
  const byName = new Map<string, number>();
  if (loc && loc.country) {
    const rates = await findTaxRates(db, { district: null, city: loc.city ?? null, county: loc.county ?? null, state: loc.state ?? null, country: loc.country }, p.taxclass);
    for (const rate of rates) {
      const taxable = (p.setupTaxExempt || rate.setupExempt ? 0 : setup) + (p.recurTaxExempt || rate.recurExempt ? 0 : recur);
      if (taxable === 0) continue;
      const { totalCents } = allocateTax([taxable], rate.rateE4);
      if (totalCents === 0) continue;
      byName.set(rate.taxname, (byName.get(rate.taxname) ?? 0) + totalCents);
    }
  }
  const taxes = [...byName].map(([name, cents]) => ({ name, cents }));
  const taxCents = taxes.reduce((a, t) => a + t.cents, 0);
  return { pkgpart: p.pkgpart, setupCents: setup, recurCents: recur, taxes, taxCents, totalCents: setup + recur + taxCents };
}
