import "server-only";
import { and, eq, gt, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { session } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { timestamptzParam } from "@/lib/db/rows";
import { hashToken, isWellFormedToken, newSessionToken } from "./tokens";

/**
 * Server-side sessions, revocable and expiring two ways: absolute (`expires_at`, fixed at
 * creation) and idle (no use for PORTICO_SESSION_IDLE_MINUTES). The same rows back the browser
 * cookie and the RPC `session_id`.
 */
export interface CustomerSession {
  kind: "customer";
  tokenHash: string;
  custnum: number;
  contactnum: number | null;
  svcnum: number | null;
}

export interface AgentSession {
  kind: "agent";
  tokenHash: string;
  agentnum: number;
}

export type AnySession = CustomerSession | AgentSession;

export interface SessionMeta {
  ip?: string | null;
  userAgent?: string | null;
}

/** Only refresh last_seen_at when it is older than this: reads stay reads. */
const TOUCH_AFTER_MS = 60_000;

export interface SessionLimits {
  idleMinutes: number;
  maxHours: number;
}

function limits(): SessionLimits {
  const env = getEnv();
  return { idleMinutes: env.PORTICO_SESSION_IDLE_MINUTES, maxHours: env.PORTICO_SESSION_MAX_HOURS };
}

export async function createCustomerSession(
  db: DbOrTx,
  who: { custnum: number; contactnum?: number | null; svcnum?: number | null },
  meta: SessionMeta = {},
  maxHours = limits().maxHours,
): Promise<string> {
  const token = newSessionToken();
  await db.insert(session).values({
    tokenHash: hashToken(token),
    kind: "customer",
    custnum: who.custnum,
    contactnum: who.contactnum ?? null,
    svcnum: who.svcnum ?? null,
    expiresAt: new Date(Date.now() + maxHours * 3600_000),
    ip: meta.ip?.slice(0, 64) ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

export async function createAgentSession(db: DbOrTx, agentnum: number, meta: SessionMeta = {}): Promise<string> {
  const token = newSessionToken();
  await db.insert(session).values({
    tokenHash: hashToken(token),
    kind: "agent",
    agentnum,
    // Freeside: reseller sessions last one hour.
    expiresAt: new Date(Date.now() + 3600_000),
    ip: meta.ip?.slice(0, 64) ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

/** Looks a token up; null when missing, malformed, revoked, expired or idle too long. */
export async function resolveSession(db: DbOrTx, token: unknown, now = new Date()): Promise<AnySession | null> {
  if (!isWellFormedToken(token)) return null;
  const { idleMinutes } = limits();
  const tokenHash = hashToken(token);
  const idleCutoff = new Date(now.getTime() - idleMinutes * 60_000);
  const [row] = await db
    .select({
      kind: session.kind,
      custnum: session.custnum,
      contactnum: session.contactnum,
      svcnum: session.svcnum,
      agentnum: session.agentnum,
      lastSeenAt: session.lastSeenAt,
    })
    .from(session)
    .where(and(eq(session.tokenHash, tokenHash), gt(session.expiresAt, now), gt(session.lastSeenAt, idleCutoff)))
    .limit(1);
  if (!row) return null;
  await touchIfStale(db, tokenHash, row.lastSeenAt, now);
  if (row.kind === "agent" && row.agentnum != null) return { kind: "agent", tokenHash, agentnum: row.agentnum };
  if (row.kind === "customer" && row.custnum != null) {
    return { kind: "customer", tokenHash, custnum: row.custnum, contactnum: row.contactnum, svcnum: row.svcnum };
  }
  return null;
}

async function touchIfStale(db: DbOrTx, tokenHash: string, lastSeenAt: Date, now: Date): Promise<void> {
  if (now.getTime() - lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db.update(session).set({ lastSeenAt: now }).where(eq(session.tokenHash, tokenHash));
  }
}

/**
 * Whose data a read is for: a customer the caller has already authorised (`custnum`), or the
 * customer of a session token that the read itself checks. The second saves the hot pages and
 * RPC reads a round trip: the session lookup (the same conditions as `resolveSession`) becomes a
 * CTE of the read's own statement, so an invalid token simply reads nothing.
 */
export type CustomerScope = { custnum: number } | { sessionToken: unknown; now?: Date };

/** The columns `customerScopeCte` gives every scoped statement, as they come back. */
export interface ScopeColumns {
  scope_custnum: number | string;
  scope_contactnum: number | string | null;
  scope_svcnum: number | string | null;
  scope_last_seen_at: string | Date | null;
}

export interface PreparedScope {
  /** `scope AS (…)`: one row (custnum, contactnum, svcnum, last_seen_at), or none for an invalid session. */
  cte: SQL;
  /** Selects the scope's columns (alias `scope`) under the ScopeColumns names. */
  columns: SQL;
  finish(db: DbOrTx, row: ScopeColumns): Promise<CustomerSession | null>;
}

/** The CTE for a scope, or null when a session token is malformed (nothing to read). */
export function customerScopeCte(scope: CustomerScope): PreparedScope | null {
  const columns = sql`scope.custnum AS scope_custnum, scope.contactnum AS scope_contactnum, scope.svcnum AS scope_svcnum, scope.last_seen_at AS scope_last_seen_at`;
  if ("custnum" in scope) {
    return {
      cte: sql`scope AS (SELECT ${scope.custnum}::int AS custnum, NULL::int AS contactnum, NULL::int AS svcnum, NULL::timestamptz AS last_seen_at)`,
      columns,
      finish: async () => null,
    };
  }
  const token = scope.sessionToken;
  if (!isWellFormedToken(token)) return null;
  const now = scope.now ?? new Date();
  const tokenHash = hashToken(token);
  const idleCutoff = new Date(now.getTime() - limits().idleMinutes * 60_000);
  return {
    cte: sql`scope AS (SELECT s.custnum, s.contactnum, s.svcnum, s.last_seen_at FROM session s
                        WHERE s.token_hash = ${tokenHash} AND s.kind = 'customer' AND s.custnum IS NOT NULL
                          AND s.expires_at > ${timestamptzParam(now)} AND s.last_seen_at > ${timestamptzParam(idleCutoff)})`,
    columns,
    async finish(db, row) {
      const lastSeenAt = row.scope_last_seen_at instanceof Date ? row.scope_last_seen_at : new Date(String(row.scope_last_seen_at));
      await touchIfStale(db, tokenHash, lastSeenAt, now);
      const num = (v: number | string | null) => (v === null ? null : Number(v));
      return { kind: "customer", tokenHash, custnum: Number(row.scope_custnum), contactnum: num(row.scope_contactnum), svcnum: num(row.scope_svcnum) };
    },
  };
}

export async function resolveCustomerSession(db: DbOrTx, token: unknown): Promise<CustomerSession | null> {
  const s = await resolveSession(db, token);
  return s?.kind === "customer" ? s : null;
}

/** Ends a session (logout). Returns whether one was ended. */
export async function revokeSession(db: DbOrTx, token: unknown): Promise<boolean> {
  if (!isWellFormedToken(token)) return false;
  const rows = await db.delete(session).where(eq(session.tokenHash, hashToken(token))).returning({ k: session.tokenHash });
  return rows.length > 0;
}

/** Ends every session of a customer (e.g. after a password change by staff). */
export async function revokeCustomerSessions(db: DbOrTx, custnum: number): Promise<number> {
  const rows = await db.delete(session).where(eq(session.custnum, custnum)).returning({ k: session.tokenHash });
  return rows.length;
}

/** Deletes expired and idle sessions; returns how many. */
export async function purgeExpiredSessions(db: DbOrTx, now = new Date()): Promise<number> {
  const idleCutoff = new Date(now.getTime() - limits().idleMinutes * 60_000);
  const rows = await db
    .delete(session)
    .where(or(lt(session.expiresAt, now), lt(session.lastSeenAt, idleCutoff)))
    .returning({ k: session.tokenHash });
  return rows.length;
}

