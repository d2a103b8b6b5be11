/**
 * Whether the database can be reached, as one process-wide flag shared with the HTTP server
 * (scripts/server.mjs reads it through the same globalThis symbol): while it is set the server
 * answers pages and APIs at once with "temporarily unavailable" (503 + Retry-After) instead of
 * letting requests wait on a database that is not there, and checks the database itself about
 * once a second with `probe` until it answers again.
 */
import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";

export const DATABASE_RETRY_AFTER_SECONDS = 5;
export const UNAVAILABLE_MESSAGE = "The service is temporarily unavailable. Please try again in a moment.";

export interface DatabaseAvailability {
  /** Epoch ms when a request last found the database unreachable; absent while it is fine. */
  unavailableSince?: number;
  /** Runs one trivial query (registered by the app; the server calls it to see whether the database is back). */
  probe?: () => Promise<void>;
}

const KEY = Symbol.for("portico.db.availability");

export function databaseAvailability(): DatabaseAvailability {
  const holder = globalThis as { [KEY]?: DatabaseAvailability };
  return (holder[KEY] ??= {});
}

/** Sets the flag (first failure wins the timestamp) and makes sure the server has a probe to call. */
function markDatabaseUnavailable(): void {
  const state = databaseAvailability();
  state.unavailableSince ??= Date.now();
  state.probe ??= probeDatabase;
}

/** One trivial query; the server clears the flag when it succeeds. */
async function probeDatabase(): Promise<void> {
  const db = await getDb();
  await db.execute(sql`SELECT 1`);
}

export function markDatabaseAvailable(): void {
  delete databaseAvailability().unavailableSince;
}

/** Connection-level failures (the server is down, refusing, restarting or unreachable), not query errors. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** Sets the flag when `e` says the database cannot be reached; whether it did. */
export function noteDatabaseFailure(e: unknown): boolean {
  if (!isDatabaseUnavailable(e)) return false;
  markDatabaseUnavailable();
  return true;
}

export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && typeof cur === "object" && depth < 6; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    const errors = (cur as { errors?: unknown }).errors; // AggregateError (connect to every address failed)
    if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x))) return true;
  }
  return false;
}
