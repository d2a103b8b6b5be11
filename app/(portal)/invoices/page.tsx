import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, pageHref } from "@/components/ui/pagination";
import { redirectToLogin, sessionCookieToken } from "@/lib/auth/current-session";
import { listInvoicesForSession, type InvoiceSummary } from "@/lib/billing/list-invoices";
import { formatDateHuman } from "@/lib/format/dates";
import { formatMoneyPretty } from "@/lib/money/cents";
import { InvoiceTable, type InvoiceRow } from "./invoice-table";
import { parsePageParam } from "./_shared/page-param";

export const metadata: Metadata = { title: "Invoices" };

/** Invoices per page (the list is paginated on the database). */
const INVOICES_PAGE_SIZE = 10;

/** A row as InvoiceTable shows it: dates and money formatted here. */
function invoiceRow(i: InvoiceSummary): InvoiceRow {
  return {
    invnum: i.invnum,
    date: formatDateHuman(i.date),
    due: formatDateHuman(i.dueDate),
    status: i.status,
    total: formatMoneyPretty(i.chargedCents),
    owed: formatMoneyPretty(i.owedCents),
  };
}

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const requested = parsePageParam(sp.page);
  // The cookie first (it makes the page dynamic), then the session check and the page of invoices as one statement.
  const token = await sessionCookieToken();
  const loaded = await listInvoicesForSession(await getDb(), token, { page: requested, pageSize: INVOICES_PAGE_SIZE });
  if (!loaded) redirectToLogin(pageHref("/invoices", requested));
  const result = loaded.page;
  const { balanceCents } = result;
  const hrefFor = (p: number) => pageHref("/invoices", p);

  return (
    <div className="stack">
      <PageHeader
        title="Invoices"
        description={
          <>
            Balance: <span data-testid="invoices-balance">{formatMoneyPretty(balanceCents)}</span>
            {result.total ? <> · {result.total === 1 ? "1 invoice" : `${result.total} invoices`}</> : null}
          </>
        }
        actions={
          <>
            <ButtonLink href="/billing/history">Billing history</ButtonLink>
            {balanceCents > 0 ? (
              <ButtonLink href="/pay" variant="primary">
                Pay now
              </ButtonLink>
            ) : null}
          </>
        }
      />
      {result.total === 0 ? (
        <EmptyState title="No invoices yet">
          <p>Your invoices will appear here after your first bill.</p>
        </EmptyState>
      ) : result.invoices.length === 0 ? (
        <EmptyState title={`There is no page ${result.page}`} action={<ButtonLink href="/invoices">Go to the newest invoices</ButtonLink>}>
          <p>
            You have {result.pageCount === 1 ? "one page" : `${result.pageCount} pages`} of invoices.
          </p>
        </EmptyState>
      ) : (
        <>
          <InvoiceTable
            caption={result.pageCount > 1 ? `Your invoices, newest first (page ${result.page} of ${result.pageCount})` : "Your invoices, newest first"}
            rows={result.invoices.map(invoiceRow)}
          />
          <Pagination page={result.page} pageCount={result.pageCount} hrefFor={hrefFor} label="Invoice pages" />
        </>
      )}
    </div>
  );
}
