import "server-only";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { format } from "date-fns";
import { TZDate } from "@date-fns/tz";
import type { Db, DbOrTx, Tx } from "@/db/client";
import { custMain, custPay, custPayPending } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { recordPayment } from "@/lib/billing/record-payment";
import { paybyName } from "@/lib/billing/payby";
import { AppError, correlationId, isAppError } from "@/lib/errors";
import { formatDateIso, portalTimezone, unixSeconds } from "@/lib/format/dates";
import { escapeHtml } from "@/lib/format/html";
import { settlePendingSignups, type SignupSettleOutcome } from "@/lib/signup/pending-signup";
import { formatCents, formatMoneyPretty, MAX_CENTS } from "@/lib/money/cents";
import { parseInput } from "@/lib/validation/parse";
import { CARD_MESSAGES, cvvError, isExpired, parseExpselectDate } from "./card";
import { getGateway } from "./gateway";
import type { GatewayOutcome, PaymentGateway, PaymentInstrument } from "./gateway/types";
import { listPayby, openStoredInstrument, storePayby } from "./payby";
import {
  AMOUNT_MESSAGES,
  checkPaybyFields,
  MAX_PAYMENT_CENTS,
  isCardPayby,
  maskedPayinfo,
  paybyFieldsSchema,
  type NormalizedPayby,
  type PaybyFieldsInput,
} from "./payby-schema";

/**
 * One payment, charged at most once per one-time key (`paybatch`, Freeside's payunique).
 *
 * The key's row in cust_pay_pending is the lock and the record (status machine):
 *
 *   new ──► pending ──► captured ──► done (cust_pay written, paynum set)
 *                   └─► declined | error (no cust_pay; kept for audit)
 *
 *  1. `new` is inserted under the customer's row lock with ON CONFLICT (payunique) DO NOTHING:
 *     exactly one caller per key wins; every other caller with the same key waits for the winner's
 *     outcome and gets the same result (a double click, a reload, fifty concurrent requests).
 *     A different key while another payment of the customer is unfinished is refused.
 *  2. `pending` is committed before the gateway is called; the gateway gets the key as its
 *     reference (idempotency key). No gateway call ever runs inside a database transaction: every
 *     function here that calls the gateway takes `Db` (the pool), to which a transaction (`Tx`)
 *     is not assignable (db/client.ts). A caller that must create the attempt in its own
 *     transaction (signup) uses `claimPayment(tx, …)` and, after its commit, `chargeClaimed(db, …)`.
 *  3. The gateway's approval is committed (`captured`, auth, order number) before the payment is
 *     written, then cust_pay + application to open invoices + `done` happen in one transaction.
 *     A crash in between leaves `captured`, which `resolveStalePending` (and any retry with the
 *     key) turns into exactly one payment. A crash while `pending` is resolved by asking the
 *     gateway (`lookup`), never by charging again. `settleAtStart` runs this at server start (in
 *     the background); `npm run bill` runs it before billing.
 *
 * The card number and CVV exist only in memory on their way to the gateway: not in
 * cust_pay_pending, not in cust_pay, not in the audit log, not in any message.
 */

export type PaymentMethodInput =
  /** A stored method of this customer. */
  | { custpaybynum: number }
  /** A new card or bank account: the payby fields (Freeside's names), checked like insert_payby. */
  | { fields: PaybyFieldsInput };

export interface ProcessPaymentInput {
  custnum: number;
  amountCents: number;
  method: PaymentMethodInput;
  /** For this charge only; never stored. */
  cvv?: string | null;
  /** Keep a new card/bank account as a stored method (after a successful charge). */
  save?: boolean;
  /** The kept method is charged automatically (CARD/CHEK, first in line) rather than on demand (DCRD/DCHK). */
  auto?: boolean;
  /** The one-time key. */
  paybatch: string;
  ip?: string | null;
  /** The invoice this payment is for (automatic collection), recorded on the pending row. */
  invnum?: number | null;
}

/** Points where a test can simulate a crash (throw) between the steps. */
export interface PaymentFaults {
  afterPending?: () => void | Promise<void>;
  afterSale?: () => void | Promise<void>;
  afterCapture?: () => void | Promise<void>;
}

export interface ProcessPaymentDeps {
  gateway?: PaymentGateway;
  now?: Date;
  /** How long a duplicate request waits for the first one's outcome (default: gateway timeout + 10 s). */
  waitMs?: number;
  faults?: PaymentFaults;
}

/** The receipt of a successful payment: Freeside's process_payment keys plus typed fields. */
export interface PaymentResult {
  paynum: number;
  /** "12.50" */
  amount: string;
  /** UNIX seconds. */
  date: number;
  /** "2026-11-03" */
  date_pretty: string;
  /** "14:05:09" */
  time_pretty: string;
  auth_num: string;
  order_num: string;
  receipt_html: string;
  amountCents: number;
  paidAt: Date;
  payby: string;
  paymask: string;
  paycardtype: string | null;
  paybatch: string;
  /** True when this call found the key already used and returned the first call's result. */
  replayed: boolean;
}

const ACTIVE = ["new", "pending", "captured"] as const;
const PAYMENT_KEY_RE = /^[A-Za-z0-9._:@-]{1,80}$/;

export const DUPLICATE_KEY_MESSAGE = (key: string) => `duplicate transaction - a payment with unique identifer ${key} already exists`;
export const STILL_PROCESSING_MESSAGE = "This payment is still being processed. Please check your payment history before trying again.";

/** Delay after which an unfinished (new/pending) attempt counts as abandoned by a crash. */
export function staleAfterMs(gateway: PaymentGateway): number {
  return Math.max(60_000, gateway.timeoutMs * 2);
}

function declinedError(text: string): AppError {
  return new AppError("PAYMENT_DECLINED", `Payment declined: ${text}`);
}
function gatewayError(text: string): AppError {
  return new AppError("GATEWAY_ERROR", `Payment could not be processed: ${text}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Logs a gateway adapter failure without anything from the request (no number, no CVV). */
function logGatewayFailure(gateway: PaymentGateway, paypendingnum: number, e: unknown): void {
  const ref = correlationId();
  console.error(`[portico] payment gateway "${gateway.name}" failed for paypendingnum ${paypendingnum} (ref ${ref}): ${e instanceof Error ? e.name : typeof e}`);
}

/** What the charge needs once the method is resolved. */
interface Charge {
  instrument: PaymentInstrument;
  payby: "CARD" | "CHEK";
  paymask: string;
  paycardtype: string | null;
  paydate: string | null;
  custpaybynum: number | null;
  /** A new method to keep after success. */
  toSave: NormalizedPayby | null;
}

function instrumentOf(v: NormalizedPayby, cvv: string | undefined): PaymentInstrument {
  if (v.kind === "card") {
    return { kind: "card", number: v.number!, expMonth: v.month, expYear: v.year, cvv, name: v.payname, cardType: String(v.cardType) };
  }
  return { kind: "bank", account: v.account!, routing: v.routing!, accountType: v.paytype, name: v.payname, state: v.paystate };
}

async function resolveCharge(db: DbOrTx, input: ProcessPaymentInput, now: Date): Promise<Charge> {
  const tz = portalTimezone();
  let cvv = input.cvv ? String(input.cvv).trim() : undefined;
  if (cvv !== undefined && !/^\d{3,4}$/.test(cvv)) throw new AppError("INVALID_INPUT", CARD_MESSAGES.cvvOther, { fieldErrors: { paycvv: [CARD_MESSAGES.cvvOther] } });

  let custpaybynum: number | null = null;
  if ("custpaybynum" in input.method) {
    custpaybynum = input.method.custpaybynum;
  } else {
    const fields = parseInput(paybyFieldsSchema, input.method.fields);
    if (fields.paycvv && !cvv) cvv = fields.paycvv;
    // A payinfo (or payinfo1@payinfo2) equal to a stored paymask means "that stored method" (Freeside's rule).
    const mask = maskedPayinfo(fields);
    if (mask !== null) {
      const match = (await listPayby(db, { custnum: input.custnum })).find((p) => p.paymask.toLowerCase() === mask.toLowerCase());
      if (!match) {
        const field = fields.payinfo1 ? "payinfo1" : "payinfo";
        const message = fields.payinfo1 ? "Enter the full account number" : CARD_MESSAGES.invalidCard;
        throw new AppError("INVALID_INPUT", message, { fieldErrors: { [field]: [message] } });
      }
      custpaybynum = match.custpaybynum;
    } else {
      const r = checkPaybyFields({ ...fields, paycvv: cvv }, { now, timeZone: tz });
      if (!r.ok) throw new AppError("INVALID_INPUT", r.message, { fieldErrors: r.fieldErrors });
      const v = r.value;
      const toSave: NormalizedPayby | null = input.save
        ? ({ ...v, payby: v.kind === "card" ? (input.auto ? "CARD" : "DCRD") : input.auto ? "CHEK" : "DCHK" } as NormalizedPayby)
        : null;
      return {
        instrument: instrumentOf(v, v.kind === "card" ? v.cvv : undefined),
        payby: v.kind === "card" ? "CARD" : "CHEK",
        paymask: v.paymask,
        paycardtype: v.kind === "card" ? String(v.cardType) : null,
        paydate: v.kind === "card" ? v.paydate : null,
        custpaybynum: null,
        toSave,
      };
    }
  }

  const stored = await openStoredInstrument(db, { custnum: input.custnum, custpaybynum });
  if (stored.instrument.kind === "card") {
    const exp = parseExpselectDate(stored.paydate);
    if (!exp || isExpired(exp, now, tz)) throw new AppError("INVALID_INPUT", CARD_MESSAGES.expiredCard, { fieldErrors: { custpaybynum: [CARD_MESSAGES.expiredCard] } });
    if (cvv !== undefined) {
      const err = cvvError(cvv, stored.paycardtype);
      if (err) throw new AppError("INVALID_INPUT", err, { fieldErrors: { paycvv: [err] } });
      stored.instrument.cvv = cvv;
    }
  }
  return {
    instrument: stored.instrument,
    payby: stored.instrument.kind === "card" ? "CARD" : "CHEK",
    paymask: stored.paymask,
    paycardtype: stored.paycardtype,
    paydate: stored.paydate,
    custpaybynum: stored.custpaybynum,
    toSave: null,
  };
}

type PendingRow = typeof custPayPending.$inferSelect;

async function findPending(db: DbOrTx, payunique: string): Promise<(PendingRow & { ageMs: number }) | undefined> {
  const [row] = await db
    .select({ p: custPayPending, ageMs: sql<number>`(extract(epoch from (now() - ${custPayPending.updatedAt})) * 1000)::float8` })
    .from(custPayPending)
    .where(eq(custPayPending.payunique, payunique));
  return row ? { ...row.p, ageMs: Number(row.ageMs) } : undefined;
}

function checkAmount(amountCents: number): void {
  if (!Number.isSafeInteger(amountCents)) throw new AppError("INVALID_INPUT", AMOUNT_MESSAGES.illegal, { fieldErrors: { amount: [AMOUNT_MESSAGES.illegal] } });
  if (amountCents <= 0) throw new AppError("INVALID_INPUT", AMOUNT_MESSAGES.notPositive, { fieldErrors: { amount: [AMOUNT_MESSAGES.notPositive] } });
  if (amountCents > MAX_CENTS) throw new AppError("INVALID_INPUT", AMOUNT_MESSAGES.illegal, { fieldErrors: { amount: [AMOUNT_MESSAGES.illegal] } });
  if (amountCents > MAX_PAYMENT_CENTS) throw new AppError("INVALID_INPUT", AMOUNT_MESSAGES.tooLarge, { fieldErrors: { amount: [AMOUNT_MESSAGES.tooLarge] } });
}

/**
 * Charges a payment once per `paybatch` and records it: see the module comment. Returns the
 * receipt (also for a repeated key: the first call's receipt, `replayed: true`). A decline throws
 * PAYMENT_DECLINED, a gateway failure GATEWAY_ERROR (nothing recorded as paid either way); bad
 * input throws INVALID_INPUT before anything is written.
 */
export async function processPayment(db: Db, input: ProcessPaymentInput, deps: ProcessPaymentDeps = {}): Promise<PaymentResult> {
  checkAmount(input.amountCents);
  const key = checkKey(input.paybatch);
  const now = deps.now ?? new Date();
  const gateway = deps.gateway ?? getGateway(db);
  const waitMs = deps.waitMs ?? gateway.timeoutMs + 10_000;

  // A key already used: the first call's outcome, whatever this call asks.
  if (await findPending(db, key)) return awaitFirstResult(db, key, input.custnum, gateway, waitMs);

  const charge = await resolveCharge(db, input, now);

  // Attempts of this customer abandoned by a crash are settled first (never charged again).
  await resolveStalePending(db, { custnum: input.custnum, gateway });

  const claimed = await db.transaction(async (tx) => {
    const [cust] = await tx.select({ custnum: custMain.custnum }).from(custMain).where(eq(custMain.custnum, input.custnum)).for("update");
    if (!cust) throw new AppError("NOT_FOUND", "Customer not found");
    const paypendingnum = await insertAttempt(tx, input, key, charge, gateway, now);
    if (paypendingnum === null) return null;
    const [busy] = await tx
      .select({ paypendingnum: custPayPending.paypendingnum })
      .from(custPayPending)
      .where(and(eq(custPayPending.custnum, input.custnum), inArray(custPayPending.status, [...ACTIVE]), ne(custPayPending.paypendingnum, paypendingnum)))
      .limit(1);
    if (busy) {
      throw new AppError("CONFLICT", `A payment is already being processed for this customer (paypendingnum ${busy.paypendingnum}); transaction aborted.`);
    }
    return paypendingnum;
  });
  if (claimed === null) return awaitFirstResult(db, key, input.custnum, gateway, waitMs);
  return chargeClaimed(db, { paypendingnum: claimed, key, input, charge }, { ...deps, gateway });
}

function checkKey(paybatch: unknown): string {
  const key = typeof paybatch === "string" ? paybatch.trim() : "";
  if (!PAYMENT_KEY_RE.test(key)) throw new AppError("INVALID_INPUT", "A one-time payment key (paybatch) is required", { fieldErrors: { paybatch: ["A one-time payment key is required"] } });
  return key;
}

/** Inserts the attempt (`new`); null when the key is already taken. */
async function insertAttempt(tx: DbOrTx, input: ProcessPaymentInput, key: string, charge: Charge, gateway: PaymentGateway, now: Date): Promise<number | null> {
  const [row] = await tx
    .insert(custPayPending)
    .values({
      custnum: input.custnum,
      paid: input.amountCents,
      currency: "USD",
      date: now,
      payby: charge.payby,
      paycardtype: charge.paycardtype,
      paymask: charge.paymask,
      paydate: charge.paydate,
      custpaybynum: charge.custpaybynum,
      payunique: key,
      invnum: input.invnum ?? null,
      status: "new",
      processor: gateway.name,
      updatedAt: sql`now()`,
    })
    .onConflictDoNothing({ target: custPayPending.payunique })
    .returning({ paypendingnum: custPayPending.paypendingnum });
  return row ? row.paypendingnum : null;
}

/** An attempt created inside a caller's transaction (`claimPayment`), to be charged after its commit. */
export interface ClaimedPayment {
  paypendingnum: number;
  key: string;
  input: ProcessPaymentInput;
  /** Holds the instrument (card number) in memory only. */
  charge: Charge;
}

/**
 * Creates a payment attempt (`new`) inside the caller's transaction, for a caller that must commit
 * the attempt together with its own rows (a signup commits its not-yet-active customer and its
 * first payment attempt at once). Charges nothing: call `chargeClaimed(db, claimed)` after the
 * commit. The key must be new (CONFLICT otherwise); the method must be a stored one of the customer.
 */
export async function claimPayment(tx: Tx, input: ProcessPaymentInput & { method: { custpaybynum: number } }, deps: { gateway: PaymentGateway; now?: Date }): Promise<ClaimedPayment> {
  checkAmount(input.amountCents);
  const key = checkKey(input.paybatch);
  const now = deps.now ?? new Date();
  const charge = await resolveCharge(tx, input, now);
  const paypendingnum = await insertAttempt(tx, input, key, charge, deps.gateway, now);
  if (paypendingnum === null) throw new AppError("CONFLICT", DUPLICATE_KEY_MESSAGE(key));
  return { paypendingnum, key, input, charge };
}

/**
 * Charges an attempt whose `new` row is committed: `pending` (committed), the gateway, then the
 * outcome recorded (see the module comment). Takes `Db`: never inside a transaction.
 */
export async function chargeClaimed(db: Db, claimed: ClaimedPayment, deps: ProcessPaymentDeps = {}): Promise<PaymentResult> {
  const { paypendingnum, key, input, charge } = claimed;
  const gateway = deps.gateway ?? getGateway(db);
  const waitMs = deps.waitMs ?? gateway.timeoutMs + 10_000;
  const faults = deps.faults ?? {};

  const [moved] = await db
    .update(custPayPending)
    .set({ status: "pending", updatedAt: sql`now()` })
    .where(and(eq(custPayPending.paypendingnum, paypendingnum), eq(custPayPending.status, "new")))
    .returning({ paypendingnum: custPayPending.paypendingnum });
  if (!moved) return awaitFirstResult(db, key, input.custnum, gateway, waitMs);
  await faults.afterPending?.();

  let outcome: GatewayOutcome;
  try {
    outcome = await gateway.sale({ reference: key, amountCents: input.amountCents, currency: "USD", instrument: charge.instrument, custnum: input.custnum, ip: input.ip });
  } catch (e) {
    logGatewayFailure(gateway, paypendingnum, e);
    outcome = await outcomeAfterFailure(gateway, key);
  }
  if (outcome.status === "error" && outcome.timedOut) {
    const seen = await gateway.lookup(key).catch(() => ({ kind: "unsupported" as const }));
    if (seen.kind === "found" && seen.outcome.status !== "error") outcome = seen.outcome;
  }
  await faults.afterSale?.();
  if (outcome.status === "approved") {
    await db
      .update(custPayPending)
      .set({ status: "captured", statustext: "captured", auth: outcome.authCode.slice(0, 16), orderNumber: outcome.orderNumber.slice(0, 256), updatedAt: sql`now()` })
      .where(and(eq(custPayPending.paypendingnum, paypendingnum), inArray(custPayPending.status, ["pending", "error"])));
    await faults.afterCapture?.();
    const paynum = await finishCaptured(db, paypendingnum, { ip: input.ip, now: deps.now });
    if (charge.toSave) await saveAfterPayment(db, input.custnum, charge.toSave, { ip: input.ip, first: !!input.auto });
    return paymentResult(db, input.custnum, paynum, key, false);
  }

  if (outcome.status === "declined") {
    await db
      .update(custPayPending)
      .set({ status: "declined", statustext: outcome.message.slice(0, 500), failureStatus: outcome.failureStatus, updatedAt: sql`now()` })
      .where(and(eq(custPayPending.paypendingnum, paypendingnum), eq(custPayPending.status, "pending")));
    await recordAudit(db, {
      action: "payment_declined",
      custnum: input.custnum,
      ip: input.ip,
      detail: { paypendingnum, amount: formatCents(input.amountCents), paymask: charge.paymask, reason: outcome.message.slice(0, 200) },
    });
    throw declinedError(outcome.message);
  }

  await db
    .update(custPayPending)
    .set({ status: "error", statustext: outcome.message.slice(0, 500), updatedAt: sql`now()` })
    .where(and(eq(custPayPending.paypendingnum, paypendingnum), eq(custPayPending.status, "pending")));
  throw gatewayError(outcome.message);
}

/** After an adapter threw: ask the gateway what became of the reference. */
async function outcomeAfterFailure(gateway: PaymentGateway, key: string): Promise<GatewayOutcome> {
  try {
    const seen = await gateway.lookup(key);
    if (seen.kind === "found") return seen.outcome;
    if (seen.kind === "not_found") return { status: "error", message: "The payment gateway could not be reached. You were not charged." };
  } catch {
    /* fall through */
  }
  return { status: "error", message: "The payment gateway could not be reached; the outcome is unknown. Please check your payment history before trying again." };
}

/** Keeps the card/bank account the customer asked to save. A failure is logged, never returned (they paid). */
async function saveAfterPayment(db: DbOrTx, custnum: number, v: NormalizedPayby, opts: { ip?: string | null; first: boolean }): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      const custpaybynum = await storePayby(tx, custnum, v, opts);
      await recordAudit(tx, { action: "payby_insert", custnum, ip: opts.ip, detail: { custpaybynum, payby: v.payby, paymask: v.paymask, via: "process_payment" } });
    });
  } catch (e) {
    console.error(`[portico] could not save the payment method of customer ${custnum} after a payment (ref ${correlationId()}): ${isAppError(e) ? e.message : e instanceof Error ? e.name : "error"}`);
  }
}

/**
 * Turns a `captured` attempt into its payment: cust_pay (applied to open invoices, oldest first)
 * and `done`, in one transaction under the attempt's row lock. Idempotent: an attempt already
 * `done` returns its paynum.
 */
export async function finishCaptured(db: DbOrTx, paypendingnum: number, opts: { ip?: string | null; now?: Date } = {}): Promise<number> {
  return db.transaction(async (tx) => {
    const [p] = await tx.select().from(custPayPending).where(eq(custPayPending.paypendingnum, paypendingnum)).for("update");
    if (!p) throw new AppError("NOT_FOUND", "Payment attempt not found");
    if (p.status === "done" && p.paynum) return p.paynum;
    if (p.status !== "captured" || p.custnum === null) throw new AppError("CONFLICT", STILL_PROCESSING_MESSAGE);
    const { paynum } = await recordPayment(tx, {
      custnum: p.custnum,
      paidCents: p.paid,
      payby: p.payby.trim(),
      date: opts.now ?? new Date(),
      paymask: p.paymask,
      paycardtype: p.paycardtype,
      paydate: p.paydate,
      payunique: p.payunique,
      paybatch: p.payunique,
      processor: p.processor,
      auth: p.auth,
      orderNumber: p.orderNumber,
    });
    await tx.update(custPayPending).set({ status: "done", paynum, updatedAt: sql`now()` }).where(eq(custPayPending.paypendingnum, paypendingnum));
    await recordAudit(tx, {
      action: "payment",
      custnum: p.custnum,
      ip: opts.ip,
      detail: { paynum, paypendingnum, amount: formatCents(p.paid), paymask: p.paymask, paybatch: p.payunique },
    });
    return paynum;
  });
}

/** Waits for the attempt holding `key` to finish, then returns (or throws) its outcome. */
async function awaitFirstResult(db: Db, key: string, custnum: number, gateway: PaymentGateway, waitMs: number): Promise<PaymentResult> {
  const deadline = Date.now() + waitMs;
  let delay = 20;
  for (;;) {
    const p = await findPending(db, key);
    if (!p) throw new AppError("CONFLICT", STILL_PROCESSING_MESSAGE);
    if (p.custnum !== custnum) throw new AppError("CONFLICT", DUPLICATE_KEY_MESSAGE(key));
    switch (p.status) {
      case "done":
        if (p.paynum) return paymentResult(db, custnum, p.paynum, key, true);
        throw gatewayError(p.statustext ?? "not completed");
      case "declined":
        throw declinedError(p.statustext ?? "declined");
      case "error":
        throw gatewayError(p.statustext ?? "error");
      case "captured":
        await finishCaptured(db, p.paypendingnum);
        continue;
      default: {
        if (p.ageMs > staleAfterMs(gateway)) {
          await resolveOne(db, p, gateway, staleAfterMs(gateway));
          continue;
        }
      }
    }
    if (Date.now() > deadline) throw new AppError("CONFLICT", STILL_PROCESSING_MESSAGE);
    await sleep(delay);
    delay = Math.min(delay * 2, 250);
  }
}

export interface ResolveOutcome {
  paypendingnum: number;
  payunique: string;
  /** What the attempt became: a payment (recovered), or a failure that charged nothing. */
  result: "recovered" | "declined" | "error";
  paynum?: number;
}

/**
 * Settles attempts left unfinished by a crash (cust_pay_pending in new/pending/captured), and then
 * (when not scoped to one customer) the signups waiting on them (lib/signup/pending-signup.ts):
 *  - `captured` (the gateway approved, the payment was not written): written now, exactly once;
 *  - `pending`: the gateway is asked about the reference (as a processor would be); an approval is
 *    written as the payment, a decline becomes `declined`. With no answer (no record, or no lookup),
 *    an attempt older than the limit becomes `error` (never sent again); a younger one is left, as
 *    another process may still be waiting for the gateway's answer;
 *  - `new` older than the limit (never sent to the gateway): `error`, not charged.
 * `olderThanMs` defaults to staleAfterMs(gateway). Scoped to one customer when `custnum` is given.
 * Safe to run while payments are in flight: every step is a conditional update of the attempt's
 * status, and a payment is written only under the attempt's row lock.
 */
export async function resolveStalePending(db: Db, opts: { custnum?: number; olderThanMs?: number; gateway?: PaymentGateway } = {}): Promise<ResolveOutcome[]> {
  return (await settlePending(db, opts)).payments;
}

export interface SettleResult {
  payments: ResolveOutcome[];
  signups: SignupSettleOutcome[];
  /** Attempts still unfinished (too young to be called abandoned). */
  unsettled: number;
  /** Milliseconds until the youngest unsettled attempt reaches the limit (0 when none). */
  retryInMs: number;
}

export async function settlePending(db: Db, opts: { custnum?: number; olderThanMs?: number; gateway?: PaymentGateway } = {}): Promise<SettleResult> {
  const gateway = opts.gateway ?? getGateway(db);
  const olderThanMs = opts.olderThanMs ?? staleAfterMs(gateway);
  const rows = await db
    .select({ p: custPayPending, ageMs: sql<number>`(extract(epoch from (now() - ${custPayPending.updatedAt})) * 1000)::float8` })
    .from(custPayPending)
    .where(and(opts.custnum !== undefined ? eq(custPayPending.custnum, opts.custnum) : undefined, inArray(custPayPending.status, [...ACTIVE])))
    .orderBy(custPayPending.paypendingnum);
  const payments: ResolveOutcome[] = [];
  let unsettled = 0;
  let retryInMs = 0;
  for (const { p, ageMs } of rows) {
    const r = await resolveOne(db, { ...p, ageMs: Number(ageMs) }, gateway, olderThanMs);
    if (r) payments.push(r);
    else {
      const [still] = await db.select({ status: custPayPending.status }).from(custPayPending).where(eq(custPayPending.paypendingnum, p.paypendingnum));
      if (still && (ACTIVE as readonly string[]).includes(still.status)) {
        unsettled++;
        retryInMs = Math.max(retryInMs, Math.ceil(olderThanMs - Number(ageMs)) + 50);
      }
    }
  }
  const signups = opts.custnum === undefined ? await settlePendingSignups(db, { gateway, olderThanMs }) : [];
  return { payments, signups, unsettled, retryInMs };
}

/**
 * Server start (instrumentation-node.ts): settles, in the background, what a crash of an earlier
 * run left unfinished — payments (recorded from the processor's answer, never charged again) and
 * signups (activated or removed). An attempt the processor has no answer for is called abandoned
 * once it is older than the gateway's timeout plus a margin (another instance may still be waiting
 * for it until then), so a second pass runs when the youngest one reaches that age. Logs one line.
 */
export async function settleAtStart(db: Db, opts: { gateway?: PaymentGateway; log?: (line: string) => void } = {}): Promise<SettleResult> {
  const gateway = opts.gateway ?? getGateway(db);
  const olderThanMs = gateway.timeoutMs + 5_000;
  const total: SettleResult = { payments: [], signups: [], unsettled: 0, retryInMs: 0 };
  for (let pass = 0; pass < 5; pass++) {
    const r = await settlePending(db, { gateway, olderThanMs });
    total.payments.push(...r.payments);
    total.signups.push(...r.signups);
    total.unsettled = r.unsettled;
    if (r.unsettled === 0) break;
    await sleep(Math.min(r.retryInMs, olderThanMs));
  }
  const recovered = total.payments.filter((r) => r.result === "recovered").length;
  const activated = total.signups.filter((s) => s.result === "activated").length;
  (opts.log ?? console.log)(
    `[payments] settled at start: ${total.payments.length} unfinished payment attempt(s) (${recovered} recorded as payments, ${total.payments.length - recovered} not charged), ` +
      `${total.signups.length} unfinished signup(s) (${activated} activated, ${total.signups.length - activated} removed)` +
      (total.unsettled ? `; ${total.unsettled} still unfinished` : ""),
  );
  return total;
}

async function setFailed(db: DbOrTx, p: PendingRow, status: "declined" | "error", text: string, fromStatus: string, failureStatus?: string): Promise<boolean> {
  const rows = await db
    .update(custPayPending)
    .set({ status, statustext: text.slice(0, 500), failureStatus: failureStatus ?? null, updatedAt: sql`now()` })
    .where(and(eq(custPayPending.paypendingnum, p.paypendingnum), eq(custPayPending.status, fromStatus)))
    .returning({ paypendingnum: custPayPending.paypendingnum });
  return rows.length > 0;
}

async function resolveOne(db: Db, p: PendingRow & { ageMs: number }, gateway: PaymentGateway, olderThanMs: number): Promise<ResolveOutcome | null> {
  const base = { paypendingnum: p.paypendingnum, payunique: p.payunique };
  const stale = p.ageMs > olderThanMs;
  if (p.status === "captured") {
    if (p.custnum === null) return null; // its signup was removed: see pending-signup.ts
    const paynum = await finishCaptured(db, p.paypendingnum);
    return { ...base, result: "recovered", paynum };
  }
  if (p.status === "new") {
    if (!stale) return null;
    const ok = await setFailed(db, p, "error", "Interrupted before the payment was sent to the gateway; not charged", "new");
    return ok ? { ...base, result: "error" } : null;
  }
  if (p.status !== "pending") return null;
  const seen = await gateway.lookup(p.payunique).catch(() => ({ kind: "unsupported" as const }));
  if (seen.kind === "found" && seen.outcome.status === "approved") {
    const [moved] = await db
      .update(custPayPending)
      .set({ status: "captured", statustext: "captured", auth: seen.outcome.authCode.slice(0, 16), orderNumber: seen.outcome.orderNumber.slice(0, 256), updatedAt: sql`now()` })
      .where(and(eq(custPayPending.paypendingnum, p.paypendingnum), eq(custPayPending.status, "pending")))
      .returning({ paypendingnum: custPayPending.paypendingnum });
    if (!moved || p.custnum === null) return null;
    const paynum = await finishCaptured(db, p.paypendingnum);
    return { ...base, result: "recovered", paynum };
  }
  if (seen.kind === "found" && seen.outcome.status === "declined") {
    const ok = await setFailed(db, p, "declined", seen.outcome.message, "pending", seen.outcome.failureStatus);
    return ok ? { ...base, result: "declined" } : null;
  }
  if (!stale) return null;
  const text =
    seen.kind === "found" && seen.outcome.status === "error"
      ? seen.outcome.message
      : seen.kind === "not_found"
        ? "Interrupted before the payment gateway answered; the gateway has no record of it, not charged"
        : "Interrupted while the payment gateway was answering; outcome unknown, check with the processor (never retried)";
  const ok = await setFailed(db, p, "error", text, "pending");
  return ok ? { ...base, result: "error" } : null;
}

function timePretty(d: Date): string {
  return format(new TZDate(d.getTime(), portalTimezone()), "HH:mm:ss");
}

/** Freeside's receipt_html: Payment #, Date, Amount, Payment method "<payby name> #<paymask>". */
export function receiptHtml(r: { paynum: number; paidAt: Date; amountCents: number; payby: string; paymask: string }): string {
  const row = (k: string, v: string) => `<tr><td align="right">${k}</td><td><b>${escapeHtml(v)}</b></td></tr>`;
  return (
    `<table class="payment_receipt">` +
    row("Payment #", String(r.paynum)) +
    row("Date", `${formatDateIso(r.paidAt)} ${timePretty(r.paidAt)}`) +
    row("Amount", formatMoneyPretty(r.amountCents)) +
    row("Payment method", `${paybyName(r.payby)} #${r.paymask}`) +
    `</table>`
  );
}

async function paymentResult(db: DbOrTx, custnum: number, paynum: number, paybatch: string, replayed: boolean): Promise<PaymentResult> {
  const [p] = await db.select().from(custPay).where(and(eq(custPay.paynum, paynum), eq(custPay.custnum, custnum)));
  if (!p) throw new AppError("NOT_FOUND", `unknown payment ${paynum}`);
  const payby = p.payby.trim();
  const paymask = p.paymask ?? "";
  return {
    paynum,
    amount: formatCents(p.paid),
    date: unixSeconds(p.date),
    date_pretty: formatDateIso(p.date),
    time_pretty: timePretty(p.date),
    auth_num: p.auth ?? "",
    order_num: p.orderNumber ?? "",
    receipt_html: receiptHtml({ paynum, paidAt: p.date, amountCents: p.paid, payby, paymask }),
    amountCents: p.paid,
    paidAt: p.date,
    payby,
    paymask,
    paycardtype: p.paycardtype,
    paybatch,
    replayed,
  };
}

/**
 * The receipt of one of the customer's payments (the /pay receipt page): the same fields
 * process_payment returns. NOT_FOUND for another customer's or a missing paynum.
 */
export async function getPaymentReceipt(db: DbOrTx, { custnum, paynum }: { custnum: number; paynum: number }): Promise<PaymentResult> {
  const [p] = await db.select({ payunique: custPay.payunique }).from(custPay).where(and(eq(custPay.paynum, paynum), eq(custPay.custnum, custnum)));
  if (!p) throw new AppError("NOT_FOUND", `unknown payment ${paynum}`);
  return paymentResult(db, custnum, paynum, p.payunique ?? "", false);
}

/** Whether a stored card method is usable now (not expired). */
export function isPaybyUsable(p: { payby: string; paydate: string }, now: Date): boolean {
  if (!isCardPayby(p.payby)) return true;
  const exp = parseExpselectDate(p.paydate);
  return !!exp && !isExpired(exp, now, portalTimezone());
}
