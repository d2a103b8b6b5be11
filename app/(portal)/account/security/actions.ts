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
  const everywhereElse = form.get("intent") === "everywhere-else";
  const result = everywhereElse
    ? await customerAction("signOutEverywhereElse", ({ db, customer, meta }) => endOtherLoginSessions(db, customer, meta))
    : await customerAction("signOutSession", async ({ db, customer, meta }) => {
        await endLoginSession(db, customer, form.get("session"), meta);
        return 1;
      });
  // Re-read the list either way: a failure may mean it is out of date (a session ended meanwhile).
  revalidatePath("/account/security");
  if (!result.ok) return { ok: false, message: result.message, at: Date.now() };
  const n = result.data;
  const message = !everywhereElse
    ? "That session was signed out."
    : n === 0
      ? "You were not signed in anywhere else."
      : `Signed out of ${n} other session${n === 1 ? "" : "s"}. Only this device is still signed in.`;
  return { ok: true, message, at: Date.now() };
}
