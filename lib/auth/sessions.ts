import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { session } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
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

export function sessionLimits(): SessionLimits {
  const env = getEnv();
  return { idleMinutes: env.PORTICO_SESSION_IDLE_MINUTES, maxHours: env.PORTICO_SESSION_MAX_HOURS };
}

/**
 * The most live sessions one login keeps. Creating one more ends the least recently used ones
 * (by last use), so a login never has more than this many valid tokens at once.
 */
export const MAX_LIVE_SESSIONS_PER_LOGIN = 20;

/** Whose sessions a session counts with for the cap, the list and "sign out everywhere else". */
export type SessionLogin =
  | { kind: "customer"; custnum: number; contactnum: number | null; svcnum: number | null }
  | { kind: "agent"; agentnum: number };

/** `session` rows of one login: same custnum + contactnum + svcnum (customer), same agentnum (agent). */
function sameLogin(login: SessionLogin): SQL {
  if (login.kind === "agent") return sql`${session.kind} = 'agent' AND ${session.agentnum} = ${login.agentnum}`;
  return sql`${session.kind} = 'customer' AND ${session.custnum} = ${login.custnum}
    AND ${session.contactnum} IS NOT DISTINCT FROM ${login.contactnum}::int AND ${session.svcnum} IS NOT DISTINCT FROM ${login.svcnum}::int`;
}

/** Rows that still resolve: neither past `expires_at` nor idle too long. */
function isLive(now: Date, idleMinutes = sessionLimits().idleMinutes): SQL {
  const idleCutoff = new Date(now.getTime() - idleMinutes * 60_000);
  return sql`${session.expiresAt} > ${timestamptzParam(now)} AND ${session.lastSeenAt} > ${timestamptzParam(idleCutoff)}`;
}

function loginLockKey(login: SessionLogin): string {
  return login.kind === "agent" ? `portico-session:agent:${login.agentnum}` : `portico-session:customer:${login.custnum}:${login.contactnum ?? ""}:${login.svcnum ?? ""}`;
}

/**
 * Inserts a session and ends the login's least recently used live sessions beyond
 * MAX_LIVE_SESSIONS_PER_LOGIN, in one transaction under a per-login advisory lock: concurrent
 * logins of one identity queue here, so each sees the others' rows and the cap holds.
 */
async function insertSessionCapped(db: DbOrTx, row: typeof session.$inferInsert, login: SessionLogin, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${loginLockKey(login)}, 0))`);
    await tx.insert(session).values(row);
    await tx.execute(sql`DELETE FROM ${session} WHERE ${session.tokenHash} IN (
      SELECT ${session.tokenHash} FROM ${session}
       WHERE ${sameLogin(login)} AND ${isLive(now)} AND ${session.tokenHash} <> ${row.tokenHash}
       ORDER BY ${session.lastSeenAt} DESC, ${session.createdAt} DESC
       OFFSET ${MAX_LIVE_SESSIONS_PER_LOGIN - 1})`);
  });
}

export async function createCustomerSession(
  db: DbOrTx,
  who: { custnum: number; contactnum?: number | null; svcnum?: number | null },
  meta: SessionMeta = {},
  maxHours = sessionLimits().maxHours,
): Promise<string> {
  const token = newSessionToken();
  const now = new Date();
  const login: SessionLogin = { kind: "customer", custnum: who.custnum, contactnum: who.contactnum ?? null, svcnum: who.svcnum ?? null };
  await insertSessionCapped(
    db,
    {
      tokenHash: hashToken(token),
      kind: "customer",
      custnum: login.custnum,
      contactnum: login.contactnum,
      svcnum: login.svcnum,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + maxHours * 3600_000),
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    },
    login,
    now,
  );
  return token;
}

export async function createAgentSession(db: DbOrTx, agentnum: number, meta: SessionMeta = {}): Promise<string> {
  const token = newSessionToken();
  const now = new Date();
  await insertSessionCapped(
    db,
    {
      tokenHash: hashToken(token),
      kind: "agent",
      agentnum,
      createdAt: now,
      lastSeenAt: now,
      // Freeside: reseller sessions last one hour.
      expiresAt: new Date(now.getTime() + 3600_000),
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    },
    { kind: "agent", agentnum },
    now,
  );
  return token;
}

/** Looks a token up; null when missing, malformed, revoked, expired or idle too long. */
export async function resolveSession(db: DbOrTx, token: unknown, now = new Date()): Promise<AnySession | null> {
  if (!isWellFormedToken(token)) return null;
  const { idleMinutes } = sessionLimits();
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
  const idleCutoff = new Date(now.getTime() - sessionLimits().idleMinutes * 60_000);
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

// ---------------------------------------------------------------------------------------------
// A login's signed-in sessions, for /account/security. Sessions are keyed by the token's hash,
// which must never reach a page; each gets a public id instead: an HMAC of the hash under
// AUTH_SECRET, cut to 128 bits. It is found again by recomputing it over the login's own rows,
// so another login's session (or a made-up id) is simply not there: "not found".

/** A session as the security page may see it: no token, no hash. */
export interface SignedInSession {
  /** Opaque, non-secret id of the session (see `sessionPublicId`). */
  id: string;
  isCurrent: boolean;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

/** The public id of a session: HMAC-SHA256(AUTH_SECRET, token hash), base64url, 22 characters. */
export function sessionPublicId(tokenHash: string): string {
  return createHmac("sha256", getEnv().authSecret).update(`portico-session-id|${tokenHash}`).digest("base64url").slice(0, 22);
}

/** What a public id looks like; anything else is "not found" without a query. */
export const sessionPublicIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export const SESSION_NOT_FOUND_MESSAGE = "That session was not found: it may have ended already. Nothing was changed.";

function loginOf(s: CustomerSession): SessionLogin {
  return { kind: "customer", custnum: s.custnum, contactnum: s.contactnum, svcnum: s.svcnum };
}

/** The live sessions of the current session's login, most recently used first. */
export async function listLoginSessions(db: DbOrTx, current: CustomerSession, now = new Date()): Promise<SignedInSession[]> {
  const rows = await db
    .select({ tokenHash: session.tokenHash, ip: session.ip, userAgent: session.userAgent, createdAt: session.createdAt, lastSeenAt: session.lastSeenAt })
    .from(session)
    .where(and(sameLogin(loginOf(current)), isLive(now)))
    .orderBy(desc(session.lastSeenAt), desc(session.createdAt));
  return rows.map((r) => ({
    id: sessionPublicId(r.tokenHash),
    isCurrent: r.tokenHash === current.tokenHash,
    ip: r.ip,
    userAgent: r.userAgent,
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
  }));
}

/**
 * Ends one other live session of the current session's login, by its public id. A malformed id,
 * a missing one, an ended one, another login's and the current session itself (that is "Log
 * out") are all NOT_FOUND, and nothing changes.
 */
export async function endLoginSession(db: DbOrTx, current: CustomerSession, publicId: unknown, meta: SessionMeta = {}, now = new Date()): Promise<void> {
  const parsed = sessionPublicIdSchema.safeParse(publicId);
  if (!parsed.success) throw new AppError("NOT_FOUND", SESSION_NOT_FOUND_MESSAGE);
  const login = loginOf(current);
  const candidates = await db
    .select({ tokenHash: session.tokenHash })
    .from(session)
    .where(and(sameLogin(login), isLive(now), ne(session.tokenHash, current.tokenHash)));
  const match = candidates.find((c) => timingSafeEqualText(sessionPublicId(c.tokenHash), parsed.data));
  if (!match) throw new AppError("NOT_FOUND", SESSION_NOT_FOUND_MESSAGE);
  const ended = await db
    .delete(session)
    .where(and(eq(session.tokenHash, match.tokenHash), sameLogin(login), ne(session.tokenHash, current.tokenHash)))
    .returning({ k: session.tokenHash });
  if (ended.length === 0) throw new AppError("NOT_FOUND", SESSION_NOT_FOUND_MESSAGE);
  await recordAudit(db, { action: "logout", custnum: current.custnum, contactnum: current.contactnum, ip: meta.ip, detail: { scope: "one_other_session" } });
}

/**
 * "Sign out everywhere else": ends every other session of the current session's login (live or
 * not) and writes an audit row; returns how many live ones ended.
 */
export async function endOtherLoginSessions(db: DbOrTx, current: CustomerSession, meta: SessionMeta = {}, now = new Date()): Promise<number> {
  const ended = await db
    .delete(session)
    .where(and(sameLogin(loginOf(current)), ne(session.tokenHash, current.tokenHash)))
    .returning({ expiresAt: session.expiresAt, lastSeenAt: session.lastSeenAt });
  const idleCutoff = now.getTime() - sessionLimits().idleMinutes * 60_000;
  const live = ended.filter((r) => r.expiresAt.getTime() > now.getTime() && r.lastSeenAt.getTime() > idleCutoff).length;
  await recordAudit(db, { action: "logout", custnum: current.custnum, contactnum: current.contactnum, ip: meta.ip, detail: { scope: "everywhere_else", sessions_ended: live } });
  return live;
}

function timingSafeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
