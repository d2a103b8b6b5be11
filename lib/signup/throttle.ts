import "server-only";
import type { DbOrTx } from "@/db/client";
import { countAttempt, throttleKey } from "@/lib/auth/throttle";
import { AppError } from "@/lib/errors";

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
  return throttleKey("signup", ip);
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
  return throttleKey("username-check", ip);
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

/** One attempt under `key`, counted before the work (lib/auth/throttle.ts); the seconds to wait once over the limit, else null. */
async function consumeAttempt(db: DbOrTx, key: string, rule: SignupThrottleRule, now: Date): Promise<number | null> {
  const verdict = await countAttempt(db, key, { ...rule, lockSeconds: rule.windowSeconds }, now);
  return verdict.allowed ? null : verdict.retryAfterSeconds;
}
