import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { queryRows } from "../../../lib/db/rows";

/** Row counts of every table in the public schema: the "nothing left behind" check. */
export async function tableCounts(db: DbOrTx): Promise<Record<string, number>> {
  const tables = await queryRows<{ table_name: string }>(
    db,
    sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await queryRows<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM "${table_name.replace(/"/g, "")}"`));
    out[table_name] = Number(row?.n ?? 0);
  }
  return out;
}

/** The tables whose counts differ (after − before). */
export function countChanges(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const diff: Record<string, number> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d = (after[k] ?? 0) - (before[k] ?? 0);
    if (d !== 0) diff[k] = d;
  }
  return diff;
}
