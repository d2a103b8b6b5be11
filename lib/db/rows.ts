import { sql, type SQL } from "drizzle-orm";
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

/** A json/jsonb column of a raw query: postgres.js and PGlite give it parsed; be tolerant of text. */
export function jsonColumn<T>(v: unknown): T {
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}

/** A timestamp as a raw-SQL parameter: ISO text with an explicit cast (both drivers agree on that; postgres.js refuses a Date in db.execute). */
export function timestamptzParam(d: Date): SQL {
  return sql`${d.toISOString()}::timestamptz`;
}
