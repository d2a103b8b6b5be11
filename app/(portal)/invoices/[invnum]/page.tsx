import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { buttonClassName, ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { getInvoice, type InvoiceDto } from "@/lib/billing/invoice";
import { isAppError } from "@/lib/errors";
import { formatDateHuman } from "@/lib/format/dates";
import { formatMoneyPretty } from "@/lib/money/cents";
import { InvoiceDocument } from "../_shared/invoice-document";
import { InvoiceStatusBadge } from "../_shared/invoice-status-badge";
import { parseInvnumParam } from "../_shared/page-param";
import { PrintButton } from "../_shared/print-button";

// The same title whether the invoice exists or not: nothing tells another customer's invnum apart.
export const metadata: Metadata = { title: "Invoice" };

/** The customer's invoice, or the not-found page (missing, another customer's, or not a number: all alike). */
async function loadInvoice(param: string, custnum: number): Promise<InvoiceDto> {
  const invnum = parseInvnumParam(param);
  if (invnum === null) notFound();
  try {
    return await getInvoice(await getDb(), { custnum, invnum });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

export default async function InvoicePage({ params }: { params: Promise<{ invnum: string }> }) {
  const { invnum: param } = await params;
  const session = await requireCustomerPage(`/invoices/${encodeURIComponent(param)}`);
  const inv = await loadInvoice(param, session.custnum);
  const owed = inv.amountDueCents > 0;
  return (
    <div className="stack">
      <div className="no-print">
        <PageHeader
          back={{ href: "/invoices", label: "All invoices" }}
          title={`Invoice #${inv.invnum}`}
          description={
            <>
              <InvoiceStatusBadge status={inv.status} /> · {formatDateHuman(inv.date)} ·{" "}
              {owed ? <>{formatMoneyPretty(inv.amountDueCents)} due by {formatDateHuman(inv.dueDate)}</> : "Nothing to pay"}
            </>
          }
          actions={
            <>
              {/* A plain link: the PDF is a file, not a page to prefetch. */}
              <a className={buttonClassName("secondary")} href={`/invoices/${inv.invnum}/pdf`} type="application/pdf" download={`invoice-${inv.invnum}.pdf`}>
                Download PDF
              </a>
              <PrintButton />
              {owed ? (
                <ButtonLink href="/pay" variant="primary">
                  Pay now
                </ButtonLink>
              ) : null}
            </>
          }
        />
      </div>
      <InvoiceDocument invoice={inv} />
    </div>
  );
}
