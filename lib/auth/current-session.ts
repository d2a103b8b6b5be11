import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { sessionCookieName } from "./cookies";
import { resolveCustomerSession, type CustomerSession } from "./sessions";

/** The session cookie's token of this request, unchecked (undefined without one). */
export const sessionCookieToken = cache(async (): Promise<string | undefined> => {
  const jar = await cookies();
  return jar.get(sessionCookieName())?.value;
});

/**
 * Whether this request carries a session cookie at all — no database lookup, so the portal's
 * frame can show "Log out" without a statement of its own; every page still checks the session.
 */
export async function hasSessionCookie(): Promise<boolean> {
  return (await sessionCookieToken()) !== undefined;
}

/** The signed-in customer of this request, or null (one indexed lookup, memoised per request). */
export const getCustomerSession = cache(async (): Promise<CustomerSession | null> => {
  const token = await sessionCookieToken();
  if (!token) return null;
  return resolveCustomerSession(await getDb(), token);
});

/** Sends a visitor without a valid session to /login?next=<this page>. */
export function redirectToLogin(currentPath: string): never {
  redirect(`/login?next=${encodeURIComponent(currentPath)}`);
}

/** For pages: the session, or a redirect to /login?next=<this page>. */
export async function requireCustomerPage(currentPath: string): Promise<CustomerSession> {
  const s = await getCustomerSession();
  if (!s) redirectToLogin(currentPath);
  return s;
}

/** For server actions and route handlers: the session, or UNAUTHENTICATED. */
export async function requireCustomer(): Promise<CustomerSession> {
  const s = await getCustomerSession();
  if (!s) throw new AppError("UNAUTHENTICATED", "Your session has ended. Please log in again.");
  return s;
}
