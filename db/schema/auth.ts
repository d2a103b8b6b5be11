import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, bigserial, varchar, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { agent, contact, custMain } from "./customers";

/**
 * Server-side sessions (customer or reseller agent). Only the SHA-256 of the opaque token is
 * stored; the token itself lives in the HttpOnly cookie or the RPC `session_id`.
 * A session ends at `expires_at` (absolute) or after the idle limit since `last_seen_at`.
 */
export const session = pgTable(
  "session",
  {
    tokenHash: varchar("token_hash", { length: 64 }).primaryKey(),
    kind: varchar("kind", { length: 16 }).notNull(),
    custnum: integer("custnum").references(() => custMain.custnum, { onDelete: "cascade" }),
    contactnum: integer("contactnum").references(() => contact.contactnum, { onDelete: "cascade" }),
    svcnum: integer("svcnum"),
    agentnum: integer("agentnum").references(() => agent.agentnum, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    lastSeenAt: timestamptz("last_seen_at").notNull().defaultNow(),
    expiresAt: timestamptz("expires_at").notNull(),
    ip: varchar("ip", { length: 64 }),
    userAgent: varchar("user_agent", { length: 300 }),
  },
  (t) => [
    index("session_custnum").on(t.custnum),
    index("session_expires_at").on(t.expiresAt),
    check("session_kind", sql`${t.kind} IN ('customer','agent')`),
  ],
);

/** Login throttling: failures per key ('identity:…' or 'ip:…') in a sliding window. */
export const loginThrottle = pgTable("login_throttle", {
  key: varchar("key", { length: 320 }).primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: timestamptz("window_start").notNull().defaultNow(),
  lockedUntil: timestamptz("locked_until"),
});

/** Audit trail: sign-ins, profile and payment-method changes. Never holds a secret. */
export const auditLog = pgTable(
  "audit_log",
  {
    auditnum: bigserial("auditnum", { mode: "number" }).primaryKey(),
    at: timestamptz("at").notNull().defaultNow(),
    custnum: integer("custnum").references(() => custMain.custnum, { onDelete: "cascade" }),
    contactnum: integer("contactnum"),
    agentnum: integer("agentnum"),
    action: varchar("action", { length: 64 }).notNull(),
    ip: varchar("ip", { length: 64 }),
    detail: jsonb("detail"),
    note: text("note"),
  },
  (t) => [index("audit_log_custnum_at").on(t.custnum, t.at.desc())],
);
