// `npm run housekeeping [-- --help]`: deletes what the tables would otherwise keep forever
// (lib/auth/housekeeping.ts): sessions that ended (absolute or idle expiry) more than
// ENDED_SESSION_RETENTION_HOURS ago, and login_throttle rows of every kind (identity:, ip:,
// signup:, username-check:, backend:) that are not locked and whose window started more than
// STALE_THROTTLE_AFTER_HOURS ago. audit_log is never touched. `npm run bill` does the same at
// the end of its daily run; this is for running it on its own (cron, or by hand).
//
// Prints one summary line; exit code 0, or 1 on an error (2 for a bad argument).
//
// Database: DATABASE_URL (PostgreSQL), else embedded PGlite in PGLITE_DIR (default .data/pglite).
// The idle limit is PORTICO_SESSION_IDLE_MINUTES, as the server reads it (environment or .env).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadDotEnv } from "../db/seed/env-file";

const USAGE = `usage: npm run housekeeping [-- --help]

Deletes ended sessions (ended over 24 h ago) and stale login_throttle rows (not locked, window
started over 24 h ago), then prints what it purged. Also done by the daily \`npm run bill\`.
Database: DATABASE_URL, else embedded PGlite in PGLITE_DIR (default .data/pglite).`;

function parseArgs(argv: string[]): void {
  for (const a of argv) {
    if (a === "-h" || a === "--help") {
      console.log(USAGE);
      process.exit(0);
    }
    console.error(`housekeeping: unknown argument ${a}\n${USAGE}`);
    process.exit(2);
  }
}

/**
 * The environment check wants AUTH_SECRET even though nothing here uses it: take the one
 * `npm start` generated into .data/secrets.json, as the server does, when none is set.
 */
function loadAuthSecretForScripts(): void {
  if (process.env.AUTH_SECRET || process.env.NEXTAUTH_SECRET) return;
  const file = path.join(".data", "secrets.json");
  try {
    const secret = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { authSecret?: unknown }).authSecret : undefined;
    if (typeof secret === "string" && secret) process.env.AUTH_SECRET = secret;
  } catch {
    /* unreadable: as if absent; getEnv says what is missing */
  }
}

async function main() {
  parseArgs(process.argv.slice(2));
  loadDotEnv();
  loadAuthSecretForScripts();
  const { openDb } = await import("../db/client");
  const { describeHousekeeping, runHousekeeping } = await import("../lib/auth/housekeeping");
  const url = process.env.DATABASE_URL?.trim() || undefined;
  const handle = await openDb({ url, pgliteDir: process.env.PGLITE_DIR || ".data/pglite", poolMax: 1 });
  try {
    console.log(describeHousekeeping(await runHousekeeping(handle.db)));
  } finally {
    await handle.close();
  }
}

main().catch((e) => {
  console.error(`housekeeping: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
