import { z } from "zod";
import { checkPaybyFields, processPaymentSchema, type PaybyFields } from "@/lib/payments/payby-schema";

/**
 * The /pay form's values: process_payment's shared schema (amount, payby fields, save, auto)
 * plus the form's own `choice` of method. A new card or bank account gets the same whole-method
 * check as insert_payby; the server action parses process_payment's schema again and decides.
 */
export const PAY_CHOICE_RE = /^(stored:\d{1,10}|new-card|new-bank)$/;

export const payFormSchema = processPaymentSchema
  .extend({ choice: z.string().regex(PAY_CHOICE_RE, "Choose how to pay") })
  .superRefine((v, ctx) => {
    if (v.choice !== "new-card" && v.choice !== "new-bank") return;
    const r = checkPaybyFields(newMethodFields(v.choice, v), { now: new Date() });
    if (!r.ok) {
      for (const [path, msgs] of Object.entries(r.fieldErrors)) {
        ctx.addIssue({ code: "custom", path: [path === "paydate" || path === "year" ? "month" : path === "payinfo" && v.choice === "new-bank" ? "payinfo1" : path], message: msgs[0]! });
      }
    }
  });

type FieldSource = Partial<Record<"payinfo" | "payname" | "month" | "year" | "paycvv" | "payinfo1" | "payinfo2" | "paytype" | "paystate", string | undefined>>;

/** The payby fields of a new card or bank account, picked by name from the form's values. */
export function newMethodFields(choice: "new-card" | "new-bank", v: FieldSource): PaybyFields {
  return choice === "new-card"
    ? { payby: "CARD", payinfo: v.payinfo, payname: v.payname, month: v.month, year: v.year, paycvv: v.paycvv || undefined }
    : { payby: "CHEK", payinfo1: v.payinfo1, payinfo2: v.payinfo2, paytype: v.paytype, paystate: v.paystate, payname: v.payname };
}
