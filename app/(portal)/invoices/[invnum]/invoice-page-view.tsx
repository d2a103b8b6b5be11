"use client";

import { buttonClassName, ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { InvoiceDocument } from "../_shared/invoice-document";
import { InvoiceStatusBadge } from "../_shared/invoice-status-badge";
import type { InvoiceView } from "../_shared/invoice-view";
import { PrintButton } from "../_shared/print-button";

/**
 * /invoices/[invnum]: the header with its actions, then the invoice. A client component fed the
 * formatted InvoiceView, like AccountOverview on /account: the server sends one reference and
 * its props instead of every element twice.
 */
export function InvoicePageView({ invoice: inv }: { invoice: InvoiceView }) {
  return (
    <div className="stack">
      <div className="no-print">
        <PageHeader
          back={{ href: "/invoices", label: "All invoices" }}
          title={`Invoice #${inv.invnum}`}
          description={
            <>
              <InvoiceStatusBadge status={inv.status} /> · {inv.dateHuman} · {inv.owed ? `${inv.amountDue} due by ${inv.dueHuman}` : "Nothing to pay"}
            </>
          }
          actions={
            <>
              {/* A plain link: the PDF is a file, not a page to prefetch. */}
              <a className={buttonClassName("secondary")} href={`/invoices/${inv.invnum}/pdf`} type="application/pdf" download={`invoice-${inv.invnum}.pdf`}>
                Download PDF
              </a>
              <PrintButton />
              {inv.owed ? (
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
