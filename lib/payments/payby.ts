import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { custPayby } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { portalTimezone } from "@/lib/format/dates";
import { parseInput } from "@/lib/validation/parse";
import { parseExpselectDate } from "./card";
import { normalizePaytype } from "./bank";
import type { PaymentInstrument } from "./gateway/types";
import {
  checkPaybyFields,
  deletePaybySchema,
  paybyFieldsSchema,
  updatePaybySchema,
  type ExistingPayby,
  type NormalizedPayby,
  type PaybyFields,
} from "./payby-schema";
import { openSecret, paybyContext, sealSecret } from "./vault";

/**
 * Stored payment methods (cust_payby): cards and bank accounts, the number sealed in the vault,
 * shown only as `paymask`. Every function takes the customer explicitly and every lookup is
 * scoped by custnum: another customer's custpaybynum is "unknown custpaybynum N", exactly like a
 * missing one. Lower weight = tried first; CARD/CHEK are charged automatically by billing,
 * DCRD/DCHK only on demand.
 */

/** What list_payby returns for a method (Freeside's keys; never payinfo, never a CVV). */
export interface PaybyView {
  custpaybynum: number;
  weight: number;
  payby: string;
  paymask: string;
  paydate: string;
  payname: string;
  paystate: string;
  paytype: string;
  /** Portico addition: Freeside's card type name ("VISA card"), '' for bank accounts. */
  paycardtype: string;
}

export const unknownCustpaybynum = (n: number | string) => new AppError("NOT_FOUND", `unknown custpaybynum ${String(n).slice(0, 12)}`);

const viewColumns = {
  custpaybynum: custPayby.custpaybynum,
  weight: custPayby.weight,
  payby: custPayby.payby,
  paymask: custPayby.paymask,
  paydate: custPayby.paydate,
  payname: custPayby.payname,
  paystate: custPayby.paystate,
  paytype: custPayby.paytype,
  paycardtype: custPayby.paycardtype,
};

type ViewRow = { [K in keyof typeof viewColumns]: unknown };

function toView(r: ViewRow): PaybyView {
  const s = (v: unknown) => (v === null || v === undefined ? "" : String(v).trim());
  return {
    custpaybynum: Number(r.custpaybynum),
    weight: Number(r.weight),
    payby: s(r.payby),
    paymask: s(r.paymask),
    paydate: s(r.paydate),
    payname: s(r.payname),
    paystate: s(r.paystate),
    paytype: s(r.paytype),
    paycardtype: s(r.paycardtype),
  };
}

/** The customer's stored methods, first-tried first (weight, then age). */
export async function listPayby(db: DbOrTx, { custnum }: { custnum: number }): Promise<PaybyView[]> {
  const rows = await db
    .select(viewColumns)
    .from(custPayby)
    .where(eq(custPayby.custnum, custnum))
    .orderBy(asc(custPayby.weight), asc(custPayby.custpaybynum));
  return rows.map(toView);
}

/** One stored method of the customer (masked), or NOT_FOUND "unknown custpaybynum N". */
export async function getPayby(db: DbOrTx, { custnum, custpaybynum }: { custnum: number; custpaybynum: number }): Promise<PaybyView> {
  const [row] = await db
    .select(viewColumns)
    .from(custPayby)
    .where(and(eq(custPayby.custpaybynum, custpaybynum), eq(custPayby.custnum, custnum)));
  if (!row) throw unknownCustpaybynum(custpaybynum);
  return toView(row);
}

function invalid(message: string, fieldErrors: Record<string, string[]>): AppError {
  return new AppError("INVALID_INPUT", message, { fieldErrors });
}

function sealedPayinfo(custnum: number, v: NormalizedPayby): string | null {
  if (v.kind === "card") return v.number === null ? null : sealSecret(v.number, { context: paybyContext(custnum) });
  return v.account === null ? null : sealSecret(`${v.account}@${v.routing}`, { context: paybyContext(custnum) });
}

function columnsOf(v: NormalizedPayby) {
  return v.kind === "card"
    ? { payby: v.payby, paymask: v.paymask, paycardtype: String(v.cardType), paydate: v.paydate, payname: v.payname, paystate: null, paytype: null }
    : { payby: v.payby, paymask: v.paymask, paycardtype: null, paydate: null, payname: v.payname, paystate: v.paystate, paytype: v.paytype };
}

/**
 * Stores an already-checked method (insertPayby and process_payment's `save`). `first` puts it
 * ahead of the customer's other methods. Call inside the caller's transaction.
 */
export async function storePayby(
  tx: DbOrTx,
  custnum: number,
  v: NormalizedPayby,
  opts: { ip?: string | null; first?: boolean } = {},
): Promise<number> {
  const payinfo = sealedPayinfo(custnum, v);
  if (payinfo === null) throw new AppError("INVALID_INPUT", "Card or account number is required");
  const [agg] = await tx
    .select({ min: sql<number | null>`min(${custPayby.weight})`, max: sql<number | null>`max(${custPayby.weight})` })
    .from(custPayby)
    .where(eq(custPayby.custnum, custnum));
  const min = agg?.min === null || agg?.min === undefined ? null : Number(agg.min);
  const max = agg?.max === null || agg?.max === undefined ? null : Number(agg.max);
  let weight = v.weight ?? (max === null ? 1 : max + 1);
  if (opts.first) {
    weight = min === null ? 1 : min;
    await tx.update(custPayby).set({ weight: sql`${custPayby.weight} + 1` }).where(eq(custPayby.custnum, custnum));
  }
  const [row] = await tx
    .insert(custPayby)
    .values({ custnum, weight, payinfo, payip: opts.ip?.slice(0, 45) ?? null, ...columnsOf(v) })
    .returning({ custpaybynum: custPayby.custpaybynum });
  return row!.custpaybynum;
}

/** insert_payby: checks the fields (Luhn, type, expiry, ABA, name…), seals the number, stores it. */
export async function insertPayby(
  db: DbOrTx,
  { custnum, input, ip, now = new Date() }: { custnum: number; input: unknown; ip?: string | null; now?: Date },
): Promise<{ custpaybynum: number }> {
  const fields = parseInput(paybyFieldsSchema, input);
  const r = checkPaybyFields(fields, { now, timeZone: portalTimezone() });
  if (!r.ok) throw invalid(r.message, r.fieldErrors);
  return db.transaction(async (tx) => {
    const custpaybynum = await storePayby(tx, custnum, r.value, { ip });
    await recordAudit(tx, { action: "payby_insert", custnum, ip, detail: { custpaybynum, payby: r.value.payby, paymask: r.value.paymask } });
    return { custpaybynum };
  });
}

async function lockExisting(tx: DbOrTx, custnum: number, custpaybynum: number): Promise<ExistingPayby> {
  const [row] = await tx
    .select(viewColumns)
    .from(custPayby)
    .where(and(eq(custPayby.custpaybynum, custpaybynum), eq(custPayby.custnum, custnum)))
    .for("update");
  if (!row) throw unknownCustpaybynum(custpaybynum);
  const v = toView(row);
  return {
    payby: v.payby,
    paymask: v.paymask,
    paycardtype: v.paycardtype || null,
    paydate: v.paydate || null,
    payname: v.payname || null,
    paystate: v.paystate || null,
    paytype: v.paytype || null,
    weight: v.weight,
  };
}

/**
 * update_payby: any of the fields; omitted ones keep their stored values, a masked payinfo (as
 * list_payby shows it) keeps the stored number. The whole method is checked again.
 */
export async function updatePayby(
  db: DbOrTx,
  { custnum, input, ip, now = new Date() }: { custnum: number; input: unknown; ip?: string | null; now?: Date },
): Promise<{ custpaybynum: number }> {
  const parsed = parseInput(updatePaybySchema, input);
  const { custpaybynum, ...fields } = parsed;
  return db.transaction((tx) => updateStoredPayby(tx, { custnum, custpaybynum, fields: fields as PaybyFields, ip, now }));
}

/**
 * edit_info's payment part (Freeside: "if payby is given, updates the first cust_payby, or
 * inserts one"): the customer's first method (lowest weight) takes the fields, checked as
 * update_payby checks them; with none stored they are checked and stored as insert_payby does.
 * Call inside the caller's transaction.
 */
export async function setFirstPayby(
  tx: DbOrTx,
  { custnum, input, ip, now = new Date() }: { custnum: number; input: unknown; ip?: string | null; now?: Date },
): Promise<{ custpaybynum: number }> {
  const fields = parseInput(paybyFieldsSchema, input);
  const [first] = await tx
    .select({ custpaybynum: custPayby.custpaybynum })
    .from(custPayby)
    .where(eq(custPayby.custnum, custnum))
    .orderBy(asc(custPayby.weight), asc(custPayby.custpaybynum))
    .limit(1)
    .for("update");
  if (first) return updateStoredPayby(tx, { custnum, custpaybynum: first.custpaybynum, fields, ip, now });
  const r = checkPaybyFields(fields, { now, timeZone: portalTimezone() });
  if (!r.ok) throw invalid(r.message, r.fieldErrors);
  const custpaybynum = await storePayby(tx, custnum, r.value, { ip, first: true });
  await recordAudit(tx, { action: "payby_insert", custnum, ip, detail: { custpaybynum, payby: r.value.payby, paymask: r.value.paymask } });
  return { custpaybynum };
}

/** Checks `fields` against the stored method (omitted = keep) and saves them. Inside a transaction. */
async function updateStoredPayby(
  tx: DbOrTx,
  { custnum, custpaybynum, fields, ip, now }: { custnum: number; custpaybynum: number; fields: PaybyFields; ip?: string | null; now: Date },
): Promise<{ custpaybynum: number }> {
  const existing = await lockExisting(tx, custnum, custpaybynum);
  const r = checkPaybyFields(fields, { now, timeZone: portalTimezone(), existing });
  if (!r.ok) throw invalid(r.message, r.fieldErrors);
  const payinfo = sealedPayinfo(custnum, r.value);
  await tx
    .update(custPayby)
    .set({
      ...columnsOf(r.value),
      ...(payinfo !== null ? { payinfo } : {}),
      ...(r.value.weight !== undefined ? { weight: r.value.weight } : {}),
      ...(ip ? { payip: ip.slice(0, 45) } : {}),
    })
    .where(and(eq(custPayby.custpaybynum, custpaybynum), eq(custPayby.custnum, custnum)));
  await recordAudit(tx, {
    action: "payby_update",
    custnum,
    ip,
    detail: { custpaybynum, payby: r.value.payby, paymask: r.value.paymask, numberChanged: payinfo !== null },
  });
  return { custpaybynum };
}

/** delete_payby. */
export async function deletePayby(
  db: DbOrTx,
  { custnum, custpaybynum, ip }: { custnum: number; custpaybynum: unknown; ip?: string | null },
): Promise<void> {
  const { custpaybynum: id } = parseInput(deletePaybySchema, { custpaybynum });
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(custPayby)
      .where(and(eq(custPayby.custpaybynum, id), eq(custPayby.custnum, custnum)))
      .returning({ payby: custPayby.payby, paymask: custPayby.paymask });
    if (!row) throw unknownCustpaybynum(id);
    await recordAudit(tx, { action: "payby_delete", custnum, ip, detail: { custpaybynum: id, payby: row.payby.trim(), paymask: row.paymask } });
  });
}

/** Makes one method the first tried (weights renumbered 1, 2, 3… in the new order). */
export async function makePaybyFirst(
  db: DbOrTx,
  { custnum, custpaybynum, ip }: { custnum: number; custpaybynum: number; ip?: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ custpaybynum: custPayby.custpaybynum, payby: custPayby.payby, paymask: custPayby.paymask })
      .from(custPayby)
      .where(eq(custPayby.custnum, custnum))
      .orderBy(asc(custPayby.weight), asc(custPayby.custpaybynum))
      .for("update");
    const target = rows.find((r) => r.custpaybynum === custpaybynum);
    if (!target) throw unknownCustpaybynum(custpaybynum);
    const order = [target, ...rows.filter((r) => r !== target)];
    for (const [i, r] of order.entries()) {
      await tx.update(custPayby).set({ weight: i + 1 }).where(and(eq(custPayby.custpaybynum, r.custpaybynum), eq(custPayby.custnum, custnum)));
    }
    await recordAudit(tx, { action: "payby_update", custnum, ip, detail: { custpaybynum, payby: target.payby.trim(), paymask: target.paymask, weight: 1 } });
  });
}

/** A stored method opened for one charge: the instrument for the gateway, and what cust_pay records. */
export interface StoredInstrument {
  custpaybynum: number;
  payby: string;
  paymask: string;
  paycardtype: string | null;
  paydate: string | null;
  instrument: PaymentInstrument;
}

/**
 * Opens a stored method of this customer for charging (server side only; the number goes to the
 * gateway and nowhere else). NOT_FOUND for another customer's or a missing custpaybynum.
 */
export async function openStoredInstrument(db: DbOrTx, { custnum, custpaybynum }: { custnum: number; custpaybynum: number }): Promise<StoredInstrument> {
  const [row] = await db
    .select({ ...viewColumns, payinfo: custPayby.payinfo })
    .from(custPayby)
    .where(and(eq(custPayby.custpaybynum, custpaybynum), eq(custPayby.custnum, custnum)));
  if (!row) throw unknownCustpaybynum(custpaybynum);
  const v = toView(row);
  const secret = openSecret(row.payinfo, { context: paybyContext(custnum) });
  const base = { custpaybynum: v.custpaybynum, payby: v.payby, paymask: v.paymask, paycardtype: v.paycardtype || null, paydate: v.paydate || null };
  if (v.payby === "CARD" || v.payby === "DCRD") {
    const exp = parseExpselectDate(v.paydate);
    return {
      ...base,
      instrument: { kind: "card", number: secret, expMonth: exp?.month ?? 0, expYear: exp?.year ?? 0, name: v.payname, cardType: v.paycardtype },
    };
  }
  const at = secret.lastIndexOf("@");
  return {
    ...base,
    instrument: {
      kind: "bank",
      account: secret.slice(0, at),
      routing: secret.slice(at + 1),
      accountType: v.paytype ? normalizePaytype(v.paytype) : null,
      name: v.payname,
      state: v.paystate || null,
    },
  };
}
