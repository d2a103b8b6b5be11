import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { queryRows } from "@/lib/db/rows";
import { AppError, type FieldErrors } from "@/lib/errors";

/** One selectable region (distinct country/state/county of cust_main_county; '' = none). */
export interface Region {
  country: string;
  state: string;
  county: string;
}

/** Every region, sorted: the data behind RegionSelector's country → state → county cascade. */
export async function listRegions(db: DbOrTx): Promise<Region[]> {
  return queryRows<Region>(
    db,
    sql`SELECT DISTINCT country, COALESCE(state, '') AS state, COALESCE(county, '') AS county
        FROM cust_main_county ORDER BY country, state, county`,
  );
}

/**
 * Checks a country/state/county triple against cust_main_county: the country must exist; if it
 * has states, the state must be one of them; a county, if given, must belong to the state (and is
 * required where the state lists counties only with no state-wide row).
 */
export function regionErrors(regions: Region[], loc: { country: string; state: string; county: string }): FieldErrors | null {
  const inCountry = regions.filter((r) => r.country === loc.country);
  if (inCountry.length === 0) return { country: ["Choose a country from the list"] };
  const states = new Set(inCountry.map((r) => r.state).filter(Boolean));
  if (states.size > 0 && !states.has(loc.state)) return { state: ["Choose a state or province from the list"] };
  const inState = inCountry.filter((r) => r.state === loc.state);
  const counties = new Set(inState.map((r) => r.county).filter(Boolean));
  if (loc.county && !counties.has(loc.county)) return { county: ["Choose a county from the list"] };
  const stateWide = inState.some((r) => r.county === "");
  if (!loc.county && counties.size > 0 && !stateWide) return { county: ["Choose a county"] };
  return null;
}

export async function assertValidRegion(db: DbOrTx, loc: { country: string; state: string; county: string }, prefix = ""): Promise<void> {
  const errors = regionErrors(await listRegions(db), loc);
  if (errors) {
    const prefixed: FieldErrors = Object.fromEntries(Object.entries(errors).map(([k, v]) => [`${prefix}${k}`, v]));
    throw new AppError("INVALID_INPUT", Object.values(errors)[0]![0]!, { fieldErrors: prefixed });
  }
}
