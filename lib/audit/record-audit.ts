import "server-only";
import type { DbOrTx } from "@/db/client";
import { auditLog } from "@/db/schema";
import { wellFormedInput } from "@/lib/validation/parse";

export type AuditAction =
  | "login"
  | "login_failed"
  | "logout"
  | "edit_info"
  | "payby_insert"
  | "payby_update"
  | "payby_delete"
  | "payment"
  | "payment_declined"
  | "signup"
  | "agent_login";

/**
 * Writes one audit row. `detail` must never hold a secret (password, card number, CVV):
 * callers pass field names and masked values only.
 */
export async function recordAudit(
  db: DbOrTx,
  entry: { action: AuditAction; custnum?: number | null; contactnum?: number | null; agentnum?: number | null; ip?: string | null; detail?: Record<string, unknown>; note?: string },
): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    custnum: entry.custnum ?? null,
    contactnum: entry.contactnum ?? null,
    agentnum: entry.agentnum ?? null,
    ip: entry.ip?.slice(0, 64) ?? null,
    // Never lost to a string PostgreSQL cannot store (a lone surrogate someone typed).
    detail: (wellFormedInput(entry.detail) as Record<string, unknown> | undefined) ?? null,
    note: entry.note === undefined ? null : (wellFormedInput(entry.note) as string),
  });
}
