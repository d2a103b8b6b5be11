import { z } from "zod";
import type { FieldErrors } from "@/lib/errors";
import { flagBoolean, idNumber, optionalText } from "@/lib/validation/fields";
import { amountTextOfNumber, parseAmountInput } from "@/lib/money/cents";
import { checkCardNumber, checkExpiration, cvvError, maskCardNumber, type CardType } from "./card";
import { checkBankAccount, maskBankAccount, normalizePaystate, normalizePaytype, splitBankPayinfo, type Paytype } from "./bank";

/**
 * The inputs of stored payment methods (`insert_payby`, `update_payby`, `delete_payby`) and of
 * payments (`process_payment`), with Freeside's argument names. One module for the browser form's
 * resolver, the server action and the RPC method; the domain functions run the same checks again
 * (`checkPaybyFields`) with the server's clock.
 *
 * No message ever contains a card number or a CVV.
 */
export const PAYBY_VALUES = ["CARD", "DCRD", "CHEK", "DCHK"] as const;
export type Payby = (typeof PAYBY_VALUES)[number];

export const isCardPayby = (p: string): p is "CARD" | "DCRD" => p === "CARD" || p === "DCRD";
export const isBankPayby = (p: string): p is "CHEK" | "DCHK" => p === "CHEK" || p === "DCHK";
/** CARD and CHEK are charged automatically by billing; DCRD and DCHK only on demand. */
export const isAutomaticPayby = (p: string) => p === "CARD" || p === "CHEK";

/** Freeside's payby names for people. */
export function paybyLabel(payby: string): string {
  switch (payby) {
    case "CARD":
      return "Credit card (automatic)";
    case "DCRD":
      return "Credit card (on demand)";
    case "CHEK":
      return "Electronic check (automatic)";
    case "DCHK":
      return "Electronic check (on demand)";
    default:
      return payby;
  }
}

const payby = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
  z.enum(PAYBY_VALUES, { error: "Illegal payby" }),
);

const weight = z.preprocess(
  (v) => (typeof v === "string" && /^\s*-?\d{1,6}\s*$/.test(v) ? Number(v) : v === "" || v === null ? undefined : v),
  z
    .number({ error: "Weight must be a number" })
    .int("Weight must be a whole number")
    .min(0, "Weight must be 0 or more")
    .max(999_999, "Weight is out of range")
    .optional(),
);

/** The raw fields of a payment method, as Freeside's clients and Portico's forms send them. */
export const paybyFieldsShape = {
  payby: payby.optional(),
  weight,
  /** Card number, or a bank account as `account@routing`. */
  payinfo: optionalText("Card or account number", 64),
  /** Bank account number (ng_selfservice's payment_ach form). */
  payinfo1: optionalText("Account number", 40),
  /** ABA routing number. */
  payinfo2: optionalText("Routing number", 20),
  /** Checked for format, sent to the gateway for one charge, never stored. */
  paycvv: optionalText("Security code", 8),
  paydate: optionalText("Expiration date", 20),
  month: optionalText("Expiration month", 4),
  year: optionalText("Expiration year", 6),
  payname: optionalText("Name", 160),
  paystate: optionalText("Bank state", 80),
  paytype: optionalText("Account type", 80),
  payip: optionalText("IP address", 64),
};

export const paybyFieldsSchema = z.object(paybyFieldsShape);
export type PaybyFieldsInput = z.input<typeof paybyFieldsSchema>;
export type PaybyFields = z.output<typeof paybyFieldsSchema>;

/** What is already stored, for updates ("omitted = keep"). Never the number itself. */
export interface ExistingPayby {
  payby: string;
  paymask: string;
  paycardtype: string | null;
  paydate: string | null;
  payname: string | null;
  paystate: string | null;
  paytype: string | null;
  weight: number;
}

interface CommonNormalized {
  weight?: number;
  payname: string;
}

export type NormalizedPayby =
  | (CommonNormalized & {
      kind: "card";
      payby: "CARD" | "DCRD";
      /** Digits, or null = keep the stored number. */
      number: string | null;
      cardType: CardType | string;
      paymask: string;
      month: number;
      year: number;
      paydate: string;
      /** Only to pass on to the gateway for this one request. */
      cvv?: string;
    })
  | (CommonNormalized & {
      kind: "bank";
      payby: "CHEK" | "DCHK";
      /** null = keep the stored account. */
      account: string | null;
      routing: string | null;
      paymask: string;
      paytype: Paytype | null;
      paystate: string | null;
    });

export type PaybyCheck = { ok: true; value: NormalizedPayby } | { ok: false; message: string; fieldErrors: FieldErrors };

/** Freeside's `illegal_name`: letters, digits, space and , . - ' only. */
const NAME_RE = /^[\p{L}\p{M}\d _,.\-']+$/u;

function fail(field: string, message: string): PaybyCheck {
  return { ok: false, message, fieldErrors: { [field]: [message] } };
}

/** A masked value such as "xxxxxxxxxxxx1111" (what list_payby returned): means "keep the stored number". */
export function looksMasked(v: string): boolean {
  return /^x+\d{0,4}$/i.test(v.replace(/[\s-]/g, "")) || /^x+\d{0,2}@\d{9}$/i.test(v.replace(/\s/g, ""));
}

/**
 * The masked method a caller sent back, as list_payby / payment_info show it: a masked `payinfo`
 * ("xxxxxxxxxxxx1111", "xxxxxxxxxx89@110000000"), or a masked account in `payinfo1` with the
 * routing number in `payinfo2` (Freeside's payment_ach form posts those). Null when the number is new.
 */
export function maskedPayinfo(f: { payinfo?: string | null; payinfo1?: string | null; payinfo2?: string | null }): string | null {
  if (f.payinfo && looksMasked(f.payinfo)) return f.payinfo.replace(/\s/g, "");
  if (f.payinfo1) {
    const joined = `${f.payinfo1}@${f.payinfo2 ?? ""}`.replace(/\s/g, "");
    if (looksMasked(joined)) return joined;
  }
  return null;
}

/**
 * The one check of a payment method, for inserts (no `existing`) and updates (omitted fields keep
 * the stored values; a masked payinfo keeps the stored number). Returns normalised values or
 * Freeside's first error with per-field errors.
 */
export function checkPaybyFields(f: PaybyFields, opts: { now: Date; timeZone?: string; existing?: ExistingPayby }): PaybyCheck {
  const ex = opts.existing;
  const pb = f.payby ?? (ex?.payby as Payby | undefined) ?? (f.payinfo1 || (f.payinfo && f.payinfo.includes("@")) ? "CHEK" : "CARD");
  if (!(PAYBY_VALUES as readonly string[]).includes(pb)) return fail("payby", "Illegal payby");
  const sameKind = ex ? isCardPayby(ex.payby) === isCardPayby(pb) : false;
  const masked = maskedPayinfo(f);
  const keepNumber =
    !!ex && sameKind && ((!f.payinfo && !f.payinfo1) || (masked !== null && (!f.payinfo1 || masked.toLowerCase() === ex.paymask.toLowerCase())));

  const rawName = f.payname ?? (ex?.payname ?? "");
  const nameField = "payname";

  if (isCardPayby(pb)) {
    let number: string | null = null;
    let cardType: string;
    let paymask: string;
    if (keepNumber) {
      cardType = ex!.paycardtype ?? "";
      paymask = ex!.paymask;
    } else {
      if (!f.payinfo) return fail("payinfo", ex ? "Enter the full card number" : "Card number is required");
      const c = checkCardNumber(f.payinfo);
      if (!c.ok) return fail("payinfo", c.message);
      number = c.digits;
      cardType = c.cardType;
      paymask = maskCardNumber(c.digits);
    }
    let cvv: string | undefined;
    if (f.paycvv) {
      const err = cvvError(f.paycvv, cardType);
      if (err) return fail("paycvv", err);
      cvv = f.paycvv;
    }
    const hasNewDate = !!f.paydate || !!f.month || !!f.year;
    const dateInput = hasNewDate ? { paydate: f.paydate, month: f.month, year: f.year } : { paydate: ex?.paydate ?? "" };
    const exp = checkExpiration(dateInput, opts.now, opts.timeZone);
    if (!exp.ok) return fail(f.paydate || !hasNewDate ? "paydate" : "month", exp.message);
    if (!rawName) return fail(nameField, "Name on card is required");
    if (!NAME_RE.test(rawName)) return fail(nameField, `Illegal (name) payname: ${rawName.slice(0, 40)}`);
    return {
      ok: true,
      value: {
        kind: "card",
        payby: pb as "CARD" | "DCRD",
        number,
        cardType,
        paymask,
        month: exp.value.month,
        year: exp.value.year,
        paydate: exp.value.paydate,
        cvv,
        payname: rawName,
        weight: f.weight,
      },
    };
  }

  // Electronic check.
  let account: string | null = null;
  let routing: string | null = null;
  let paymask: string;
  if (keepNumber) {
    paymask = ex!.paymask;
  } else {
    const split = splitBankPayinfo(f);
    if (!split.account && !split.routing) return fail("payinfo1", ex ? "Enter the full account and routing numbers" : "Account number is required");
    const b = checkBankAccount(split.account, split.routing);
    if (!b.ok) return fail(b.field === "account" ? (f.payinfo1 ? "payinfo1" : "payinfo") : f.payinfo1 ? "payinfo2" : "payinfo", b.message);
    account = b.account;
    routing = b.routing;
    paymask = maskBankAccount(b.account, b.routing);
  }
  const rawType = f.paytype ?? ex?.paytype ?? "";
  const paytype = rawType === "" ? null : normalizePaytype(rawType);
  if (rawType !== "" && !paytype) return fail("paytype", "Choose an account type: Personal checking, Personal savings, Business checking or Business savings");
  const rawState = f.paystate ?? ex?.paystate ?? "";
  const paystate = rawState === "" ? null : normalizePaystate(rawState);
  if (rawState !== "" && !paystate) return fail("paystate", "Choose the bank's state");
  if (!rawName) return fail(nameField, "Name on the account is required");
  if (!NAME_RE.test(rawName)) return fail(nameField, `Illegal (name) payname: ${rawName.slice(0, 40)}`);
  return {
    ok: true,
    value: { kind: "bank", payby: pb as "CHEK" | "DCHK", account, routing, paymask, paytype, paystate, payname: rawName, weight: f.weight },
  };
}

function refineWith(opts: () => { now: Date; timeZone?: string }) {
  return (v: PaybyFields, ctx: z.RefinementCtx) => {
    const r = checkPaybyFields(v, opts());
    if (!r.ok) for (const [path, msgs] of Object.entries(r.fieldErrors)) for (const message of msgs) ctx.addIssue({ code: "custom", path: [path], message });
  };
}

/** insert_payby (and the "add a card / bank account" forms). */
export const insertPaybySchema = paybyFieldsSchema.superRefine(refineWith(() => ({ now: new Date() })));
export type InsertPaybyInput = z.input<typeof insertPaybySchema>;

/**
 * update_payby: custpaybynum plus any fields; omitted ones keep their stored values, so the full
 * check runs in `updatePayby` against the stored row.
 */
export const updatePaybySchema = paybyFieldsSchema.extend({ custpaybynum: idNumber("custpaybynum") });
export type UpdatePaybyInput = z.input<typeof updatePaybySchema>;

export const deletePaybySchema = z.object({ custpaybynum: idNumber("custpaybynum") });

/* ------------------------------------------------------------------------------------------ */
/* Payments                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/**
 * The largest single payment Portico takes ($100,000.00): far above any ISP bill, low enough
 * that a typo (an extra digit or three) is refused before it reaches the gateway. Paying more
 * than the balance is allowed below it, as in Freeside (the rest stays as a credit).
 */
export const MAX_PAYMENT_CENTS = 10_000_000;

export const AMOUNT_MESSAGES = {
  illegal: "Illegal amount",
  notPositive: "Amount must be greater than 0",
  tooLarge: "Amount is too large: at most $100,000.00 per payment",
} as const;

/**
 * Freeside's amount: digits with an optional two decimals, > 0. Output: integer cents. Sent as a
 * number (JSON, XML-RPC <double>/<int>): any finite number with at most two decimals (12.5 = 12.50).
 */
export const amountField = z.preprocess(
  (v) => (typeof v === "number" ? (amountTextOfNumber(v) ?? "illegal") : v),
  z
    .string({ error: AMOUNT_MESSAGES.illegal })
    .max(20, AMOUNT_MESSAGES.illegal)
    .transform((s, ctx) => {
      const cents = parseAmountInput(s);
      if (cents === null) {
        ctx.addIssue({ code: "custom", message: AMOUNT_MESSAGES.illegal });
        return z.NEVER;
      }
      if (cents <= 0) {
        ctx.addIssue({ code: "custom", message: AMOUNT_MESSAGES.notPositive });
        return z.NEVER;
      }
      if (cents > MAX_PAYMENT_CENTS) {
        ctx.addIssue({ code: "custom", message: AMOUNT_MESSAGES.tooLarge });
        return z.NEVER;
      }
      return cents;
    }),
);

/** Prefix of the keys automatic collection uses (`bill-<invnum>`): refused from clients. */
export const RESERVED_KEY_PREFIX = "bill-";

/** A one-time payment key from a client (payment_info's payunique/paybatch, or the form's hidden field). */
export const paymentKeyField = z.preprocess(
  (v) => (typeof v === "number" ? String(v) : v === "" || v === null ? undefined : v),
  z
    .string()
    .trim()
    .min(1, "The payment key is required")
    .max(80, "The payment key is too long")
    .regex(/^[A-Za-z0-9._:@-]+$/, "The payment key may hold only letters, digits and . _ : @ -")
    .refine((k) => !k.toLowerCase().startsWith(RESERVED_KEY_PREFIX), "This payment key is reserved")
    .optional(),
);

/**
 * process_payment's arguments (Freeside's names): amount, then either a stored method
 * (`custpaybynum`) or a new card / bank account with the payby fields; `save` keeps it, `auto`
 * makes it automatic (CARD/CHEK instead of DCRD/DCHK); `payunique` or `paybatch` is the one-time key.
 */
export const processPaymentSchema = paybyFieldsSchema.extend({
  amount: amountField,
  custpaybynum: idNumber("custpaybynum").optional(),
  save: flagBoolean(),
  auto: flagBoolean(),
  payunique: paymentKeyField,
  paybatch: paymentKeyField,
});
export type ProcessPaymentFormInput = z.input<typeof processPaymentSchema>;
export type ProcessPaymentFields = z.output<typeof processPaymentSchema>;

/** Drops everything that is not a payby field (amount, keys, flags) from a parsed payment input. */
export function paybyFieldsOf(input: ProcessPaymentFields): PaybyFields {
  const { amount: _a, custpaybynum: _c, save: _s, auto: _au, payunique: _pu, paybatch: _pb, ...fields } = input;
  return fields;
}
