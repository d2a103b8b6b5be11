import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { markDatabaseAvailable, noteDatabaseFailure } from "@/lib/db/availability";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers and the test harness (never refused by the server). */
export async function GET() {
  try {
    const db = await getDb();
    await db.execute(sql`SELECT 1`);
    markDatabaseAvailable();
    return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    noteDatabaseFailure(e);
    return Response.json({ ok: false }, { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } });
  }
}
