import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { sessionCookieName } from "./cookies";
import { resolveCustomerSession, type CustomerSession } from "./sessions";

/** The signed-in customer of this request, or null (one indexed lookup, memoised per request). */
export const getCustomerSession = cache(async (): Promise<CustomerSession | null> => {
  const jar = await cookies();
  const token = jar.get(sessionCookieName())?.value;
  if (!token) return null;
  return resolveCustomerSession(await getDb(), token);
});

/** For pages: the session, or a redirect to /login?next=<this page>. */
export async function requireCustomerPage(currentPath: string): Promise<CustomerSession> {
  const s = await getCustomerSession();
  if (!s) redirect(`/login?next=${encodeURIComponent(currentPath)}`);
  return s;
}

/** For server actions and route handlers: the session, or UNAUTHENTICATED. */
export async function requireCustomer(): Promise<CustomerSession> {
  const s = await getCustomerSession();
  if (!s) throw new AppError("UNAUTHENTICATED", "Your session has ended. Please log in again.");
  return s;
}
