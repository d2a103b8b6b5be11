import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { custMain, signupPending } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { createCustomerSession } from "@/lib/auth/sessions";
import { getBalanceCents } from "@/lib/billing/balance";
import { billCustomerInTx } from "@/lib/billing/bill-customer";
import { recordCredit } from "@/lib/billing/record-payment";
import { createCustomer, insertContact } from "@/lib/customers/create-customer";
import type { Location } from "@/lib/customers/location-schema";
import { checkPostalCode } from "@/lib/customers/postal-codes";
import { queryRows } from "@/lib/db/rows";
import { AppError, correlationId, isAppError, type FieldErrors } from "@/lib/errors";
import { formatCents } from "@/lib/money/cents";
import { orderPackage, type ServiceOrder } from "@/lib/packages/order-package";
import { getGateway } from "@/lib/payments/gateway";
import type { PaymentGateway } from "@/lib/payments/gateway/types";
import { storePayby } from "@/lib/payments/payby";
import { checkPaybyFields, type NormalizedPayby } from "@/lib/payments/payby-schema";
import { chargeClaimed, claimPayment, resolveStalePending, staleAfterMs, STILL_PROCESSING_MESSAGE } from "@/lib/payments/process-payment";
import { activateSignup, holdSignup, isSignupPending, settlePendingSignups, undoSignup } from "./pending-signup";
import { parseInput } from "@/lib/validation/parse";
import { listSignupPackages, resolveSignupAgent, type SignupPackage } from "./signup-info";
import {
  DEFAULT_SIGNUP_PAYBYS,
  makeSignupSchema,
  normalizePayby,
  SIGNUP_MESSAGES,
  signupProblems,
  type SignupFields,
  type SignupPayby,
  type SignupRules,
  type SignupService,
} from "./signup-schema";
import { consumeSignupAttempt, type SignupThrottleRule } from "./throttle";

/**
 * new_customer and new_customer_minimal (Freeside's FS::ClientAPI::Signup): a new customer, its
 * bill location, its payment method (sealed in the vault), its first package and service, a
 * contact who can log in to self-service (the first invoicing e-mail, the same password as the
 * account), and — for new_customer — the first invoice, charged at once to the card or bank
 * account through the payments path (lib/payments/process-payment.ts).
 *
 * Two phases; the gateway is never called inside a transaction (processPayment's rule, enforced by
 * the `Db` type — see lib/payments/process-payment.ts):
 *  1. ONE transaction makes everything (customer, location, contact, payment method, package,
 *     service, first invoice, credit, used PIN). A signup that must charge its first invoice also
 *     creates its payment attempt (`claimPayment`, status `new`) and marks the customer NOT YET
 *     ACTIVE (lib/signup/pending-signup.ts, table signup_pending): it cannot log in (its contact's
 *     self-service access and its service's password/PIN wait in signup_pending), is not billed or
 *     collected by a run, and its result is not replayed — but its username, phone number and
 *     e-mail are taken, so a concurrent signup with them is refused at once as "taken".
 *     Anything that fails here rolls the whole signup back: nothing is left.
 *  2. After the commit, the charge (`chargeClaimed`: `pending` committed, then the gateway), then
 *     activation in one transaction (credentials in place, the `signup` audit row, signup_pending
 *     deleted). A decline or a gateway error removes everything the signup made (`undoSignup`;
 *     `_decline` leaves nothing a customer, an API or a login can see, and the username and e-mail
 *     are free again); an unclear outcome is looked up and an approval voided, or, if the gateway
 *     cannot tell, an audit row (no custnum) keeps the reference for a refund by hand.
 * A crash between the two phases, or between the approval and the activation, leaves a
 * not-yet-active customer whose attempt the settle path (server start `settleAtStart`,
 * `npm run bill`, a repeated submission with the same key) settles from the processor's answer,
 * then activates (paid) or removes (declined / not charged) it — never charging again.
 * Signups that charge nothing (BILL, PREPAY, COMP, new_customer_minimal) stay one transaction.
 *
 * One submission, one customer: the form's one-time key (`payunique`/`paybatch`; the signup
 * pages send their signed form token) is recorded with the signup (its hash) and the first
 * payment's reference is derived from it and the custnum (`signup-<custnum>-<hash>`: one per
 * attempt, so a corrected card after a decline is a new charge). A repeated or concurrent
 * submission with the same key waits for the first (serialised on an advisory lock, then on the
 * not-yet-active signup) and gets its result (`replayed`), never a second customer or charge.
 *
 * Prepaid cards (PREPAY): the PIN's row is deleted (Freeside's "used up") inside the transaction;
 * two signups with the same PIN serialise on that row and the second finds it gone.
 *
 * Unlike Freeside, the result never echoes the password or the PIN.
 */
export interface NewCustomerOptions {
  /** new_customer_minimal: no address or package required, no first invoice, a session returned. */
  minimal?: boolean;
  /** The agent the caller established (a reseller's session, the form's signed token); wins over the input's. */
  agentnum?: number;
  /** The signup pages: an e-mail and a password to log in with are required, and a PIN for a phone line. */
  interactive?: boolean;
  ip?: string | null;
  userAgent?: string | null;
  now?: Date;
  gateway?: PaymentGateway;
  /** Attempts per address (default SIGNUP_THROTTLE); false = not counted. Only counted with an `ip`. */
  throttle?: SignupThrottleRule | false;
  /** Test hook: runs right after the first charge was recorded, before the activation (a crash there). */
  faults?: { afterCharge?: () => void | Promise<void> };
}

export interface NewCustomerResult {
  custnum: number;
  agentnum: number;
  signup_service: SignupService;
  pkgnum: number | null;
  svcnum: number | null;
  /** svc_acct: the login name and its domain. */
  username: string;
  domain: string;
  /** svc_phone. */
  countrycode: string;
  phonenum: string;
  /** svc_domain. */
  hosted_domain: string;
  /** The self-service contact made from the first invoicing e-mail (null when none). */
  contactnum: number | null;
  email: string;
  invnum: number | null;
  invoiceTotalCents: number;
  /** Charged now to the card or bank account. */
  paidCents: number;
  /** The prepaid card's value, credited. */
  creditCents: number;
  /** What the customer owes after the signup (positive) or has in credit (negative). */
  balanceCents: number;
  /** new_customer_minimal: a logged-in self-service session (Freeside's session_id). */
  sessionToken: string | null;
  /** This key's signup had already been made; this is its result (no new customer, no new charge). */
  replayed: boolean;
}

export const EMAIL_IN_USE = "That e-mail address is already in use. Log in instead, or use another address.";

const CARD_OR_BANK = new Set<SignupPayby>(["CARD", "DCRD", "CHEK", "DCHK"]);

function invalid(field: string, message: string, code: "INVALID_INPUT" | "CONFLICT" = "INVALID_INPUT"): AppError {
  return new AppError(code, message, { fieldErrors: { [field]: [message] } });
}

function firstProblem(errors: FieldErrors): AppError | null {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return new AppError("INVALID_INPUT", entries[0]![1][0]!, { fieldErrors: errors });
}

function keyHash(key: string): string {
  return createHash("sha256").update(`portico-signup|${key}`).digest("hex");
}

/** A one-time key for a caller that sent none (each such call is its own submission). */
export function newSignupKey(): string {
  return `signup-${randomBytes(16).toString("hex")}`;
}

function locationOf(v: SignupFields): Location | null {
  if (!v.address1) return null;
  const country = (v.country ?? "").toUpperCase();
  const zip = checkPostalCode(country, v.zip ?? "");
  return {
    address1: v.address1,
    address2: v.address2 ?? "",
    city: v.city ?? "",
    county: v.county ?? "",
    state: v.state ?? "",
    zip: zip.ok ? zip.zip : (v.zip ?? ""),
    country,
  };
}

function serviceOrder(pkg: SignupPackage, v: SignupFields, passwordHash: string | null): ServiceOrder | "none" {
  switch (pkg.svcdb) {
    case "svc_acct":
      return {
        svcdb: "svc_acct",
        svcpart: pkg.svcpart ?? undefined,
        username: v.username ?? "",
        password: v._password ?? "",
        passwordHash: passwordHash ?? undefined,
        secPhrase: v.sec_phrase || undefined,
        popnum: v.popnum ?? null,
        domsvc: v.domsvc,
      };
    case "svc_phone":
      return { svcdb: "svc_phone", svcpart: pkg.svcpart ?? undefined, countrycode: v.countrycode || "1", phonenum: v.phonenum ?? "", pin: v.pin || undefined };
    case "svc_domain":
      return { svcdb: "svc_domain", svcpart: pkg.svcpart ?? undefined, domain: v.domain ?? "" };
    default:
      return "none";
  }
}

/** The field a payment's decline is shown on. */
function paymentField(payby: SignupPayby, v: SignupFields): string {
  if (payby === "CHEK" || payby === "DCHK") return v.payinfo1 ? "payinfo1" : "payinfo";
  return "payinfo";
}

/** What a signup's audit row records: its result without what belongs to the moment of the call. */
type SignupRecord = Omit<NewCustomerResult, "balanceCents" | "sessionToken" | "replayed">;

/** A completed signup recorded with this key (its audit row), for a repeated submission. */
async function findCompletedSignup(db: DbOrTx, key: string): Promise<NewCustomerResult | null> {
  const [row] = await queryRows<{ detail: SignupRecord & { signup_key_hash: string } }>(
    db,
    sql`SELECT detail FROM audit_log
         WHERE action = 'signup' AND custnum IS NOT NULL AND detail->>'signup_key_hash' = ${keyHash(key)}
         ORDER BY auditnum LIMIT 1`,
  );
  if (!row) return null;
  const d = (typeof row.detail === "string" ? JSON.parse(row.detail) : row.detail) as SignupRecord;
  const [cust] = await db.select({ custnum: custMain.custnum }).from(custMain).where(eq(custMain.custnum, Number(d.custnum)));
  if (!cust) return null;
  const record: SignupRecord = {
    custnum: cust.custnum,
    agentnum: Number(d.agentnum),
    signup_service: d.signup_service,
    pkgnum: d.pkgnum ?? null,
    svcnum: d.svcnum ?? null,
    username: d.username ?? "",
    domain: d.domain ?? "",
    countrycode: d.countrycode ?? "",
    phonenum: d.phonenum ?? "",
    hosted_domain: d.hosted_domain ?? "",
    contactnum: d.contactnum ?? null,
    email: d.email ?? "",
    invnum: d.invnum ?? null,
    invoiceTotalCents: Number(d.invoiceTotalCents ?? 0),
    paidCents: Number(d.paidCents ?? 0),
    creditCents: Number(d.creditCents ?? 0),
  };
  return { ...record, balanceCents: await getBalanceCents(db, cust.custnum), sessionToken: null, replayed: true };
}

export async function newCustomer(db: Db, rawInput: unknown, opts: NewCustomerOptions = {}): Promise<NewCustomerResult> {
  const now = opts.now ?? new Date();
  const ip = opts.ip ?? null;
  // Every attempt from an address counts, valid or not, before any work is done.
  if (ip && opts.throttle !== false) await consumeSignupAttempt(db, ip, now, opts.throttle || undefined);

  const rules: SignupRules = { minimal: !!opts.minimal, interactive: !!opts.interactive, now };
  const v = parseInput(makeSignupSchema(rules), rawInput);
  if (v.website) throw new AppError("INVALID_INPUT", SIGNUP_MESSAGES.honeypot);

  const ag = await resolveSignupAgent(db, opts.agentnum ? { agentnum: opts.agentnum } : { agentnum: v.agentnum, signupKey: v.signup_key });
  let pkg: SignupPackage | null = null;
  if (v.pkgpart) {
    [pkg = null] = await listSignupPackages(db, ag, { pkgpart: v.pkgpart });
    if (!pkg) throw invalid("pkgpart", `Unknown package ${v.pkgpart}`);
  }
  const payby = normalizePayby(v.payby) as SignupPayby;
  if (!(pkg ? pkg.payby : DEFAULT_SIGNUP_PAYBYS).includes(payby)) throw invalid("payby", SIGNUP_MESSAGES.illegalPayby);
  const problem = firstProblem(signupProblems(v, { ...rules, service: pkg ? { svcdb: pkg.svcdb, accessNumberRequired: pkg.accessNumberRequired } : undefined }));
  if (problem) throw problem;

  let method: NormalizedPayby | null = null;
  if (CARD_OR_BANK.has(payby)) {
    const r = checkPaybyFields(
      { payby: payby as "CARD", payinfo: v.payinfo1 ? undefined : v.payinfo, payinfo1: v.payinfo1, payinfo2: v.payinfo2, paycvv: v.paycvv, paydate: v.paydate, month: v.month, year: v.year, payname: v.payname, paystate: v.paystate, paytype: v.paytype },
      { now },
    );
    if (!r.ok) throw new AppError("INVALID_INPUT", r.message, { fieldErrors: r.fieldErrors });
    method = r.value;
  }

  const key = v.payunique || v.paybatch || newSignupKey();
  const gateway = opts.gateway ?? (method ? getGateway(db) : undefined);
  const replay = await findCompletedSignup(db, key);
  if (replay) return replay;

  const emails = v.invoicing_list?.emails ?? [];
  const email = emails[0] ?? "";
  // Early, friendly checks (the unique indexes inside the transaction are the real guard).
  if (email) {
    const [used] = await queryRows<{ n: number }>(db, sql`SELECT 1 AS n FROM contact_email WHERE lower(emailaddress) = ${email} LIMIT 1`);
    if (used) {
      // A twin submission may have just finished (or be charging) with this very address.
      const twin = (await findCompletedSignup(db, key)) ?? (await awaitTwin(db, key, gateway ?? null));
      if (twin) return twin;
      throw invalid("invoicing_list", EMAIL_IN_USE, "CONFLICT");
    }
  }
  const location = locationOf(v);
  const passwordHash = v._password ? await hashPassword(v._password) : null;

  for (let round = 0; ; round++) {
    // Phase 1, one transaction: everything is made; a signup that must charge its first invoice
    // also creates its payment attempt and stays not yet active (pending-signup.ts).
    const made = await db.transaction(async (tx) => {
      // Submissions with the same key queue here; the later ones find the first's signup.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`portico-signup:${key}`}, 0))`);
      const prior = await findCompletedSignup(tx, key);
      if (prior) return { kind: "done" as const, result: prior };
      const [inFlight] = await tx.select({ custnum: signupPending.custnum }).from(signupPending).where(eq(signupPending.signupKeyHash, keyHash(key)));
      if (inFlight) return { kind: "twin" as const };

      let creditCents = 0;
      if (payby === "PREPAY") {
        const pin = v.payinfo ?? "";
        const used = await queryRows<{ amount: number }>(
          tx,
          sql`DELETE FROM prepay_credit
               WHERE identifier IN (${pin}, ${pin.toUpperCase()})
                 AND (agentnum IS NULL OR agentnum = ${ag.agentnum})
           RETURNING (amount * 100)::bigint AS amount`,
        );
        if (used.length === 0) throw invalid("payinfo", SIGNUP_MESSAGES.prepayUnknown);
        creditCents = Number(used[0]!.amount);
      }

      if (v.referral_custnum) {
        const [ref] = await tx.select({ custnum: custMain.custnum }).from(custMain).where(eq(custMain.custnum, v.referral_custnum));
        if (!ref || (await isSignupPending(tx, ref.custnum))) throw invalid("referral_custnum", "Unknown referring customer");
      }

      const { custnum } = await createCustomer(tx, {
        agentnum: ag.agentnum,
        first: v.first!,
        last: v.last!,
        company: v.company,
        daytime: v.daytime,
        night: v.night,
        fax: v.fax,
        mobile: v.mobile,
        ss: v.ss,
        location,
        invoiceEmails: emails,
        postalInvoice: v.invoicing_list?.postal ?? false,
        referralCustnum: v.referral_custnum ?? null,
        complimentary: payby === "COMP",
        poNumber: payby === "BILL" ? v.payinfo : undefined,
        signupdate: now,
      });

      let contactnum: number | null = null;
      if (email && passwordHash) {
        try {
          contactnum = await insertContact(tx, custnum, { first: v.first!, last: v.last!, emails: [email], passwordHash, selfservice: true, invoiceDest: true });
        } catch (e) {
          if (isAppError(e) && e.code === "CONFLICT") throw invalid("invoicing_list", EMAIL_IN_USE, "CONFLICT");
          throw e;
        }
      }

      const custpaybynum = method ? await storePayby(tx, custnum, method, { ip, first: true }) : null;

      let pkgnum: number | null = null;
      let svcnum: number | null = null;
      if (pkg) ({ pkgnum, svcnum } = await orderPackage(tx, { custnum, pkgpart: pkg.pkgpart, orderDate: now, service: serviceOrder(pkg, v, passwordHash) }));

      if (creditCents > 0) await recordCredit(tx, { custnum, amountCents: creditCents, reason: "Prepaid card", date: now });

      // The first invoice (not for new_customer_minimal, as in Freeside; not for complimentary customers).
      let invnum: number | null = null;
      let invoiceTotalCents = 0;
      let due = 0;
      if (pkg && !opts.minimal && payby !== "COMP") {
        const bill = await billCustomerInTx(tx, custnum, { asOf: now, now });
        invnum = bill.invnum;
        invoiceTotalCents = bill.totalCents;
        due = custpaybynum ? await getBalanceCents(tx, custnum) : 0;
      }
      const charging = custpaybynum !== null && due > 0 && !!gateway;

      const record: SignupRecord = {
        custnum,
        agentnum: ag.agentnum,
        signup_service: pkg?.svcdb ?? "",
        pkgnum,
        svcnum,
        username: pkg?.svcdb === "svc_acct" ? (v.username ?? "").trim().toLowerCase() : "",
        domain: pkg?.svcdb === "svc_acct" && svcnum ? await accountDomain(tx, svcnum) : "",
        countrycode: pkg?.svcdb === "svc_phone" ? (v.countrycode || "1").replace(/[^0-9]/g, "") || "1" : "",
        phonenum: pkg?.svcdb === "svc_phone" ? (v.phonenum ?? "").replace(/[^0-9]/g, "") : "",
        hosted_domain: pkg?.svcdb === "svc_domain" ? (v.domain ?? "").trim().toLowerCase() : "",
        contactnum,
        email,
        invnum,
        invoiceTotalCents,
        paidCents: charging ? due : 0,
        creditCents,
      };
      const detail = { ...record, signup_key_hash: keyHash(key), payby, pkgpart: pkg?.pkgpart ?? null, minimal: !!opts.minimal, paymask: method?.paymask ?? null };

      if (charging) {
        // The attempt is committed with the customer; the gateway is called after the commit.
        const claimed = await claimPayment(
          tx,
          { custnum, amountCents: due, method: { custpaybynum: custpaybynum! }, cvv: v.paycvv || null, paybatch: signupPaymentKey(key, custnum), invnum, ip },
          { gateway: gateway!, now },
        );
        await holdSignup(tx, {
          custnum,
          payunique: claimed.key,
          signupKeyHash: keyHash(key),
          contactnum,
          svcnum: pkg && (pkg.svcdb === "svc_acct" || pkg.svcdb === "svc_phone") ? svcnum : null,
          pending: { detail, agentnum: ag.agentnum, contactnum, ip },
        });
        return { kind: "charge" as const, claimed, record };
      }

      const sessionToken = opts.minimal
        ? await createCustomerSession(tx, { custnum, contactnum, svcnum: contactnum ? null : svcnum }, { ip, userAgent: opts.userAgent })
        : null;
      await recordAudit(tx, { action: "signup", custnum, contactnum, agentnum: ag.agentnum, ip, detail });
      return { kind: "done" as const, result: { ...record, balanceCents: await getBalanceCents(tx, custnum), sessionToken, replayed: false } };
    });

    if (made.kind === "done") return made.result;
    if (made.kind === "twin") {
      // The same key is charging right now (or a crash left it): wait for its outcome.
      const twin = await awaitTwin(db, key, gateway ?? null);
      if (twin) return twin;
      if (round >= 2) throw new AppError("CONFLICT", STILL_PROCESSING_MESSAGE);
      continue;
    }

    // Phase 2, outside any transaction: the charge, then activation (or removal).
    const { claimed, record } = made;
    try {
      await chargeClaimed(db, claimed, { gateway: gateway!, now });
    } catch (e) {
      if (isAppError(e) && (e.code === "PAYMENT_DECLINED" || e.code === "GATEWAY_ERROR")) {
        await undoSignup(db, gateway!, record.custnum, e);
        if (e.code === "PAYMENT_DECLINED") {
          const reason = e.message.replace(/^Payment declined:\s*/, "");
          throw new AppError("PAYMENT_DECLINED", SIGNUP_MESSAGES.decline, { fieldErrors: { [paymentField(payby, v)]: [reason] } });
        }
      }
      // Anything else (the database gone, a crash): the signup stays not yet active, and the
      // settle path (server start, `npm run bill`, a repeated submission) finishes or removes it.
      throw e;
    }
    await opts.faults?.afterCharge?.();
    await activateSignup(db, record.custnum);
    return { ...record, balanceCents: await getBalanceCents(db, record.custnum), sessionToken: null, replayed: false };
  }
}

/** The first payment's key (its reference at the gateway): one per signup attempt, derived from the form's key. */
function signupPaymentKey(key: string, custnum: number): string {
  return `signup-${custnum}-${keyHash(key).slice(0, 24)}`;
}

/**
 * A submission whose key is held by a not-yet-active signup (a twin charging right now, or one a
 * crash left): waits until it is settled — activated (its result, `replayed`) or removed (null: the
 * caller starts afresh). A twin left by a crash is settled here (never charged again).
 */
async function awaitTwin(db: Db, key: string, gateway: PaymentGateway | null): Promise<NewCustomerResult | null> {
  const gw = gateway ?? getGateway(db);
  const deadline = Date.now() + gw.timeoutMs + 10_000;
  let delay = 20;
  for (;;) {
    const [p] = await db.select({ custnum: signupPending.custnum }).from(signupPending).where(eq(signupPending.signupKeyHash, keyHash(key)));
    if (!p) return findCompletedSignup(db, key);
    // A settled attempt is finished here; an abandoned one (older than the limit) is settled.
    await resolveStalePending(db, { custnum: p.custnum, gateway: gw });
    await settlePendingSignups(db, { gateway: gw, olderThanMs: staleAfterMs(gw), custnum: p.custnum });
    if (Date.now() > deadline) throw new AppError("CONFLICT", STILL_PROCESSING_MESSAGE);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
}

async function accountDomain(tx: DbOrTx, svcnum: number): Promise<string> {
  const [row] = await queryRows<{ domain: string }>(tx, sql`SELECT d.domain FROM svc_acct a JOIN svc_domain d ON d.svcnum = a.domsvc WHERE a.svcnum = ${svcnum}`);
  return row?.domain ?? "";
}
