"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { customerAction } from "@/lib/http/action-result";
import { deletePayby, insertPayby, makePaybyFirst, updatePayby } from "@/lib/payments/payby";

/**
 * The payment method forms' server actions: the same lib/payments functions (and zod schemas)
 * as RPC insert_payby / update_payby / delete_payby. Each picks the fields it accepts by name;
 * none returns anything but the custpaybynum, so a card number never travels back.
 */
type Fields = Record<string, unknown>;

function pick(values: unknown, names: readonly string[]): Fields {
  const src = values && typeof values === "object" ? (values as Fields) : {};
  const out: Fields = {};
  for (const n of names) if (src[n] !== undefined) out[n] = src[n];
  return out;
}

const INSERT_FIELDS = ["payby", "payinfo", "payinfo1", "payinfo2", "paycvv", "month", "year", "payname", "paystate", "paytype"] as const;
const UPDATE_FIELDS = ["custpaybynum", "payby", "month", "year", "payname", "paystate", "paytype"] as const;

/** Adds a card or bank account (the number is sealed in the vault; CVV checked, never stored). */
export async function addPaymentMethod(values: unknown) {
  const result = await customerAction("addPaymentMethod", async ({ db, customer, meta }) =>
    insertPayby(db, { custnum: customer.custnum, input: pick(values, INSERT_FIELDS), ip: meta.ip }),
  );
  if (result.ok) revalidatePath("/payment-methods");
  return result;
}

/** Changes the name, expiry, automatic flag (and bank type/state) of a stored method; never its number. */
export async function updatePaymentMethod(values: unknown) {
  const result = await customerAction("updatePaymentMethod", async ({ db, customer, meta }) =>
    updatePayby(db, { custnum: customer.custnum, input: pick(values, UPDATE_FIELDS), ip: meta.ip }),
  );
  if (result.ok) revalidatePath("/payment-methods");
  return result;
}

function idFrom(formData: FormData): number {
  const raw = String(formData.get("custpaybynum") ?? "");
  return /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
}

/** Form action (works without JavaScript): puts a method first in line, then back to the list. */
export async function makePaymentMethodFirst(formData: FormData) {
  const custpaybynum = idFrom(formData);
  const result = await customerAction("makePaymentMethodFirst", async ({ db, customer, meta }) =>
    makePaybyFirst(db, { custnum: customer.custnum, custpaybynum, ip: meta.ip }),
  );
  revalidatePath("/payment-methods");
  redirect(result.ok ? "/payment-methods?done=first" : "/payment-methods?failed=first");
}

/** Form action of the delete confirmation page. */
export async function deletePaymentMethod(formData: FormData) {
  const custpaybynum = idFrom(formData);
  const result = await customerAction("deletePaymentMethod", async ({ db, customer, meta }) =>
    deletePayby(db, { custnum: customer.custnum, custpaybynum, ip: meta.ip }),
  );
  revalidatePath("/payment-methods");
  redirect(result.ok ? "/payment-methods?done=deleted" : "/payment-methods?failed=delete");
}
