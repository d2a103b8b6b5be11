import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { loginThrottle, session } from "@/db/schema";
import { queryRows, timestamptzParam } from "@/lib/db/rows";
import { sessionLimits } from "./sessions";

/**
 * Housekeeping of the tables that would otherwise only grow: ended sessions and stale
 * `login_throttle` rows. Run by the daily `npm run bill` and by `npm run housekeeping`
 * (scripts/housekeeping.ts). Nothing here touches `audit_log`: sign-ins, sign-outs and
 * failures stay recorded there whatever happens to the session and throttle rows.
 */

/**
 * How long a session row is kept after it ended (absolute expiry, or idle since its last use),
 * before it is deleted. An ended row never resolves again; this only keeps yesterday's device
 * and address at hand for someone looking into a sign-in. Revoked sessions (logout, "sign out",
 * the per-login cap) are deleted at once, so nothing of them is left to purge.
 */
export const ENDED_SESSION_RETENTION_HOURS = 24;

/**
 * A `login_throttle` row whose window started longer ago than this, and that is not locked, no
 * longer counts for anything and is deleted. It bounds every window of every key kind by a wide
 * margin — `identity:`/`ip:` 15 minutes, `signup:`/`username-check:` 1 hour, `backend:` 15
 * minutes — so a purge can never reset a live count, whatever the rules are tuned to (up to a day).
 */
export const STALE_THROTTLE_AFTER_HOURS = 24;

const HOUR_MS = 3_600_000;

/** Runs a DELETE and returns how many rows it removed, without bringing them back. */
async function countDeleted(db: DbOrTx, del: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`WITH gone AS (${del} RETURNING 1) SELECT count(*)::int AS n FROM gone`);
  return Number(row?.n ?? 0);
}

/**
 * Deletes the sessions that ended more than `retentionHours` ago: past `expires_at`, or unused
 * for the idle limit. Live sessions are never touched. Returns how many rows went.
 */
export async function purgeEndedSessions(
  db: DbOrTx,
  { now = new Date(), retentionHours = ENDED_SESSION_RETENTION_HOURS, idleMinutes = sessionLimits().idleMinutes }: { now?: Date; retentionHours?: number; idleMinutes?: number } = {},
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionHours * HOUR_MS);
  const idleCutoff = new Date(cutoff.getTime() - idleMinutes * 60_000);
  return countDeleted(
    db,
    sql`DELETE FROM ${session} WHERE ${session.expiresAt} < ${timestamptzParam(cutoff)} OR ${session.lastSeenAt} < ${timestamptzParam(idleCutoff)}`,
  );
}

/**
 * Deletes the `login_throttle` rows of every key kind that count for nothing any more: not
 * locked (no `locked_until`, or it has passed) and whose window started more than
 * `staleAfterHours` ago. Returns how many rows went.
 */
export async function purgeStaleThrottleRows(
  db: DbOrTx,
  { now = new Date(), staleAfterHours = STALE_THROTTLE_AFTER_HOURS }: { now?: Date; staleAfterHours?: number } = {},
): Promise<number> {
  const windowCutoff = new Date(now.getTime() - staleAfterHours * HOUR_MS);
  return countDeleted(
    db,
    sql`DELETE FROM ${loginThrottle} WHERE ${loginThrottle.windowStart} < ${timestamptzParam(windowCutoff)}
          AND (${loginThrottle.lockedUntil} IS NULL OR ${loginThrottle.lockedUntil} <= ${timestamptzParam(now)})`,
  );
}

export interface HousekeepingResult {
  sessions: number;
  throttleRows: number;
}

/** Both purges, as the scripts run them. */
export async function runHousekeeping(db: DbOrTx, options: { now?: Date } = {}): Promise<HousekeepingResult> {
  const sessions = await purgeEndedSessions(db, options);
  const throttleRows = await purgeStaleThrottleRows(db, options);
  return { sessions, throttleRows };
}

/** The one-line summary the scripts print. */
export function describeHousekeeping(r: HousekeepingResult): string {
  return `Housekeeping: purged ${r.sessions} ended session(s) (ended over ${ENDED_SESSION_RETENTION_HOURS} h ago) and ${r.throttleRows} stale login_throttle row(s) (unlocked, window started over ${STALE_THROTTLE_AFTER_HOURS} h ago)`;
}
