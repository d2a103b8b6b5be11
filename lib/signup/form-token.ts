import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * The signup forms' token: issued with each render of /signup or /embed/signup, sent back with
 * the submission. It is
 *  - the anti-forgery check of the embedded form, which cannot rely on a cookie (browsers block
 *    third-party cookies in iframes): only a form Portico rendered, recently, for this agent can
 *    submit — signed with AUTH_SECRET, bound to the agent, valid for a few hours;
 *  - the submission's one-time key (Freeside's payunique): the same form submitted twice makes one
 *    customer and one charge (see newCustomer). After a failed attempt the form gets a fresh one.
 *
 * Shape (fits payment keys, ≤ 80 of [A-Za-z0-9._-]): `st1.<nonce>.<issued, base36 s>.<agentnum>.<mac>`.
 */
const VERSION = "st1";
export const SIGNUP_TOKEN_MAX_AGE_MS = 6 * 3600_000;
export const SIGNUP_TOKEN_EXPIRED = "This signup form has expired. Please reload the page and start again.";

function mac(payload: string): string {
  return createHmac("sha256", getEnv().authSecret).update(`portico-signup-form|${payload}`).digest("base64url").slice(0, 27);
}

export function issueSignupToken(agentnum: number, now = new Date()): string {
  const nonce = randomBytes(16).toString("base64url");
  const payload = `${VERSION}.${nonce}.${Math.floor(now.getTime() / 1000).toString(36)}.${agentnum}`;
  return `${payload}.${mac(payload)}`;
}

/** The agent and issue time of a genuine, unexpired token; INVALID_INPUT otherwise. */
export function verifySignupToken(token: unknown, now = new Date(), maxAgeMs = SIGNUP_TOKEN_MAX_AGE_MS): { agentnum: number; issuedAt: Date } {
  const bad = () => new AppError("INVALID_INPUT", SIGNUP_TOKEN_EXPIRED);
  if (typeof token !== "string" || token.length > 80) throw bad();
  const parts = token.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) throw bad();
  const [, nonce, issued, agentnum, given] = parts as [string, string, string, string, string];
  if (!/^[A-Za-z0-9_-]{22}$/.test(nonce) || !/^[0-9a-z]{1,10}$/.test(issued) || !/^\d{1,10}$/.test(agentnum)) throw bad();
  const expected = Buffer.from(mac(parts.slice(0, 4).join(".")));
  const got = Buffer.from(given);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw bad();
  const issuedAt = new Date(parseInt(issued, 36) * 1000);
  const age = now.getTime() - issuedAt.getTime();
  if (age > maxAgeMs || age < -5 * 60_000) throw bad();
  return { agentnum: Number(agentnum), issuedAt };
}
