import type { SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

/**
 * Runs a raw SQL query and returns its rows on either driver (postgres.js returns an array,
 * PGlite an object with `rows`). Use for set-based or aggregated queries the builder can't say
 * clearly; cast numerics/bigints in SQL (::int, ::text) so both drivers give the same types.
 */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
