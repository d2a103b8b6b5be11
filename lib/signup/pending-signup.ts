import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { custPayPending, signupPending } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { queryRows } from "@/lib/db/rows";
import { correlationId, isAppError } from "@/lib/errors";
import { formatCents } from "@/lib/money/cents";
import type { PaymentGateway } from "@/lib/payments/gateway/types";

/**
 * Signups that are charging their first invoice (see lib/signup/new-customer.ts): the customer,
 * its package, service, contact, payment method and invoice are committed, together with the
 * payment attempt, BEFORE the gateway is called; the customer is "not yet active" until the charge
 * is recorded. Not yet active means a `signup_pending` row for the custnum, and:
 *  - no login: the self-service contact has no self-service access and the login service
 *    (svc_acct / svc_phone) no password or PIN — their hashes wait in the signup_pending row;
 *  - no billing run and no automatic collection (`isSignupPending`, checked by billCustomer and
 *    collectAutomatic), and no replay of its result (its `signup` audit row is written only on
 *    activation);
 *  - its username, phone number and e-mail stay taken, so a concurrent signup with them is refused
 *    as "taken" / "in use".
 * Then exactly one of:
 *  - `activateSignup`: the charge was recorded (`done`): credentials moved into place, the audit
 *    row written, the signup_pending row deleted — all in one transaction;
 *  - `removeSignup`: the charge was declined or failed (or never sent): everything the signup made
 *    is deleted, the username and e-mail are free again.
 * Whoever deletes the signup_pending row (under its row lock) does it; the others find it gone.
 * After a crash, `settlePendingSignups` (server start, `npm run bill`, a repeated submission) does
 * the same from the attempt's status.
 */

/** Whether the customer is a signup still charging its first invoice (not yet active). */
export async function isSignupPending(db: DbOrTx, custnum: number): Promise<boolean> {
  const [row] = await db.select({ custnum: signupPending.custnum }).from(signupPending).where(eq(signupPending.custnum, custnum));
  return !!row;
}

/** What a not-yet-active signup keeps for its activation. */
export interface PendingSignupDetail {
  /** The `signup` audit row's detail (the signup's result: what a replay returns). */
  detail: Record<string, unknown>;
  agentnum: number;
  contactnum: number | null;
  ip: string | null;
}

/**
 * Marks a customer made inside `tx` as not yet active: takes its login credentials away (kept in
 * the signup_pending row) and records what activation needs. Call in the signup's transaction.
 */
export async function holdSignup(
  tx: DbOrTx,
  s: { custnum: number; payunique: string; signupKeyHash: string; contactnum: number | null; svcnum: number | null; pending: PendingSignupDetail },
): Promise<void> {
  let credential: string | null = null;
  if (s.svcnum !== null) {
    const [row] = await queryRows<{ c: string | null }>(
      tx,
      sql`SELECT _password AS c FROM svc_acct WHERE svcnum = ${s.svcnum} UNION ALL SELECT pin AS c FROM svc_phone WHERE svcnum = ${s.svcnum}`,
    );
    credential = row?.c ?? null;
    await tx.execute(sql`UPDATE svc_acct SET _password = NULL WHERE svcnum = ${s.svcnum}`);
    await tx.execute(sql`UPDATE svc_phone SET pin = NULL WHERE svcnum = ${s.svcnum}`);
  }
  if (s.contactnum !== null) await tx.execute(sql`UPDATE contact SET selfservice_access = NULL WHERE contactnum = ${s.contactnum}`);
  await tx.insert(signupPending).values({
    custnum: s.custnum,
    payunique: s.payunique,
    signupKeyHash: s.signupKeyHash,
    contactnum: s.contactnum,
    svcnum: s.svcnum,
    svcCredential: credential,
    detail: s.pending as unknown as Record<string, unknown>,
  });
}

/**
 * Activates a signup whose first charge is recorded: one transaction. Returns the signup's audit
 * detail, or null when it was not pending (already activated or removed by someone else).
 */
export async function activateSignup(db: Db, custnum: number): Promise<Record<string, unknown> | null> {
  return db.transaction(async (tx) => {
    const [p] = await tx.delete(signupPending).where(eq(signupPending.custnum, custnum)).returning();
    if (!p) return null;
    const pending = p.detail as unknown as PendingSignupDetail;
    if (p.svcnum !== null && p.svcCredential !== null) {
      await tx.execute(sql`UPDATE svc_acct SET _password = ${p.svcCredential} WHERE svcnum = ${p.svcnum}`);
      await tx.execute(sql`UPDATE svc_phone SET pin = ${p.svcCredential} WHERE svcnum = ${p.svcnum}`);
    }
    if (p.contactnum !== null) await tx.execute(sql`UPDATE contact SET selfservice_access = 'Y' WHERE contactnum = ${p.contactnum}`);
    await recordAudit(tx, { action: "signup", custnum, contactnum: pending.contactnum, agentnum: pending.agentnum, ip: pending.ip, detail: pending.detail });
    return pending.detail;
  });
}

/**
 * Deletes a not-yet-active signup and everything it made (customer, locations, contact and its
 * e-mails, payment method, package, services, invoice, its payment attempts, audit rows), in one
 * transaction. False when it was not pending, or when a payment was recorded for it (then it is
 * left for activation: a paid signup is never removed).
 */
export async function removeSignup(db: Db, custnum: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [p] = await tx.select({ custnum: signupPending.custnum }).from(signupPending).where(eq(signupPending.custnum, custnum)).for("update");
    if (!p) return false;
    const [paid] = await queryRows<{ n: number }>(tx, sql`SELECT 1 AS n FROM cust_pay WHERE custnum = ${custnum} LIMIT 1`);
    if (paid) return false;
    const bills = sql`(SELECT invnum FROM cust_bill WHERE custnum = ${custnum})`;
    const pkgs = sql`(SELECT pkgnum FROM cust_pkg WHERE custnum = ${custnum})`;
    for (const q of [
      sql`DELETE FROM cust_pay_pending WHERE custnum = ${custnum}`,
      sql`DELETE FROM cust_bill_pkg_tax_location WHERE billpkgnum IN (SELECT billpkgnum FROM cust_bill_pkg WHERE invnum IN ${bills})`,
      sql`DELETE FROM cust_credit_bill WHERE invnum IN ${bills}`,
      sql`DELETE FROM cust_bill_pkg WHERE invnum IN ${bills}`,
      sql`DELETE FROM cust_bill WHERE custnum = ${custnum}`,
      sql`DELETE FROM cust_credit WHERE custnum = ${custnum}`,
      sql`DELETE FROM cust_svc WHERE pkgnum IN ${pkgs}`,
      sql`DELETE FROM cust_pkg WHERE custnum = ${custnum}`,
      sql`DELETE FROM contact WHERE custnum = ${custnum}`,
      sql`DELETE FROM cust_payby WHERE custnum = ${custnum}`,
      sql`UPDATE cust_main SET bill_locationnum = NULL, ship_locationnum = NULL WHERE custnum = ${custnum}`,
      sql`DELETE FROM cust_location WHERE custnum = ${custnum}`,
      sql`DELETE FROM cust_main WHERE custnum = ${custnum}`,
    ]) {
      await tx.execute(q);
    }
    return true;
  });
}

/**
 * After a signup's charge failed without a clear decline (a gateway error, a time-out): make sure
 * no money moved for a customer that no longer exists. The gateway is asked about the reference;
 * an approval is voided. If the gateway cannot tell, or the void fails, an audit row (no custnum:
 * the customer does not exist) keeps the reference, amount and masked number for a refund by hand.
 */
export async function settleAbandonedCharge(
  db: Db,
  gateway: PaymentGateway,
  c: { reference: string; amountCents: number; agentnum: number | null; ip: string | null; paymask: string | null; error?: unknown },
): Promise<void> {
  const note = async (outcome: string, extra: Record<string, unknown> = {}) => {
    const ref = correlationId();
    console.error(`[portico] signup removed after a charge attempt: ${outcome} (ref ${ref})`);
    await recordAudit(db, {
      action: "signup",
      custnum: null,
      agentnum: c.agentnum,
      ip: c.ip,
      detail: { outcome, reference: c.reference, amount: formatCents(c.amountCents), paymask: c.paymask, processor: gateway.name, ref, ...extra },
      note: "Signup removed; the customer was not created. Check this reference with the processor.",
    }).catch(() => {});
  };
  if (isAppError(c.error) && c.error.code === "PAYMENT_DECLINED") return;
  let seen;
  try {
    seen = await gateway.lookup(c.reference);
  } catch {
    seen = { kind: "unsupported" as const };
  }
  if (seen.kind === "not_found") return;
  if (seen.kind === "found" && seen.outcome.status !== "approved") return;
  if (seen.kind === "unsupported") return note("charge_outcome_unknown");
  const orderNumber = seen.outcome.status === "approved" ? seen.outcome.orderNumber : "";
  try {
    const voided = await gateway.void({ reference: c.reference, orderNumber });
    if (voided.status === "approved") return;
    await note("charge_void_failed", { orderNumber, message: voided.status === "error" ? voided.message : "declined" });
  } catch {
    await note("charge_void_failed", { orderNumber });
  }
}

/**
 * Removes a not-yet-active signup whose charge failed, after checking with the gateway that nothing
 * was charged (an unknown outcome is kept as an audit row; an approval found after all is voided).
 */
export async function undoSignup(db: Db, gateway: PaymentGateway, custnum: number, error?: unknown): Promise<boolean> {
  const [p] = await db.select().from(signupPending).where(eq(signupPending.custnum, custnum));
  if (!p) return false;
  const [attempt] = await db.select().from(custPayPending).where(eq(custPayPending.payunique, p.payunique));
  const removed = await removeSignup(db, custnum);
  if (removed && attempt && attempt.status !== "declined" && !(isAppError(error) && error.code === "PAYMENT_DECLINED")) {
    const pending = p.detail as unknown as PendingSignupDetail;
    await settleAbandonedCharge(db, gateway, { reference: p.payunique, amountCents: attempt.paid, agentnum: pending.agentnum, ip: pending.ip, paymask: attempt.paymask, error });
  }
  return removed;
}

export interface SignupSettleOutcome {
  custnum: number;
  result: "activated" | "removed";
}

/**
 * Settles not-yet-active signups from their first payment attempt's status: `done` → activated;
 * `declined` / `error` → removed; no attempt at all and older than `olderThanMs` → removed. A
 * signup whose attempt is still unfinished is left (its payment is settled first, by
 * resolveStalePending). Safe while signups are in flight: see the module comment.
 */
export async function settlePendingSignups(db: Db, opts: { gateway: PaymentGateway; olderThanMs: number; custnum?: number }): Promise<SignupSettleOutcome[]> {
  const rows = await queryRows<{ custnum: number; status: string | null; age_ms: number }>(
    db,
    sql`SELECT s.custnum, p.status, (extract(epoch from (now() - s.created_at)) * 1000)::float8 AS age_ms
          FROM signup_pending s LEFT JOIN cust_pay_pending p ON p.payunique = s.payunique
         ${opts.custnum !== undefined ? sql`WHERE s.custnum = ${opts.custnum}` : sql``}
         ORDER BY s.custnum`,
  );
  const out: SignupSettleOutcome[] = [];
  for (const r of rows) {
    const custnum = Number(r.custnum);
    if (r.status === "done") {
      if (await activateSignup(db, custnum)) out.push({ custnum, result: "activated" });
    } else if (r.status === "declined" || r.status === "error" || (r.status === null && Number(r.age_ms) > opts.olderThanMs)) {
      if (await undoSignup(db, opts.gateway, custnum)) out.push({ custnum, result: "removed" });
    }
  }
  return out;
}
