import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { redirectToLogin, sessionCookieToken } from "@/lib/auth/current-session";
import { getInvoiceForSession } from "@/lib/billing/invoice";
import { isAppError } from "@/lib/errors";
import { invoiceView } from "../_shared/invoice-view";
import { parseInvnumParam } from "../_shared/page-param";
import { InvoicePageView } from "./invoice-page-view";

// The same title whether the invoice exists or not: nothing tells another customer's invnum apart.
export const metadata: Metadata = { title: "Invoice" };

export default async function InvoicePage({ params }: { params: Promise<{ invnum: string }> }) {
  const { invnum: param } = await params;
  // The cookie first (it makes the page dynamic), then the session check and the invoice as one
  // statement. Without a valid session: the login page, whatever the invnum. With one, a missing
  // invoice, another customer's and a non-numeric one are all the same not-found page.
  const token = await sessionCookieToken();
  let loaded: Awaited<ReturnType<typeof getInvoiceForSession>>;
  try {
    loaded = await getInvoiceForSession(await getDb(), token, { invnum: parseInvnumParam(param) ?? 0 });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  if (!loaded) redirectToLogin(`/invoices/${encodeURIComponent(param)}`);
  return <InvoicePageView invoice={invoiceView(loaded.invoice)} />;
}
