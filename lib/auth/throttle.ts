import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { loginThrottle } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { timestamptzParam } from "@/lib/db/rows";

/**
 * Every limit in Portico (logins per identity and per address, signups, username checks, wrong
 * back-office secrets) is one row per key in `login_throttle`, shared by every app process.
 *
 * An attempt is COUNTED BEFORE the work it guards, in one statement that increments the key's
 * count and returns it (`countAttempt`), so under any concurrency at most `maxAttempts` attempts
 * per window reach the password hash (or the secret comparison, or the signup). The attempt that
 * reaches the limit also sets the lock; later ones are refused with the lock's Retry-After
 * without doing the work. Where only failures should count (logins, back-office secrets), a
 * success gives its attempt back (`refundAttempt`) or clears the key (`clearAttempts`).
 */
export interface ThrottleRule {
  /** Attempts allowed per window; the one that reaches it sets the lock. */
  maxAttempts: number;
  windowSeconds: number;
  /** How long the key stays locked once the limit is reached. */
  lockSeconds: number;
}

export const LOGIN_THROTTLE: { identity: ThrottleRule; address: ThrottleRule } = {
  identity: { maxAttempts: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  address: { maxAttempts: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
};

/** Wrong back-office secrets per client address. */
export const BACKEND_SECRET_THROTTLE: ThrottleRule = { maxAttempts: 20, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

const KEY_MAX = 320;

export function throttleKey(kind: string, value: string): string {
  return `${kind}:${value}`.slice(0, KEY_MAX);
}

export interface AttemptVerdict {
  allowed: boolean;
  /** Seconds until the key unlocks (when refused). */
  retryAfterSeconds: number;
}

/**
 * Counts one attempt under `key` and says whether it may go on. One statement: the increment, the
 * window reset (when the window or the lock has run out) and the lock happen together, so
 * concurrent attempts each see their own count.
 */
export async function countAttempt(db: DbOrTx, key: string, rule: ThrottleRule, now = new Date()): Promise<AttemptVerdict> {
  const nowSql = timestamptzParam(now);
  const windowStart = timestamptzParam(new Date(now.getTime() - rule.windowSeconds * 1000));
  const lockUntil = timestamptzParam(new Date(now.getTime() + rule.lockSeconds * 1000));
  // Start afresh when the lock has run out, or (never locked) the window has.
  const fresh = sql`(${loginThrottle.lockedUntil} IS NOT NULL AND ${loginThrottle.lockedUntil} <= ${nowSql})
    OR (${loginThrottle.lockedUntil} IS NULL AND ${loginThrottle.windowStart} < ${windowStart})`;
  const counted = sql`CASE WHEN ${fresh} THEN 1 ELSE ${loginThrottle.failures} + 1 END`;
  const rows = await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStart: now, lockedUntil: rule.maxAttempts <= 1 ? new Date(now.getTime() + rule.lockSeconds * 1000) : null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: counted,
        windowStart: sql`CASE WHEN ${fresh} THEN ${nowSql} ELSE ${loginThrottle.windowStart} END`,
        lockedUntil: sql`CASE
          WHEN ${loginThrottle.lockedUntil} > ${nowSql} THEN ${loginThrottle.lockedUntil}
          WHEN ${counted} >= ${rule.maxAttempts} THEN ${lockUntil}
          ELSE NULL END`,
      },
    })
    .returning({ failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil });
  const row = rows[0];
  if (!row || row.failures <= rule.maxAttempts) return { allowed: true, retryAfterSeconds: 0 };
  const until = row.lockedUntil?.getTime() ?? now.getTime() + rule.lockSeconds * 1000;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}

/** Gives back one counted attempt (a success where only failures count); below the limit the lock goes too. */
export async function refundAttempt(db: DbOrTx, key: string, rule: ThrottleRule): Promise<void> {
  await db
    .update(loginThrottle)
    .set({
      failures: sql`GREATEST(${loginThrottle.failures} - 1, 0)`,
      lockedUntil: sql`CASE WHEN ${loginThrottle.failures} - 1 < ${rule.maxAttempts} THEN NULL ELSE ${loginThrottle.lockedUntil} END`,
    })
    .where(eq(loginThrottle.key, key));
}

/** Forgets a key (a successful login clears its identity). */
export async function clearAttempts(db: DbOrTx, key: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

// ---------------------------------------------------------------- logins

/** The throttle key of a login identity (as `loginIdentity` in ./login.ts normalises it). */
export function loginIdentityKey(identity: string): string {
  return throttleKey("identity", identity);
}

export function addressKey(ip: string): string {
  return throttleKey("ip", ip);
}

export function rateLimitedError(retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError(
    "RATE_LIMITED",
    `Too many failed login attempts. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
    { retryAfterSeconds },
  );
}

/**
 * Counts a login attempt for its identity and the caller's address before the password is
 * checked; throws RATE_LIMITED when either is over its limit (the password is then not checked).
 */
export async function consumeLoginAttempt(db: DbOrTx, identityKey: string, ip: string | null | undefined, now = new Date()): Promise<void> {
  const byIdentity = await countAttempt(db, identityKey, LOGIN_THROTTLE.identity, now);
  const byAddress = ip ? await countAttempt(db, addressKey(ip), LOGIN_THROTTLE.address, now) : { allowed: true, retryAfterSeconds: 0 };
  if (!byIdentity.allowed || !byAddress.allowed) {
    throw rateLimitedError(Math.max(byIdentity.retryAfterSeconds, byAddress.retryAfterSeconds));
  }
}

/** A successful login: the identity's count is cleared, the address gets its attempt back. */
export async function settleSuccessfulLogin(db: DbOrTx, identityKey: string, ip: string | null | undefined): Promise<void> {
  await clearAttempts(db, identityKey);
  if (ip) await refundAttempt(db, addressKey(ip), LOGIN_THROTTLE.address);
}
