import { existsSync, readFileSync } from "node:fs";

/**
 * Reads simple `KEY=value` lines from `.env` into process.env without overriding variables that
 * are already set (the same rule as scripts/start.mjs), so `npm run db:seed` and
 * `npm run db:migrate` use the database `npm start` uses.
 */
export function loadDotEnv(file = ".env"): void {
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    if (line.trim().startsWith("#")) continue;
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const value = m[2]!.replace(/^(['"])(.*)\1$/, "$2");
    if (process.env[m[1]!] === undefined) process.env[m[1]!] = value;
  }
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
