import "server-only";
import { timingSafeEqual, createHash } from "node:crypto";
import type { Db } from "@/db/client";
import { resolveCustomerSession, type SessionMeta } from "@/lib/auth/sessions";
import { AppError, isAppError, logUnexpected, SESSION_ERROR } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { hasNulCharacter } from "@/lib/validation/fields";
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
  | { kind: "internal"; message: string };

export function constantTimeEquals(a: string, b: string): boolean {
  // Compare fixed-length digests so neither the content nor the length leaks through timing.
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  return timingSafeEqual(da, db);
}

export const NUL_INPUT_ERROR = "Input contains a character that is not allowed (U+0000)";

/** Whether any string in the arguments (keys included, at any depth) holds U+0000, which PostgreSQL text cannot store. */
function holdsNulCharacter(v: unknown, depth = 0): boolean {
  if (typeof v === "string") return hasNulCharacter(v);
  if (depth > 32 || v === null || typeof v !== "object") return false;
  if (Array.isArray(v)) return v.some((x) => holdsNulCharacter(x, depth + 1));
  return Object.entries(v).some(([k, x]) => hasNulCharacter(k) || holdsNulCharacter(x, depth + 1));
}

/**
 * Runs one call: finds the method (UnknownMethodError if none), checks the caller, validates the
 * arguments with the method's schema, runs it, and shapes the answer the Freeside way:
 * `{ error: "", …result }` on success, `{ error: "message" }` for a domain error.
 */
export async function dispatch(
  registry: Registry,
  name: string,
  args: Record<string, unknown>,
  ctx: { db: Db; meta: SessionMeta; backendSecret?: string },
): Promise<DispatchOutcome> {
  const method = registry.get(name);
  if (!method) throw new UnknownMethodError(name);
  try {
    if (holdsNulCharacter(args)) return { kind: "result", value: { error: NUL_INPUT_ERROR }, method };
    const base = { db: ctx.db, meta: ctx.meta };
    const token = typeof args.session_id === "string" ? args.session_id : undefined;
    if (method.auth === "customer-in-read") {
      if (!token) return { kind: "result", value: { error: SESSION_ERROR }, method };
      let input: unknown;
      try {
        input = parseInput(method.input, args);
      } catch (e) {
        // Bad arguments: the session error still comes first, as for "customer" methods.
        if (!(await resolveCustomerSession(ctx.db, token))) return { kind: "result", value: { error: SESSION_ERROR }, method };
        throw e;
      }
      const value = await method.run({ ...base, sessionToken: token }, input);
      if (!value) return { kind: "result", value: { error: SESSION_ERROR }, method };
      return { kind: "result", value: { error: "", ...value }, method };
    }
    if (method.auth === "customer") {
      const customer = token ? await resolveCustomerSession(ctx.db, token) : null;
      if (!customer) return { kind: "result", value: { error: SESSION_ERROR }, method };
      const input = parseInput(method.input, args);
      const value = await method.run({ ...base, customer, sessionToken: token }, input);
      return { kind: "result", value: { error: "", ...value }, method };
    }
    if (method.auth === "backend") {
      const given = typeof args.secret === "string" ? args.secret : "";
      if (!ctx.backendSecret || !constantTimeEquals(given, ctx.backendSecret)) {
        return { kind: "result", value: { error: "Incorrect shared secret" }, method };
      }
    }
    const input = parseInput(method.input, args);
    const value = await method.run({ ...base, sessionToken: token }, input);
    return { kind: "result", value: { error: "", ...value }, method };
  } catch (e) {
    if (isAppError(e)) {
      if (e.code === "RATE_LIMITED") return { kind: "rate_limited", message: e.message, retryAfterSeconds: e.retryAfterSeconds ?? 60 };
      return { kind: "result", value: { error: e.message }, method };
    }
    const ref = logUnexpected(`rpc ${name}`, e);
    return { kind: "internal", message: `Internal error (ref ${ref})` };
  }
}
