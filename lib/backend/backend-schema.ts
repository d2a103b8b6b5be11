import { z } from "zod";
import { customerPhoneFields, invoicingListField } from "@/lib/customers/customer-schema";
import { PAYBY_CODES } from "@/lib/billing/payby";
import { parseAmountInput } from "@/lib/money/cents";
import { flagBoolean, idNumber, optionalText, requiredText } from "@/lib/validation/fields";

/**
 * Input schemas of the back-office API (FS::API). Arguments arrive as XML-RPC strings or numbers
 * (or JSON); every amount is Freeside-strict: digits with optional two decimals, greater than 0.
 */

type Ctx = z.RefinementCtx;

function amountCents(label: string, v: unknown, ctx: Ctx): number {
  if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) {
    ctx.addIssue({ code: "custom", message: `${label} is required` });
    return z.NEVER;
  }
  const text = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
  if (text.startsWith("-")) {
    ctx.addIssue({ code: "custom", message: `${label} must be greater than 0` });
    return z.NEVER;
  }
  const cents = parseAmountInput(v);
  if (cents === null) {
    ctx.addIssue({ code: "custom", message: `${label} must be an amount such as 54.32 (digits, at most two decimals)` });
    return z.NEVER;
  }
  if (cents <= 0) {
    ctx.addIssue({ code: "custom", message: `${label} must be greater than 0` });
    return z.NEVER;
  }
  return cents;
}

function unixDate(v: unknown, ctx: Ctx): Date | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
  if (!/^\d{1,10}$/.test(s) || Number(s) > 4_102_444_800) {
    ctx.addIssue({ code: "custom", message: "_date must be a UNIX timestamp (seconds)" });
    return z.NEVER;
  }
  return new Date(Number(s) * 1000);
}

/** An amount in cents from "54.32" / "54" / 54.32; negative, non-numeric, 3 decimals, 0 → refused. */
export function amountField(label: string) {
  return z
    .unknown()
    .optional()
    .transform((v, ctx) => amountCents(label, v, ctx));
}

/** Optional UNIX timestamp (seconds) → Date. */
export const unixDateField = z
  .unknown()
  .optional()
  .transform((v, ctx) => unixDate(v, ctx));

export const paybyField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
  z.string({ error: "payby is required" }).refine((s) => PAYBY_CODES.includes(s), { message: `payby must be one of ${PAYBY_CODES.join(", ")}` }),
);

const custnum = idNumber("custnum");

/** Optional id: missing → undefined, "" → null (clear), else a positive integer. */
function optionalId(label: string) {
  return z.preprocess(
    (v) => (v === "" || v === null ? null : v),
    z.union([z.null(), idNumber(label)]).optional(),
  );
}

export const insertPaymentSchema = z.object({
  custnum,
  paid: amountField("paid"),
  payby: paybyField,
  _date: unixDateField,
  payinfo: optionalText("payinfo", 80),
  paybatch: optionalText("paybatch", 80),
  payunique: optionalText("payunique", 80),
  processor: optionalText("processor", 80),
  auth: optionalText("auth", 16),
  order_number: optionalText("order_number", 256),
  otaker: optionalText("otaker", 32),
});
export type InsertPaymentInput = z.output<typeof insertPaymentSchema>;

export const insertCreditSchema = z.object({
  custnum,
  amount: amountField("amount"),
  _date: unixDateField,
  reason: optionalText("reason", 255),
  addlinfo: optionalText("addlinfo", 255),
  otaker: optionalText("otaker", 32),
});
export type InsertCreditInput = z.output<typeof insertCreditSchema>;

export const insertRefundSchema = z.object({
  custnum,
  refund: amountField("refund"),
  payby: paybyField,
  _date: unixDateField,
  reason: optionalText("reason", 80),
  payinfo: optionalText("payinfo", 80),
  /** Refund (part of) this payment. */
  paynum: optionalId("paynum"),
  /** Refund (part of) this credit. */
  crednum: optionalId("crednum"),
});
export type InsertRefundInput = z.output<typeof insertRefundSchema>;

/** Keys of new_customer / update_customer that carry payment details, which this API does not store. */
export const PAYMENT_DETAIL_KEYS = ["payinfo", "paycvv", "paydate", "payname", "paystate", "paytype", "payinfo1", "payinfo2"] as const;

/** payby values new_customer / update_customer accept (no card or bank details needed). */
export const CUSTOMER_PAYBY_ACCEPTED: readonly string[] = ["BILL", "COMP"];

const paymentDetailFields = {
  payinfo: z.unknown().optional(),
  paycvv: z.unknown().optional(),
  paydate: z.unknown().optional(),
  payname: z.unknown().optional(),
  paystate: z.unknown().optional(),
  paytype: z.unknown().optional(),
  payinfo1: z.unknown().optional(),
  payinfo2: z.unknown().optional(),
};

const customerPayby = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
  z.string().optional(),
);

const countryOrUs = z.preprocess((v) => (v === undefined || v === null || v === "" ? "US" : v), z.unknown());

export const newCustomerSchema = z.object({
  agentnum: idNumber("agentnum").optional(),
  first: requiredText("first", 80),
  last: requiredText("last", 80),
  company: optionalText("company", 80),
  ss: optionalText("ss", 11).refine((v) => !v || /^\d{3}-?\d{2}-?\d{4}$/.test(v), { message: "ss must be 9 digits" }),
  address1: z.unknown().optional(),
  address2: z.unknown().optional(),
  city: z.unknown().optional(),
  county: z.unknown().optional(),
  state: z.unknown().optional(),
  zip: z.unknown().optional(),
  country: countryOrUs,
  ship_address1: z.unknown().optional(),
  ship_address2: z.unknown().optional(),
  ship_city: z.unknown().optional(),
  ship_county: z.unknown().optional(),
  ship_state: z.unknown().optional(),
  ship_zip: z.unknown().optional(),
  ship_country: z.unknown().optional(),
  ...customerPhoneFields,
  invoicing_list: invoicingListField.optional(),
  postal_invoicing: flagBoolean(),
  referral_custnum: optionalId("referral_custnum"),
  agent_custid: optionalText("agent_custid", 80),
  comments: optionalText("comments", 2000),
  payby: customerPayby,
  ...paymentDetailFields,
});
export type NewCustomerInput = z.output<typeof newCustomerSchema>;

/** update_customer's own keys; the contact and address keys are edit_info's (lib/customers). */
export const updateCustomerAdminSchema = z.object({
  custnum,
  agentnum: z.preprocess((v) => (v === "" ? null : v), z.union([z.null(), idNumber("agentnum")]).optional()),
  referral_custnum: optionalId("referral_custnum"),
  agent_custid: optionalText("agent_custid", 80),
  comments: optionalText("comments", 2000),
  payby: customerPayby,
  ...paymentDetailFields,
});
export type UpdateCustomerAdminInput = z.output<typeof updateCustomerAdminSchema>;

export const custnumSchema = z.object({ custnum });
