"use server";
import { revalidatePath } from "next/cache";
import { endLoginSession, endOtherLoginSessions } from "@/lib/auth/sessions";
import { customerAction } from "@/lib/http/action-result";

/** What the sessions list shows after an action: one message for its aria-live region. */
export type SessionsActionState = { ok: boolean; message: string; at: number } | null;

/**
 * The security page's one server action (both forms post here, `intent` says which): it
 * re-checks the session (customerAction) and only ever touches sessions of the current login;
 * any other id is "not found", exactly like a missing one.
 */
export async function manageSessions(_prev: SessionsActionState, form: FormData): Promise<SessionsActionState> {
  const intent = form.get("intent");
  if (intent === "everywhere-else") {
    const result = await customerAction("signOutEverywhereElse", ({ db, customer, meta }) => endOtherLoginSessions(db, customer, meta));
    if (!result.ok) return { ok: false, message: result.message, at: Date.now() };
    revalidatePath("/account/security");
    const n = result.data;
    return {
      ok: true,
      message: n === 0 ? "You were not signed in anywhere else." : `Signed out of ${n} other session${n === 1 ? "" : "s"}. Only this device is still signed in.`,
      at: Date.now(),
    };
  }
  const result = await customerAction("signOutSession", ({ db, customer, meta }) => endLoginSession(db, customer, form.get("session"), meta));
  if (!result.ok) {
    revalidatePath("/account/security");
    return { ok: false, message: result.message, at: Date.now() };
  }
  revalidatePath("/account/security");
  return { ok: true, message: "That session was signed out.", at: Date.now() };
}
