import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { queryRows } from "@/lib/db/rows";
import { roundHalfUpDiv } from "@/lib/money/cents";

/**
 * Taxes from cust_main_county, Freeside's internal tax engine (FS::TaxEngine::internal):
 * rates are looked up by the location's region and the package's tax class, falling back
 * district → city → county → state → country; every matching row applies (taxes stack).
 */

export interface TaxLocation {
  district: string | null;
  city: string | null;
  county: string | null;
  state: string | null;
  country: string;
}

export interface TaxRate {
  taxnum: number;
  /** Printed name of the tax; Freeside's default is "Tax". */
  taxname: string;
  /** Rate in ten-thousandths of a percent: "8.25" → 82500. */
  rateE4: number;
  /** This tax does not apply to setup charges (cust_main_county.setuptax = 'Y'). */
  setupExempt: boolean;
  /** This tax does not apply to recurring charges (cust_main_county.recurtax = 'Y'). */
  recurExempt: boolean;
}

export const DEFAULT_TAXNAME = "Tax";

/** "8.25" / "10.2500" / "0" → rate in ten-thousandths of a percent (exact, no float). */
export function parseRateE4(value: string): number {
  const m = /^(\d+)(?:\.(\d{1,4}))?$/.exec(value.trim());
  if (!m) throw new Error(`not a tax rate: ${JSON.stringify(value)}`);
  return Number(m[1]) * 10_000 + Number((m[2] ?? "").padEnd(4, "0"));
}

const blank = (v: string | null | undefined) => (v ?? "").trim();

/**
 * The tax rows for a location and tax class. At each level the package's tax class is tried
 * first, then the rows without a class; then the next field is blanked: district, city, county,
 * state (leaving the country-wide rows).
 */
export async function findTaxRates(db: DbOrTx, loc: TaxLocation, taxclass: string | null): Promise<TaxRate[]> {
  const key = {
    district: blank(loc.district),
    city: blank(loc.city).toUpperCase(),
    county: blank(loc.county),
    state: blank(loc.state),
    country: blank(loc.country).toUpperCase(),
  };
  const cls = blank(taxclass);
  const eliminate = ["district", "city", "county", "state"] as const;
  const levels: (typeof key)[] = [{ ...key }];
  const current = { ...key };
  for (const field of eliminate) {
    if (current[field] === "") continue;
    current[field] = "";
    levels.push({ ...current });
  }
  for (const level of levels) {
    for (const c of cls ? [cls, ""] : [""]) {
      const rows = await queryRows<{ taxnum: number; taxname: string | null; tax: string; setuptax: string | null; recurtax: string | null }>(
        db,
        sql`SELECT taxnum, taxname, tax::text AS tax, setuptax, recurtax
              FROM cust_main_county
             WHERE country = ${level.country}
               AND COALESCE(state, '') = ${level.state}
               AND COALESCE(county, '') = ${level.county}
               AND COALESCE(upper(city), '') = ${level.city}
               AND COALESCE(district, '') = ${level.district}
               AND COALESCE(taxclass, '') = ${c}
             ORDER BY taxnum`,
      );
      if (rows.length) {
        return rows.map((r) => ({
          taxnum: Number(r.taxnum),
          taxname: blank(r.taxname) || DEFAULT_TAXNAME,
          rateE4: parseRateE4(String(r.tax)),
          setupExempt: r.setuptax === "Y",
          recurExempt: r.recurtax === "Y",
        }));
      }
    }
  }
  return [];
}

/**
 * One tax on several taxable amounts (cents): the tax is computed once on their sum and rounded
 * half-up to the cent; each line's share is its truncated amount, and the cents left over go one
 * each to the first lines (Freeside's way), so the shares always add up to the total.
 */
export function allocateTax(taxables: readonly number[], rateE4: number): { totalCents: number; perLine: number[] } {
  const sum = taxables.reduce((a, b) => a + b, 0);
  const den = 1_000_000n; // percent (100) × ten-thousandths (10 000)
  const total = Number(roundHalfUpDiv(BigInt(sum) * BigInt(rateE4), den));
  const perLine = taxables.map((t) => Number((BigInt(t) * BigInt(rateE4)) / den));
  let left = total - perLine.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0 && perLine.length > 0; i = (i + 1) % perLine.length) {
    if (taxables[i]! > 0) {
      perLine[i]! += 1;
      left -= 1;
    } else if (taxables.every((t) => t === 0)) break;
  }
  return { totalCents: total, perLine };
}
