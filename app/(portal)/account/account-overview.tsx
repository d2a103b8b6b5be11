"use client";

import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { CustomerStatusBadge, PackageStatusBadge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, type TableColumn } from "@/components/ui/table";
import type { CustomerStatus, PackageStatus } from "@/lib/packages/status";

/**
 * What /account shows, already formatted on the server (money, dates, region names): this
 * component only lays it out, so the browser, hydrating it, never formats anything itself.
 */
export interface AccountView {
  custnum: number;
  name: string;
  company: string;
  status: CustomerStatus;
  balance: string;
  /** The customer owes money (a positive balance): "Pay now". */
  owed: boolean;
  /** The balance is negative: a credit. */
  credit: boolean;
  openInvoices: { invnum: number; date: string; owed: string }[];
  nextBill: string | null;
  lastInvoice: string | null;
  daytime: string;
  night: string;
  mobile: string;
  invoiceEmails: string[];
  postalInvoice: boolean;
  /** An address as its three lines: street, city/state/zip (county), country. */
  billAddress: AddressLines | null;
  /** Only when the service address differs from the billing address. */
  shipAddress: AddressLines | null;
  packages: PackageView[];
}

export type AddressLines = [street: string, locality: string, country: string];

export interface PackageView {
  pkgnum: number;
  name: string;
  status: PackageStatus;
  price: string;
  nextBill: string;
  services: { svcnum: number; svc: string; value: string }[];
}

function Address({ lines: [street, locality, country] }: { lines: AddressLines }) {
  return (
    <address className="address">
      {street}
      <br />
      {locality}
      <br />
      {country}
    </address>
  );
}

const PACKAGE_COLUMNS: TableColumn<PackageView>[] = [
  { key: "pkg", header: "Package", rowHeader: true, cell: (p) => p.name },
  { key: "status", header: "Status", cell: (p) => <PackageStatusBadge status={p.status} /> },
  { key: "price", header: "Price", align: "end", cell: (p) => p.price },
  { key: "bill", header: "Next bill", cell: (p) => p.nextBill },
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

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/**
 * The account overview. A client component although nothing in it is interactive: the server
 * renders a server component's elements twice (into the React Server Components payload, then
 * from it into HTML) and a client component's once, from a payload of plain strings — measured
 * in bench/README.md, this is most of what /account costs beyond Next's own page.
 */
export function AccountOverview({ view }: { view: AccountView }) {
  return (
    <div className="stack">
      <PageHeader
        title={view.name}
        description={
          <>
            {view.company ? <>{view.company} · </> : null}Customer #{view.custnum} · <CustomerStatusBadge status={view.status} />
          </>
        }
        actions={
          <>
            <ButtonLink variant="secondary" href="/account/edit">
              Edit details
            </ButtonLink>
            <ButtonLink variant="secondary" href="/account/security">
              Security
            </ButtonLink>
          </>
        }
      />

      {view.status === "suspended" ? (
        <Alert tone="warning" title="Your service is suspended" className="suspended-banner">
          {view.owed ? (
            <>
              <p>
                Pay the {view.balance} you owe to restore it: your packages suspended for non-payment are switched back on as soon as the payment goes
                through.
              </p>
              <p>
                <ButtonLink href="/pay" variant="primary">
                  Pay {view.balance} now
                </ButtonLink>
              </p>
            </>
          ) : (
            <p>Nothing is owed on your account. If your service does not come back shortly, please contact us.</p>
          )}
        </Alert>
      ) : null}

      <div className="grid-2">
        <section className="card" aria-labelledby="balance-heading">
          <h2 id="balance-heading">Balance</h2>
          <p className={`balance ${view.owed ? "balance-owed" : ""}`} data-testid="balance">
            {view.balance}
          </p>
          {view.credit ? <p className="muted">You have a credit on your account.</p> : null}
          {view.openInvoices.length ? (
            <>
              <h3>Open invoices</h3>
              <ul className="plain-list">
                {view.openInvoices.map((i) => (
                  <li key={i.invnum}>
                    <a href={`/invoices/${i.invnum}`}>Invoice #{i.invnum}</a> of {i.date}: {i.owed} owed
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">No open invoices.</p>
          )}
          {view.owed ? (
            <p>
              <ButtonLink href="/pay" variant="primary">
                Pay now
              </ButtonLink>
            </p>
          ) : null}
          <p className="muted small">
            Next bill: {view.nextBill ?? "none scheduled"}
            {view.lastInvoice ? <> · Last invoice: {view.lastInvoice}</> : null}
          </p>
        </section>

        <section className="card" aria-labelledby="contact-heading">
          <h2 id="contact-heading">Contact details</h2>
          <dl className="details">
            {view.daytime ? <Detail term="Daytime phone">{view.daytime}</Detail> : null}
            {view.night ? <Detail term="Evening phone">{view.night}</Detail> : null}
            {view.mobile ? <Detail term="Mobile">{view.mobile}</Detail> : null}
            <Detail term="Invoices by e-mail to">
              {view.invoiceEmails.length ? view.invoiceEmails.join(", ") : <span className="muted">nobody</span>}
            </Detail>
            <Detail term="Paper invoices">{view.postalInvoice ? "Yes, by post" : "No"}</Detail>
            <Detail term="Billing address">
              {view.billAddress ? <Address lines={view.billAddress} /> : <span className="muted">none on file</span>}
            </Detail>
            {view.shipAddress ? (
              <Detail term="Service address">
                <Address lines={view.shipAddress} />
              </Detail>
            ) : null}
          </dl>
        </section>
      </div>

      <Card title="Packages and services" id="packages">
        <Table
          caption="Your packages"
          captionHidden
          columns={PACKAGE_COLUMNS}
          rows={view.packages}
          rowKey={(p) => p.pkgnum}
          empty={<p className="muted">You have no packages yet.</p>}
        />
      </Card>
    </div>
  );
}
