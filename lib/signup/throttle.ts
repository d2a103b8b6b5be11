import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { loginThrottle } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { timestamptzParam } from "@/lib/db/rows";

/**
 * Signups per client address: every attempt counts (successful or not), in a fixed window, in
 * the same PostgreSQL table as login throttling (key `signup:<ip>`), so every app process shares
 * it. Recorded outside the signup's transaction, so a failed signup still counts.
 */
export interface SignupThrottleRule {
  maxAttempts: number;
  windowSeconds: number;
}

export const SIGNUP_THROTTLE: SignupThrottleRule = { maxAttempts: 20, windowSeconds: 3600 };

export function signupThrottleKey(ip: string): string {
  return `signup:${ip}`.slice(0, 320);
}

/** RATE_LIMITED for too many `what` (signups, username checks) from one address, with Retry-After. */
function tooManyFromAddress(what: string, retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError("RATE_LIMITED", `Too many ${what} from your address. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`, {
    retryAfterSeconds,
  });
}

/**
 * Username checks per client address (RPC `check_username` without a reseller session, the
 * signup page's availability check): each says whether a login name exists, so an address may
 * ask only so often — enough for a person choosing a name, too few to list the customers.
 */
export const USERNAME_CHECK_THROTTLE: SignupThrottleRule = { maxAttempts: 60, windowSeconds: 3600 };

export function usernameCheckThrottleKey(ip: string): string {
  return `username-check:${ip}`.slice(0, 320);
}

/** Counts one attempt from `ip`; throws RATE_LIMITED (with Retry-After) beyond the limit. */
export async function consumeSignupAttempt(db: DbOrTx, ip: string, now = new Date(), rule: SignupThrottleRule = SIGNUP_THROTTLE): Promise<void> {
  const retry = await consumeAttempt(db, signupThrottleKey(ip), rule, now);
  if (retry !== null) throw tooManyFromAddress("signups", retry);
}

/** Counts one username check from `ip`; throws RATE_LIMITED beyond the limit. */
export async function consumeUsernameCheck(db: DbOrTx, ip: string, now = new Date(), rule: SignupThrottleRule = USERNAME_CHECK_THROTTLE): Promise<void> {
  const retry = await consumeAttempt(db, usernameCheckThrottleKey(ip), rule, now);
  if (retry !== null) throw tooManyFromAddress("username checks", retry);
}

/** One attempt under `key` in a fixed window; the seconds until the window ends once over the limit, else null. */
async function consumeAttempt(db: DbOrTx, key: string, rule: SignupThrottleRule, now: Date): Promise<number | null> {
  const nowSql = timestamptzParam(now);
  const windowStart = timestamptzParam(new Date(now.getTime() - rule.windowSeconds * 1000));
  const rows = await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStart: now })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`CASE WHEN ${loginThrottle.windowStart} < ${windowStart} THEN 1 ELSE ${loginThrottle.failures} + 1 END`,
        windowStart: sql`CASE WHEN ${loginThrottle.windowStart} < ${windowStart} THEN ${nowSql} ELSE ${loginThrottle.windowStart} END`,
      },
    })
    .returning({ failures: loginThrottle.failures, windowStart: loginThrottle.windowStart });
  const row = rows[0];
  if (!row || row.failures <= rule.maxAttempts) return null;
  return Math.max(1, Math.ceil((row.windowStart.getTime() + rule.windowSeconds * 1000 - now.getTime()) / 1000));
}
