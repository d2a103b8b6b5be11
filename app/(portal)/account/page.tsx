import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { redirectToLogin, sessionCookieToken } from "@/lib/auth/current-session";
import { getCustomerInfoForSession, type LocationView, type PackageSummary } from "@/lib/customers/customer-info";
import { countryName, stateName } from "@/lib/customers/region-names";
import { formatMoneyPretty } from "@/lib/money/cents";
import { formatDateHuman } from "@/lib/format/dates";
import { freqPretty } from "@/lib/packages/status";
import { CustomerStatusBadge, PackageStatusBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ButtonLink } from "@/components/ui/button";
import { Table, type TableColumn } from "@/components/ui/table";

export const metadata: Metadata = { title: "Your account" };

function Address({ l }: { l: LocationView }) {
  return (
    <address className="address">
      {l.address1}
      {l.address2 ? <>, {l.address2}</> : null}
      <br />
      {[l.city, l.state ? stateName(l.country, l.state) : "", l.zip].filter(Boolean).join(", ")}
      {l.county ? <> ({l.county} County)</> : null}
      <br />
      {countryName(l.country)}
    </address>
  );
}

function packagePrice(p: PackageSummary): string {
  return p.freq === "0" ? formatMoneyPretty(p.setupFeeCents * p.quantity) : `${formatMoneyPretty(p.recurFeeCents * p.quantity)} ${freqPretty(p.freq)}`;
}

function nextBill(p: PackageSummary): string {
  if (p.cancel) return `Cancelled ${formatDateHuman(p.cancel)}`;
  return p.bill && p.freq !== "0" && !p.susp ? formatDateHuman(p.bill) : "—";
}

const PACKAGE_COLUMNS: TableColumn<PackageSummary>[] = [
  { key: "pkg", header: "Package", rowHeader: true, cell: (p) => (p.quantity > 1 ? `${p.pkg} × ${p.quantity}` : p.pkg) },
  { key: "status", header: "Status", cell: (p) => <PackageStatusBadge status={p.status} /> },
  { key: "price", header: "Price", align: "end", cell: packagePrice },
  { key: "bill", header: "Next bill", cell: nextBill },
  {
    key: "services",
    header: "Services",
    cell: (p) =>
      p.services.length ? (
        <ul className="plain-list">
          {p.services.map((s) => (
            <li key={s.svcnum}>
              <span className="muted">{s.svc}:</span> {s.value}
            </li>
          ))}
        </ul>
      ) : (
        "—"
      ),
  },
];

export default async function AccountPage() {
  // The cookie first (it makes the page dynamic), then the session check and the account as one statement.
  const token = await sessionCookieToken();
  const loaded = await getCustomerInfoForSession(await getDb(), token);
  if (!loaded) redirectToLogin("/account");
  const { info } = loaded;
  const owed = info.balanceCents > 0;
  return (
    <div className="stack">
      <PageHeader
        title={`${info.first} ${info.last}`}
        description={
          <>
            {info.company ? <>{info.company} · </> : null}Customer #{info.custnum} · <CustomerStatusBadge status={info.status} />
          </>
        }
        actions={
          <ButtonLink variant="secondary" href="/account/edit">
            Edit details
          </ButtonLink>
        }
      />

      <div className="grid-2">
        <section className="card" aria-labelledby="balance-heading">
          <h2 id="balance-heading">Balance</h2>
          <p className={`balance ${owed ? "balance-owed" : ""}`} data-testid="balance">
            {formatMoneyPretty(info.balanceCents)}
          </p>
          {info.balanceCents < 0 ? <p className="muted">You have a credit on your account.</p> : null}
          {info.openInvoices.length ? (
            <>
              <h3>Open invoices</h3>
              <ul className="plain-list">
                {info.openInvoices.map((i) => (
                  <li key={i.invnum}>
                    <a href={`/invoices/${i.invnum}`}>Invoice #{i.invnum}</a> of {formatDateHuman(i.date)}:{" "}
                    {formatMoneyPretty(i.owedCents)} owed
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">No open invoices.</p>
          )}
          {owed ? (
            <p>
              <ButtonLink href="/pay">Pay now</ButtonLink>
            </p>
          ) : null}
          <p className="muted small">
            Next bill: {info.nextBillDate ? formatDateHuman(info.nextBillDate) : "none scheduled"}
            {info.lastInvoiceDate ? <> · Last invoice: {formatDateHuman(info.lastInvoiceDate)}</> : null}
          </p>
        </section>

        <section className="card" aria-labelledby="contact-heading">
          <h2 id="contact-heading">Contact details</h2>
          <dl className="details">
            {info.daytime ? (
              <>
                <dt>Daytime phone</dt>
                <dd>{info.daytime}</dd>
              </>
            ) : null}
            {info.night ? (
              <>
                <dt>Evening phone</dt>
                <dd>{info.night}</dd>
              </>
            ) : null}
            {info.mobile ? (
              <>
                <dt>Mobile</dt>
                <dd>{info.mobile}</dd>
              </>
            ) : null}
            <dt>Invoices by e-mail to</dt>
            <dd>{info.invoiceEmails.length ? info.invoiceEmails.join(", ") : <span className="muted">nobody</span>}</dd>
            <dt>Paper invoices</dt>
            <dd>{info.postalInvoice ? "Yes, by post" : "No"}</dd>
            <dt>Billing address</dt>
            <dd>{info.billLocation ? <Address l={info.billLocation} /> : <span className="muted">none on file</span>}</dd>
            {info.shipLocation ? (
              <>
                <dt>Service address</dt>
                <dd>
                  <Address l={info.shipLocation} />
                </dd>
              </>
            ) : null}
          </dl>
        </section>
      </div>

      <Card title="Packages and services" id="packages">
        <Table
          caption="Your packages"
          captionHidden
          columns={PACKAGE_COLUMNS}
          rows={info.packages}
          rowKey={(p) => p.pkgnum}
          empty={<p className="muted">You have no packages yet.</p>}
        />
      </Card>
    </div>
  );
}
