import "server-only";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import type { Db } from "@/db/client";
import { requireCustomer } from "@/lib/auth/current-session";
import type { CustomerSession, SessionMeta } from "@/lib/auth/sessions";
import { isAppError, logUnexpected, type FieldErrors } from "@/lib/errors";
import { clientMeta } from "./client-meta";

/** What every server action returns to its form: success, or a message and per-field errors. */
export type ActionFailure = { ok: false; message: string; fieldErrors?: FieldErrors };
export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

/** Turns any thrown error into a form result; unexpected ones are logged with a reference. */
export function actionError(where: string, e: unknown): ActionFailure {
  if (isAppError(e)) return { ok: false, message: e.message, fieldErrors: e.fieldErrors };
  const ref = logUnexpected(where, e);
  return { ok: false, message: `Something went wrong on our side. Nothing was changed. Please try again (ref ${ref}).` };
}

/**
 * The frame of a customer server action: re-checks the session (actions are public endpoints),
 * gives the body the database, the customer and the caller's address, and maps errors.
 */
export async function customerAction<T>(
  where: string,
  body: (ctx: { db: Db; customer: CustomerSession; meta: SessionMeta }) => Promise<T>,
): Promise<ActionResult<T>> {
  try {
    const customer = await requireCustomer();
    const meta = clientMeta(await headers());
    const data = await body({ db: await getDb(), customer, meta });
    return { ok: true, data };
  } catch (e) {
    return actionError(where, e);
  }
}
