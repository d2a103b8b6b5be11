import "server-only";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { isAppError } from "@/lib/errors";
import { getPayby, type PaybyView } from "@/lib/payments/payby";

/**
 * The stored method named by a URL segment, of this customer only. Anything that is not a plain
 * id, a missing id and another customer's id all end in the same not-found page.
 */
export async function loadMethodOrNotFound(param: string, custnum: number): Promise<PaybyView> {
  if (!/^\d{1,10}$/.test(param) || Number(param) < 1 || Number(param) > 2_147_483_647) notFound();
  try {
    return await getPayby(await getDb(), { custnum, custpaybynum: Number(param) });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}
