import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { custCredit, custCreditRefund, custMain, custPayRefund } from "@/db/schema";
import { recordCredit, recordPayment, recordRefund } from "@/lib/billing/record-payment";
import { queryRows } from "@/lib/db/rows";
import { isUniqueViolation } from "@/lib/db/pg-errors";
import { AppError } from "@/lib/errors";
import { isSignupPending } from "@/lib/signup/pending-signup";
import type { InsertCreditInput, InsertPaymentInput, InsertRefundInput } from "./backend-schema";

/**
 * The back-office API's money in and out (FS::API insert_payment, insert_credit, insert_refund):
 * each in one transaction, through the same recording functions self-service payments use, so
 * payments and credits are applied to open invoices oldest first at once.
 */

export const UNKNOWN_CUSTNUM = "Unknown custnum";

/** Locks and checks the customer; every back-office write starts here. */
export async function lockCustomer(tx: DbOrTx, custnum: number): Promise<void> {
  const [c] = await tx.select({ custnum: custMain.custnum }).from(custMain).where(eq(custMain.custnum, custnum)).for("update");
  // A signup still charging its first invoice is not a customer yet (lib/signup/pending-signup.ts).
  if (!c || (await isSignupPending(tx, custnum))) throw new AppError("NOT_FOUND", UNKNOWN_CUSTNUM);
}

const CARD_PAYBYS = new Set(["CARD", "DCRD", "MCRD"]);
const CHECK_PAYBYS = new Set(["CHEK", "DCHK", "MCHK"]);

/**
 * What may be kept of a payinfo: for cards and bank accounts only the last four digits (the
 * number itself is never stored), for other types (a check number, a reference) the text.
 */
export function maskPayinfo(payby: string, payinfo: string | undefined): string | null {
  if (!payinfo) return null;
  if (CARD_PAYBYS.has(payby) || CHECK_PAYBYS.has(payby)) {
    const account = CHECK_PAYBYS.has(payby) ? payinfo.split("@")[0]! : payinfo;
    const digits = account.replace(/\D/g, "");
    if (digits.length < 4) return null;
    return `${"x".repeat(Math.min(digits.length - 4, 12))}${digits.slice(-4)}`;
  }
  return payinfo.slice(0, 80);
}

export async function insertPayment(db: Db, input: InsertPaymentInput): Promise<{ paynum: number }> {
  try {
    return await db.transaction(async (tx) => {
      await lockCustomer(tx, input.custnum);
      return recordPayment(tx, {
        custnum: input.custnum,
        paidCents: input.paid,
        payby: input.payby,
        date: input._date,
        paymask: maskPayinfo(input.payby, input.payinfo),
        paybatch: input.paybatch || null,
        payunique: input.payunique || null,
        processor: input.processor || null,
        auth: input.auth || null,
        orderNumber: input.order_number || null,
        otaker: input.otaker || null,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e, "cust_pay_payunique")) {
      throw new AppError("CONFLICT", `duplicate transaction - a payment with unique identifer ${input.payunique} already exists`);
    }
    throw e;
  }
}

export async function insertCredit(db: Db, input: InsertCreditInput): Promise<{ crednum: number }> {
  return db.transaction(async (tx) => {
    await lockCustomer(tx, input.custnum);
    const r = await recordCredit(tx, { custnum: input.custnum, amountCents: input.amount, reason: input.reason || null, date: input._date, otaker: input.otaker || null });
    if (input.addlinfo) await tx.update(custCredit).set({ addlinfo: input.addlinfo }).where(eq(custCredit.crednum, r.crednum));
    return r;
  });
}

/**
 * A refund. With `paynum` (or `crednum`) it is paid out of that payment (credit) of the same
 * customer, which must have at least that much neither applied to invoices nor refunded.
 */
export async function insertRefund(db: Db, input: InsertRefundInput): Promise<{ refundnum: number }> {
  if (input.paynum && input.crednum) throw new AppError("INVALID_INPUT", "Give paynum or crednum, not both");
  return db.transaction(async (tx) => {
    await lockCustomer(tx, input.custnum);
    const date = input._date ?? new Date();

    if (input.paynum) {
      const [p] = await queryRows<{ left: number }>(
        tx,
        sql`SELECT ((p.paid - COALESCE((SELECT sum(amount) FROM cust_bill_pay WHERE paynum = p.paynum), 0)
                           - COALESCE((SELECT sum(amount) FROM cust_pay_refund WHERE paynum = p.paynum), 0)) * 100)::bigint AS left
              FROM cust_pay p WHERE p.paynum = ${input.paynum} AND p.custnum = ${input.custnum} FOR UPDATE`,
      );
      if (!p) throw new AppError("NOT_FOUND", `Unknown paynum ${input.paynum}`);
      if (Number(p.left) < input.refund) throw new AppError("INVALID_INPUT", "Refund amount exceeds the payment's unapplied amount");
    }
    if (input.crednum) {
      const [c] = await queryRows<{ left: number }>(
        tx,
        sql`SELECT ((c.amount - COALESCE((SELECT sum(amount) FROM cust_credit_bill WHERE crednum = c.crednum), 0)
                             - COALESCE((SELECT sum(amount) FROM cust_credit_refund WHERE crednum = c.crednum), 0)) * 100)::bigint AS left
              FROM cust_credit c WHERE c.crednum = ${input.crednum} AND c.custnum = ${input.custnum} FOR UPDATE`,
      );
      if (!c) throw new AppError("NOT_FOUND", `Unknown crednum ${input.crednum}`);
      if (Number(c.left) < input.refund) throw new AppError("INVALID_INPUT", "Refund amount exceeds the credit's unapplied amount");
    }

    const { refundnum } = await recordRefund(tx, {
      custnum: input.custnum,
      refundCents: input.refund,
      payby: input.payby,
      reason: input.reason || null,
      date,
      paymask: maskPayinfo(input.payby, input.payinfo),
      sourcePaynum: input.paynum ?? null,
    });
    if (input.paynum) {
      await tx.insert(custPayRefund).values({ paynum: input.paynum, refundnum, amount: input.refund, date });
    }
    if (input.crednum) {
      await tx.insert(custCreditRefund).values({ crednum: input.crednum, refundnum, amount: input.refund, date });
    }
    return { refundnum };
  });
}

