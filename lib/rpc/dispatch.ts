import "server-only";
import { timingSafeEqual, createHash } from "node:crypto";
import type { Db } from "@/db/client";
import { resolveCustomerSession, type SessionMeta } from "@/lib/auth/sessions";
import { BACKEND_SECRET_THROTTLE, countAttempt, refundAttempt, throttleKey } from "@/lib/auth/throttle";
import { DATABASE_RETRY_AFTER_SECONDS, noteDatabaseFailure, UNAVAILABLE_MESSAGE } from "@/lib/db/availability";
import { AppError, isAppError, logUnexpected, SESSION_ERROR } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { hasNulCharacter, isWellFormedText } from "@/lib/validation/fields";
import type { Registry, RpcMethod } from "./define-method";

/** Freeside's fault for a method that does not exist. */
export class UnknownMethodError extends Error {
  constructor(readonly methodName: string) {
    super(`No such procedure: ${methodName}`);
  }
}

/** Strips Freeside's namespaces: FS.ClientAPI_XMLRPC.x, FS.SelfService.XMLRPC.x, FS.API.x → x. */
export function bareMethodName(name: string, prefixes: readonly string[]): string {
  for (const p of prefixes) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

/**
 * XML-RPC arguments arrive as one struct or as a flat `key, value, key, value…` list
 * (Freeside's PHP portal sends the flat list). Both become one plain object.
 */
export function argsToObject(params: unknown[]): Record<string, unknown> {
  if (params.length === 0) return {};
  if (params.length === 1 && isPlainObject(params[0])) return params[0];
  if (params.length % 2 === 0 && params.every((p, i) => i % 2 === 1 || typeof p === "string")) {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < params.length; i += 2) out[params[i] as string] = params[i + 1];
    return out;
  }
  throw new AppError("INVALID_INPUT", "Arguments must be one struct or a list of key, value pairs");
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Date);
}

export type DispatchOutcome =
  | { kind: "result"; value: Record<string, unknown>; method: RpcMethod }
  | { kind: "rate_limited"; message: string; retryAfterSeconds: number }
  | { kind: "unavailable"; message: string; retryAfterSeconds: number }
  | { kind: "internal"; message: string };

export function constantTimeEquals(a: string, b: string): boolean {
  // Compare fixed-length digests so neither the content nor the length leaks through timing.
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  return timingSafeEqual(da, db);
}

export const NUL_INPUT_ERROR = "Input contains a character that is not allowed (U+0000)";
export const MALFORMED_TEXT_ERROR = "Input contains text that is not valid Unicode";

/**
 * What is wrong with the strings in the arguments (keys included, at any depth), if anything:
 * U+0000, which PostgreSQL text cannot store, or a lone UTF-16 surrogate (JSON's "\ud800"), which
 * is not text at all. Both are refused in-band before any work.
 */
function badStringProblem(v: unknown, depth = 0): string | null {
  if (typeof v === "string") return hasNulCharacter(v) ? NUL_INPUT_ERROR : isWellFormedText(v) ? null : MALFORMED_TEXT_ERROR;
  if (depth > 32 || v === null || typeof v !== "object" || Buffer.isBuffer(v) || v instanceof Date) return null;
  if (Array.isArray(v)) {
    for (const x of v) {
      const p = badStringProblem(x, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, x] of Object.entries(v)) {
    const p = badStringProblem(k) ?? badStringProblem(x, depth + 1);
    if (p) return p;
  }
  return null;
}

/**
 * A call made ready to run: its method, its arguments already parsed by the method's schema (so
 * every parameter the method does not declare is dropped here, before any slow work such as a
 * password hash, and the raw request can be let go), and the two credentials it may carry.
 * An argument error is kept, not thrown, because a customer method must answer the session
 * error first.
 */
export interface PreparedCall {
  name: string;
  method: RpcMethod;
  sessionToken?: string;
  secret: string;
  input?: unknown;
  inputError?: unknown;
  /** Refused before anything else (a bad string). */
  refusal?: string;
}

/** Synchronous: finds the method (UnknownMethodError if none) and parses its arguments. */
export function prepareCall(registry: Registry, name: string, args: Record<string, unknown>): PreparedCall {
  const method = registry.get(name);
  if (!method) throw new UnknownMethodError(name);
  const refusal = badStringProblem(args);
  if (refusal) return { name, method, secret: "", refusal };
  const prepared: PreparedCall = {
    name,
    method,
    sessionToken: typeof args.session_id === "string" ? args.session_id : undefined,
    secret: typeof args.secret === "string" ? args.secret : "",
  };
  try {
    prepared.input = parseInput(method.input, args);
  } catch (e) {
    prepared.inputError = e;
  }
  return prepared;
}

function parsedInput(call: PreparedCall): unknown {
  if (call.inputError !== undefined) throw call.inputError;
  return call.input;
}

export interface DispatchContext {
  db: Db;
  meta: SessionMeta;
  backendSecret?: string;
}

/**
 * Runs one prepared call: checks the caller, runs the method, and shapes the answer the Freeside
 * way: `{ error: "", …result }` on success, `{ error: "message" }` for a domain error.
 */
export async function runPreparedCall(call: PreparedCall, ctx: DispatchContext): Promise<DispatchOutcome> {
  const { method } = call;
  if (call.refusal) return { kind: "result", value: { error: call.refusal }, method };
  try {
    const base = { db: ctx.db, meta: ctx.meta };
    const token = call.sessionToken;
    if (method.auth === "customer-in-read") {
      if (!token) return { kind: "result", value: { error: SESSION_ERROR }, method };
      if (call.inputError !== undefined) {
        // Bad arguments: the session error still comes first, as for "customer" methods.
        if (!(await resolveCustomerSession(ctx.db, token))) return { kind: "result", value: { error: SESSION_ERROR }, method };
      }
      const value = await method.run({ ...base, sessionToken: token }, parsedInput(call));
      if (!value) return { kind: "result", value: { error: SESSION_ERROR }, method };
      return { kind: "result", value: { error: "", ...value }, method };
    }
    if (method.auth === "customer") {
      const customer = token ? await resolveCustomerSession(ctx.db, token) : null;
      if (!customer) return { kind: "result", value: { error: SESSION_ERROR }, method };
      const value = await method.run({ ...base, customer, sessionToken: token }, parsedInput(call));
      return { kind: "result", value: { error: "", ...value }, method };
    }
    if (method.auth === "backend") {
      if (!(await checkBackendSecret(ctx.db, call.secret, ctx.backendSecret, ctx.meta.ip))) {
        return { kind: "result", value: { error: BACKEND_SECRET_ERROR }, method };
      }
    }
    const value = await method.run({ ...base, sessionToken: token }, parsedInput(call));
    return { kind: "result", value: { error: "", ...value }, method };
  } catch (e) {
    if (isAppError(e)) {
      if (e.code === "RATE_LIMITED") return { kind: "rate_limited", message: e.message, retryAfterSeconds: e.retryAfterSeconds ?? 60 };
      return { kind: "result", value: { error: e.message }, method };
    }
    if (noteDatabaseFailure(e)) return DATABASE_UNAVAILABLE;
    const ref = logUnexpected(`rpc ${call.name}`, e);
    return { kind: "internal", message: `Internal error (ref ${ref})` };
  }
}

/** The answer to any call while the database cannot be reached (HTTP 503 + Retry-After). */
export const DATABASE_UNAVAILABLE: DispatchOutcome = { kind: "unavailable", message: UNAVAILABLE_MESSAGE, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS };

/** prepareCall + runPreparedCall, for one call whose arguments are already at hand. */
export async function dispatch(registry: Registry, name: string, args: Record<string, unknown>, ctx: DispatchContext): Promise<DispatchOutcome> {
  return runPreparedCall(prepareCall(registry, name, args), ctx);
}

export const BACKEND_SECRET_ERROR = "Incorrect shared secret";

/**
 * The back-office secret, compared in constant time. Each comparison is counted per address
 * before it is made (a wrong guess is never answered more than the limit allows, however many
 * arrive at once); a right secret gives its count back. Over the limit: RATE_LIMITED.
 */
async function checkBackendSecret(db: Db, given: string, expected: string | undefined, ip: string | null | undefined): Promise<boolean> {
  if (!expected) return false;
  const key = throttleKey("backend", ip ?? "unknown");
  const verdict = await countAttempt(db, key, BACKEND_SECRET_THROTTLE);
  if (!verdict.allowed) {
    throw new AppError("RATE_LIMITED", "Too many wrong shared secrets from your address. Please wait and try again.", { retryAfterSeconds: verdict.retryAfterSeconds });
  }
  if (!constantTimeEquals(given, expected)) return false;
  await refundAttempt(db, key, BACKEND_SECRET_THROTTLE);
  return true;
}
