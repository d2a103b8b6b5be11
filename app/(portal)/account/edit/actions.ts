"use server";
import { revalidatePath } from "next/cache";
import { editCustomerInfo } from "@/lib/customers/edit-info";
import { customerAction } from "@/lib/http/action-result";

/** The edit form's server action: the same lib function and schema as RPC `edit_info`. */
export async function saveAccountDetails(values: unknown) {
  const result = await customerAction("saveAccountDetails", ({ db, customer, meta }) =>
    editCustomerInfo(db, customer.custnum, values, { ip: meta.ip, contactnum: customer.contactnum }),
  );
  if (result.ok) revalidatePath("/account");
  return result;
}
