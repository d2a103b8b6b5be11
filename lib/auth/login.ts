import "server-only";
import { z } from "zod";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { contact, contactEmail, custPkg, custSvc, svcAcct, svcDomain, svcPhone } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { recordAudit } from "@/lib/audit/record-audit";
import { LOGIN_FAILED_MESSAGE, PHONE_DOMAIN, loginInputSchema, phoneLoginDigits } from "./login-schema";
import { decoyPasswordHash, hashPassword, passwordNeedsRehash, verifyPassword } from "./password";
import { createCustomerSession, type SessionMeta } from "./sessions";
import { consumeLoginAttempt, loginIdentityKey, settleSuccessfulLogin } from "./throttle";

/**
 * Freeside's three ways to log in, behind one function:
 *  - email + password: a contact with self-service access (else `username@domain` of an account);
 *  - username + domain + password: an svc_acct;
 *  - phone number + PIN: an svc_phone, with domain = 'svc_phone'.
 * Unlike Freeside, every failure gets the same message and attempts are throttled.
 */
export { LOGIN_FAILED_MESSAGE, PHONE_DOMAIN, loginInputSchema, type LoginInput } from "./login-schema";

export interface LoginResult {
  sessionToken: string;
  custnum: number;
  contactnum: number | null;
  svcnum: number | null;
}

interface Candidate {
  custnum: number;
  contactnum: number | null;
  svcnum: number | null;
  hash: string | null;
  /** Where the hash is kept (to re-hash it at the current cost). */
  source: "contact" | "svc_acct" | "svc_phone";
}

async function findPhone(db: DbOrTx, digits: string): Promise<Candidate | null> {
  if (!digits) return null;
  const [row] = await db
    .select({ custnum: custPkg.custnum, svcnum: svcPhone.svcnum, hash: svcPhone.pin })
    .from(svcPhone)
    .innerJoin(custSvc, eq(custSvc.svcnum, svcPhone.svcnum))
    .innerJoin(custPkg, eq(custPkg.pkgnum, custSvc.pkgnum))
    .where(and(eq(svcPhone.phonenum, digits), isNull(custPkg.cancel)))
    .limit(1);
  return row ? { custnum: row.custnum, contactnum: null, svcnum: row.svcnum, hash: row.hash, source: "svc_phone" } : null;
}

async function findContact(db: DbOrTx, email: string): Promise<Candidate | null> {
  const [row] = await db
    .select({ custnum: contact.custnum, contactnum: contact.contactnum, hash: contact.password })
    .from(contactEmail)
    .innerJoin(contact, eq(contact.contactnum, contactEmail.contactnum))
    .where(and(sql`lower(${contactEmail.emailaddress}) = ${email}`, eq(contact.selfserviceAccess, "Y"), isNull(contact.disabled)))
    .limit(1);
  return row ? { custnum: row.custnum, contactnum: row.contactnum, svcnum: null, hash: row.hash, source: "contact" } : null;
}

async function findAccount(db: DbOrTx, username: string, domain: string): Promise<Candidate | null> {
  const [row] = await db
    .select({ custnum: custPkg.custnum, svcnum: svcAcct.svcnum, hash: svcAcct.password })
    .from(svcAcct)
    .innerJoin(svcDomain, eq(svcDomain.svcnum, svcAcct.domsvc))
    .innerJoin(custSvc, eq(custSvc.svcnum, svcAcct.svcnum))
    .innerJoin(custPkg, eq(custPkg.pkgnum, custSvc.pkgnum))
    .where(and(sql`lower(${svcAcct.username}) = ${username}`, sql`lower(${svcDomain.domain}) = ${domain}`, isNull(custPkg.cancel)))
    .limit(1);
  return row ? { custnum: row.custnum, contactnum: null, svcnum: row.svcnum, hash: row.hash, source: "svc_acct" } : null;
}

/** After a good login: store the password again at the current scrypt cost if it was hashed at another. */
async function upgradeHash(db: DbOrTx, candidate: Candidate, password: string): Promise<void> {
  if (!candidate.hash || !passwordNeedsRehash(candidate.hash)) return;
  const hash = await hashPassword(password);
  if (candidate.source === "contact" && candidate.contactnum !== null) {
    await db.update(contact).set({ password: hash }).where(and(eq(contact.contactnum, candidate.contactnum), eq(contact.password, candidate.hash)));
  } else if (candidate.source === "svc_acct" && candidate.svcnum !== null) {
    await db.update(svcAcct).set({ password: hash }).where(and(eq(svcAcct.svcnum, candidate.svcnum), eq(svcAcct.password, candidate.hash)));
  } else if (candidate.source === "svc_phone" && candidate.svcnum !== null) {
    await db.update(svcPhone).set({ pin: hash }).where(and(eq(svcPhone.svcnum, candidate.svcnum), eq(svcPhone.pin, candidate.hash)));
  }
}

function splitEmail(email: string): { username: string; domain: string } | null {
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1) return null;
  return { username: email.slice(0, at), domain: email.slice(at + 1) };
}

/**
 * The identity a login attempt is about, normalised exactly as its lookup reads it — e-mail and
 * username@domain lower-cased (the schema did that), a phone number as its national digits — so
 * every spelling of one login is one throttle key and one name in the audit log.
 */
export function loginIdentity(input: z.output<typeof loginInputSchema>): string {
  if (input.email) return input.email;
  if (input.domain === PHONE_DOMAIN) return `${phoneLoginDigits(input.username!)}@${PHONE_DOMAIN}`;
  return `${input.username}@${input.domain}`;
}

/**
 * Counts the attempt (identity and address) before anything is looked up or hashed, so at most
 * the limit of concurrent attempts reach the password check; every failure — throttled or not —
 * leaves an audit row.
 */
export async function login(db: DbOrTx, rawInput: unknown, meta: SessionMeta = {}): Promise<LoginResult> {
  const input = parseInput(loginInputSchema, rawInput);
  const identity = loginIdentity(input);
  const throttleKey = loginIdentityKey(identity);
  try {
    await consumeLoginAttempt(db, throttleKey, meta.ip);
  } catch (e) {
    await recordAudit(db, { action: "login_failed", ip: meta.ip, detail: { identity, throttled: true } });
    throw e;
  }

  let candidate: Candidate | null = null;
  if (input.email) {
    candidate = await findContact(db, input.email);
    if (!candidate) {
      const parts = splitEmail(input.email);
      if (parts) candidate = await findAccount(db, parts.username, parts.domain);
    }
  } else if (input.domain === PHONE_DOMAIN) {
    candidate = await findPhone(db, phoneLoginDigits(input.username!));
  } else {
    candidate = await findAccount(db, input.username!, input.domain!);
  }

  const ok = await verifyPassword(input.password, candidate?.hash ?? (await decoyPasswordHash()));
  if (!candidate || !candidate.hash || !ok) {
    await recordAudit(db, { action: "login_failed", custnum: candidate?.custnum ?? null, ip: meta.ip, detail: { identity } });
    throw new AppError("INVALID_CREDENTIALS", LOGIN_FAILED_MESSAGE);
  }

  await settleSuccessfulLogin(db, throttleKey, meta.ip);
  await upgradeHash(db, candidate, input.password);
  const sessionToken = await createCustomerSession(db, candidate, meta);
  await recordAudit(db, { action: "login", custnum: candidate.custnum, contactnum: candidate.contactnum, ip: meta.ip, detail: { via: input.email ? "email" : input.domain === PHONE_DOMAIN ? "phone" : "account" } });
  return { sessionToken, custnum: candidate.custnum, contactnum: candidate.contactnum, svcnum: candidate.svcnum };
}
