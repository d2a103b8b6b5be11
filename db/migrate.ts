// `npm run db:migrate`: applies the SQL migrations in db/migrations to the configured database
// (DATABASE_URL → PostgreSQL, else PGlite in PGLITE_DIR, default .data/pglite) and says what it did.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER, openDb, type Db } from "./client";
import { queryRows } from "../lib/db/rows";
import { databaseFromEnv, loadDotEnv } from "./seed/env-file";

async function appliedCount(db: Db): Promise<number> {
  try {
    const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    return row?.n ?? 0;
  } catch {
    return 0; // no migrations table yet: a fresh database
  }
}

loadDotEnv();
const target = databaseFromEnv();
const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
console.log(`Database: ${target.label}`);

let exitCode = 0;
try {
  // What is applied already (a PGlite folder that does not exist yet has nothing: skip opening it twice).
  let applied = 0;
  if (target.url || target.pgliteDir === "memory" || existsSync(path.join(target.pgliteDir, "PG_VERSION"))) {
    const before = await openDb({ url: target.url, pgliteDir: target.pgliteDir, poolMax: 1, migrate: false });
    applied = await appliedCount(before.db).finally(() => before.close());
  }
  const started = Date.now();
  const handle = await openDb({ url: target.url, pgliteDir: target.pgliteDir, poolMax: 1, migrate: true });
  try {
    const now = await appliedCount(handle.db);
    const latest = journal.entries[journal.entries.length - 1]?.tag ?? "(none)";
    if (now === applied) console.log(`Up to date: ${now} migration(s) applied, latest ${latest}.`);
    else {
      const fresh = journal.entries.slice(applied, now).map((e) => e.tag);
      console.log(`Applied ${now - applied} migration(s) in ${Date.now() - started} ms: ${fresh.join(", ")}. Now at ${latest} (${now} in all).`);
    }
  } finally {
    await handle.close();
  }
} catch (e) {
  console.error("Migration failed:", e);
  exitCode = 1;
}
process.exit(exitCode);
