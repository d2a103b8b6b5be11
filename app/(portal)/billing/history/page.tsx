import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Money } from "@/components/ui/money";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, pageHref } from "@/components/ui/pagination";
import { Table, type TableColumn } from "@/components/ui/table";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { billingHistory, type HistoryRow, type HistoryType } from "@/lib/billing/billing-history";
import { formatDateHuman } from "@/lib/format/dates";
import { formatMoneyPretty } from "@/lib/money/cents";
import { parsePageParam } from "../../invoices/_shared/page-param";
import styles from "./history.module.css";

export const metadata: Metadata = { title: "Billing history" };

/** Rows per page (paginated on the database). */
const HISTORY_PAGE_SIZE = 25;

const TYPE_TONE: Record<HistoryType, BadgeTone> = {
  Invoice: "neutral",
  Payment: "success",
  Credit: "info",
  Refund: "warning",
};

/** "+$12.50" raises the balance (invoices, refunds); "−$12.50" lowers it (payments, credits). */
function SignedMoney({ cents }: { cents: number }) {
  return (
    <span className="money" data-cents={cents}>
      {cents < 0 ? "−" : "+"}
      {formatMoneyPretty(Math.abs(cents))}
    </span>
  );
}

const COLUMNS: TableColumn<HistoryRow>[] = [
  { key: "date", header: "Date", cell: (r) => formatDateHuman(r.date) },
  { key: "type", header: "Type", cell: (r) => <Badge tone={TYPE_TONE[r.type]}>{r.type}</Badge> },
  {
    key: "description",
    header: "Description",
    rowHeader: true,
    className: styles.description,
    cell: (r) => (r.type === "Invoice" ? <a href={`/invoices/${r.id}`}>{r.description}</a> : r.description),
  },
  { key: "amount", header: "Amount", align: "end", cell: (r) => <SignedMoney cents={r.amountCents} /> },
  { key: "balance", header: "Balance", align: "end", cell: (r) => <Money cents={r.balanceCents} creditTone /> },
];

export default async function BillingHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const requested = parsePageParam(sp.page);
  const session = await requireCustomerPage(pageHref("/billing/history", requested));
  const history = await billingHistory(await getDb(), { custnum: session.custnum, page: requested, pageSize: HISTORY_PAGE_SIZE });
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
          <Table
            caption={history.pageCount > 1 ? `Billing history (page ${history.page} of ${history.pageCount})` : "Billing history"}
            captionHidden
            columns={COLUMNS}
            rows={history.rows}
            rowKey={(r) => `${r.type}-${r.id}`}
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
