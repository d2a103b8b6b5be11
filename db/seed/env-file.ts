import { existsSync } from "node:fs";

/**
 * Reads `.env` into process.env without overriding variables that are already set (Node's own
 * parser, process.loadEnvFile — the same one scripts/start.mjs uses), so `npm run db:seed`,
 * `npm run db:migrate` and `npm run bill` use the database `npm start` uses.
 */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** The database the CLI scripts open: DATABASE_URL (PostgreSQL) or PGlite in PGLITE_DIR. */
export function databaseFromEnv(): { url?: string; pgliteDir: string; label: string } {
  const url = process.env.DATABASE_URL?.trim() || undefined;
  const pgliteDir = process.env.PGLITE_DIR?.trim() || ".data/pglite";
  return { url, pgliteDir, label: url ? `PostgreSQL ${redactUrl(url)}` : `embedded PGlite in ${pgliteDir}` };
}

/** A connection URL without its password, for printing. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
