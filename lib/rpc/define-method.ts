import { z } from "zod";
import type { Db } from "@/db/client";
import type { CustomerSession, SessionMeta } from "@/lib/auth/sessions";

/**
 * One entry of an RPC registry: Freeside's method name, the zod schema of its arguments (the
 * same object forms use), who may call it, and the `lib/` function it runs.
 *
 * auth:
 *  - "none":     anyone (login, signup_info, HTML fragments without customer data);
 *  - "customer": a customer session, from `session_id` (Freeside's way);
 *  - "customer-in-read": the same, checked by the method's own read (one statement for the
 *                session and the data, e.g. `getCustomerInfoForSession`): `run` gets the raw
 *                `sessionToken` and returns null when it is not a valid customer session;
 *  - "backend":  the back-office shared secret (`secret`), checked by the backend endpoint.
 * Either customer kind answers exactly `Can't resume session` for a missing or invalid session,
 * before any complaint about the other arguments.
 */
export type MethodAuth = "none" | "customer" | "customer-in-read" | "backend";

export interface MethodContext {
  db: Db;
  meta: SessionMeta;
  /** Set for auth "customer". */
  customer?: CustomerSession;
  /** The raw `session_id` the caller sent (customer methods; logout and "customer-in-read" need it). */
  sessionToken?: string;
}

/** What a method's `run` gets, by its auth kind: a "customer" method always has its customer. */
export type ContextFor<A extends MethodAuth> = A extends "customer"
  ? MethodContext & { customer: CustomerSession; sessionToken: string }
  : A extends "customer-in-read"
    ? MethodContext & { sessionToken: string }
    : MethodContext;

export interface RpcMethod {
  name: string;
  auth: MethodAuth;
  input: z.ZodType;
  /** Result keys holding binary documents (Buffers): XML-RPC <base64>, JSON base64 strings. */
  base64Fields?: readonly string[];
  /** null only for "customer-in-read": the session was not valid. */
  run(ctx: MethodContext, input: unknown): Promise<Record<string, unknown> | null>;
}

/**
 * One method, typed by its auth kind and its schema; the dispatcher (lib/rpc/dispatch.ts) builds
 * the context that kind promises (a "customer" method never runs without its customer) and parses
 * the input with the schema before `run`.
 */
export function defineMethod<A extends MethodAuth, S extends z.ZodType, R extends Record<string, unknown>>(def: {
  name: string;
  auth: A;
  input: S;
  base64Fields?: readonly string[];
  run: (ctx: ContextFor<A>, input: z.output<S>) => Promise<R | (A extends "customer-in-read" ? null : never)>;
}): RpcMethod {
  return def as unknown as RpcMethod;
}

/**
 * The arguments a method declares, with their values untouched (its domain function parses them
 * with its own schema): every other key is dropped when the call is prepared, before the method
 * does any slow work (a password hash, a gateway call).
 */
export function declaredParams(...keySets: readonly (readonly string[])[]) {
  return z.object(Object.fromEntries(keySets.flat().map((k) => [k, z.unknown().optional()])));
}

export type Registry = ReadonlyMap<string, RpcMethod>;

export function buildRegistry(...groups: RpcMethod[][]): Registry {
  const map = new Map<string, RpcMethod>();
  for (const m of groups.flat()) {
    if (map.has(m.name)) throw new Error(`RPC method ${m.name} registered twice`);
    map.set(m.name, m);
  }
  return map;
}
