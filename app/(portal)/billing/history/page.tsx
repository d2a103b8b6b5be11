import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, pageHref } from "@/components/ui/pagination";
import { redirectToLogin, sessionCookieToken } from "@/lib/auth/current-session";
import { billingHistoryForSession, type HistoryRow } from "@/lib/billing/billing-history";
import { formatDateHuman } from "@/lib/format/dates";
import { formatMoneyPretty } from "@/lib/money/cents";
import { parsePageParam } from "../../invoices/_shared/page-param";
import { HistoryTable, type HistoryRowView } from "./history-table";

export const metadata: Metadata = { title: "Billing history" };

/** Rows per page (paginated on the database). */
const HISTORY_PAGE_SIZE = 25;

/** A row as HistoryTable shows it: dates and money formatted here. */
function historyRow(r: HistoryRow): HistoryRowView {
  return {
    key: `${r.type}-${r.id}`,
    type: r.type,
    date: formatDateHuman(r.date),
    description: r.description,
    href: r.type === "Invoice" ? `/invoices/${r.id}` : null,
    amount: `${r.amountCents < 0 ? "−" : "+"}${formatMoneyPretty(Math.abs(r.amountCents))}`,
    balance: formatMoneyPretty(r.balanceCents),
    credit: r.balanceCents < 0,
  };
}

export default async function BillingHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const requested = parsePageParam(sp.page);
  // The cookie first (it makes the page dynamic), then the session check and the page of history as one statement.
  const token = await sessionCookieToken();
  const loaded = await billingHistoryForSession(await getDb(), token, { page: requested, pageSize: HISTORY_PAGE_SIZE });
  if (!loaded) redirectToLogin(pageHref("/billing/history", requested));
  const { history } = loaded;
  const owed = history.balanceCents > 0;

  return (
    <div className="stack">
      <PageHeader
        title="Billing history"
        description={
          <>
            Invoices, payments, credits and refunds, newest first. Balance:{" "}
            <span data-testid="history-balance">{formatMoneyPretty(history.balanceCents)}</span>
            {history.balanceCents < 0 ? " (a credit on your account)" : null}
          </>
        }
        actions={
          <>
            <ButtonLink href="/invoices">Invoices</ButtonLink>
            {owed ? (
              <ButtonLink href="/pay" variant="primary">
                Pay now
              </ButtonLink>
            ) : null}
          </>
        }
      />
      {history.total === 0 ? (
        <EmptyState title="Nothing yet">
          <p>Your invoices, payments and credits will appear here.</p>
        </EmptyState>
      ) : history.rows.length === 0 ? (
        <EmptyState title={`There is no page ${history.page}`} action={<ButtonLink href="/billing/history">Go to the newest entries</ButtonLink>}>
          <p>Your history has {history.pageCount === 1 ? "one page" : `${history.pageCount} pages`}.</p>
        </EmptyState>
      ) : (
        <>
          <HistoryTable
            caption={history.pageCount > 1 ? `Billing history (page ${history.page} of ${history.pageCount})` : "Billing history"}
            rows={history.rows.map(historyRow)}
          />
          <Pagination page={history.page} pageCount={history.pageCount} hrefFor={(p) => pageHref("/billing/history", p)} label="History pages" />
          <p className="muted small">
            Amounts with + raise your balance (invoices, refunds); amounts with − lower it (payments, credits). The balance column is your balance after each
            entry.
          </p>
        </>
      )}
    </div>
  );
}
