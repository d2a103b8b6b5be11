import { getDb } from "@/db/client";
import { sessionCookieToken } from "@/lib/auth/current-session";
import { getInvoiceForSession } from "@/lib/billing/invoice";
import { renderInvoicePdf } from "@/lib/billing/invoice-pdf";
import { isAppError } from "@/lib/errors";
import { parseInvnumParam } from "../../_shared/page-param";

/**
 * GET /invoices/[invnum]/pdf: the invoice as a PDF (lib/billing/invoice-pdf.ts, the same content
 * as the page). No session → the login page, back here after. Another customer's invnum, a missing
 * one and a non-numeric one → the same 404.
 */
export const dynamic = "force-dynamic";

const PRIVATE = { "Cache-Control": "private, no-store" };

function notFoundResponse(): Response {
  return new Response("Not found\n", { status: 404, headers: { ...PRIVATE, "Content-Type": "text/plain; charset=utf-8" } });
}

export async function GET(request: Request, { params }: { params: Promise<{ invnum: string }> }): Promise<Response> {
  const { invnum: param } = await params;
  const invnum = parseInvnumParam(param);
  try {
    // The session check and the invoice in one statement; an impossible invnum still checks the session.
    const loaded = await getInvoiceForSession(await getDb(), await sessionCookieToken(), { invnum: invnum ?? 0 });
    if (!loaded) {
      const next = `/invoices/${encodeURIComponent(param)}/pdf`;
      const login = new URL(`/login?next=${encodeURIComponent(next)}`, request.url);
      return new Response(null, { status: 303, headers: { ...PRIVATE, Location: `${login.pathname}${login.search}` } });
    }
    const inv = loaded.invoice;
    const pdf = await renderInvoicePdf(inv);
    return new Response(new Uint8Array(pdf), {
      status: 200,
      headers: {
        ...PRIVATE,
        "Content-Type": "application/pdf",
        "Content-Disposition": `inline; filename="invoice-${inv.invnum}.pdf"`,
        "Content-Length": String(pdf.length),
      },
    });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") return notFoundResponse();
    throw e;
  }
}
