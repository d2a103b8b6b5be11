import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { loginThrottle } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { timestamptzParam } from "@/lib/db/rows";

/**
 * Login throttling, per identity (the login name tried) and per client address. After too
 * many failures in the window the key is locked for a while; the caller gets RATE_LIMITED
 * with a Retry-After. State lives in PostgreSQL so every app process shares it.
 */
export interface ThrottleRule {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

export const THROTTLE_RULES: { identity: ThrottleRule; ip: ThrottleRule } = {
  identity: { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  ip: { maxFailures: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
};

export function identityKey(identity: string): string {
  return `identity:${identity.trim().toLowerCase()}`.slice(0, 320);
}

export function ipKey(ip: string): string {
  return `ip:${ip}`.slice(0, 320);
}

function keysFor(identity: string, ip: string | null | undefined): { key: string; rule: ThrottleRule }[] {
  const keys: { key: string; rule: ThrottleRule }[] = [{ key: identityKey(identity), rule: THROTTLE_RULES.identity }];
  if (ip) keys.push({ key: ipKey(ip), rule: THROTTLE_RULES.ip });
  return keys;
}

export function rateLimitedError(retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError(
    "RATE_LIMITED",
    `Too many failed login attempts. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
    { retryAfterSeconds },
  );
}

/** Throws RATE_LIMITED if the identity or the address is currently locked. */
export async function assertNotThrottled(db: DbOrTx, identity: string, ip: string | null | undefined, now = new Date()): Promise<void> {
  const keys = keysFor(identity, ip).map((k) => k.key);
  const rows = await db
    .select({ lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, keys));
  let wait = 0;
  for (const r of rows) {
    if (r.lockedUntil && r.lockedUntil > now) wait = Math.max(wait, Math.ceil((r.lockedUntil.getTime() - now.getTime()) / 1000));
  }
  if (wait > 0) throw rateLimitedError(wait);
}

/** Records one failure for the identity and the address (atomic upsert per key). */
export async function recordLoginFailure(db: DbOrTx, identity: string, ip: string | null | undefined, now = new Date()): Promise<void> {
  for (const { key, rule } of keysFor(identity, ip)) {
    const windowStart = timestamptzParam(new Date(now.getTime() - rule.windowSeconds * 1000));
    const lockUntil = new Date(now.getTime() + rule.lockSeconds * 1000);
    const nowSql = timestamptzParam(now);
    await db
      .insert(loginThrottle)
      .values({ key, failures: 1, windowStart: now, lockedUntil: rule.maxFailures <= 1 ? lockUntil : null })
      .onConflictDoUpdate({
        target: loginThrottle.key,
        set: {
          failures: sql`CASE WHEN ${loginThrottle.windowStart} < ${windowStart} THEN 1 ELSE ${loginThrottle.failures} + 1 END`,
          windowStart: sql`CASE WHEN ${loginThrottle.windowStart} < ${windowStart} THEN ${nowSql} ELSE ${loginThrottle.windowStart} END`,
          lockedUntil: sql`CASE
            WHEN (CASE WHEN ${loginThrottle.windowStart} < ${windowStart} THEN 1 ELSE ${loginThrottle.failures} + 1 END) >= ${rule.maxFailures}
            THEN ${timestamptzParam(lockUntil)} ELSE ${loginThrottle.lockedUntil} END`,
        },
      });
  }
}

/** A successful login clears the identity's failures (not the address's). */
export async function clearLoginFailures(db: DbOrTx, identity: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, identityKey(identity)));
}
