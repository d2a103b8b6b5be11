import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { listPayby, type PaybyView } from "@/lib/payments/payby";
import { isAutomaticPayby, isBankPayby } from "@/lib/payments/payby-schema";
import { expiryLabel, methodLabel, routingOf } from "@/lib/payments/method-label";
import { isPaybyUsable } from "@/lib/payments/process-payment";
import { stateName } from "@/lib/customers/region-names";
import { makePaymentMethodFirst } from "./actions";
import { SubmitButton } from "./submit-button";

export const metadata: Metadata = { title: "Payment methods" };

const DONE: Record<string, string> = {
  added: "Your payment method was added.",
  updated: "Your payment method was saved.",
  deleted: "The payment method was deleted.",
  first: "That payment method is now used first.",
};
const FAILED: Record<string, string> = {
  first: "That payment method could not be moved to first place: it no longer exists. Nothing was changed.",
  delete: "That payment method could not be deleted: it no longer exists. Nothing was changed.",
};

function one(v: string | string[] | undefined): string {
  return typeof v === "string" ? v : "";
}

function MethodDetails({ m, now }: { m: PaybyView; now: Date }) {
  if (isBankPayby(m.payby)) {
    return (
      <p className="muted small">
        Account {m.paymask.split("@")[0]} · Routing {routingOf(m)}
        {m.paytype ? <> · {m.paytype}</> : null}
        {m.paystate ? <> · Bank in {stateName("US", m.paystate)}</> : null}
      </p>
    );
  }
  const usable = isPaybyUsable(m, now);
  return (
    <p className="muted small">
      Expires {expiryLabel(m.paydate) || "—"}
      {usable ? null : (
        <>
          {" "}
          <Badge tone="danger">Expired</Badge>
        </>
      )}
    </p>
  );
}

export default async function PaymentMethodsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireCustomerPage("/payment-methods");
  const sp = await searchParams;
  const methods = await listPayby(await getDb(), { custnum: session.custnum });
  const now = new Date();
  const done = DONE[one(sp.done)];
  const failed = FAILED[one(sp.failed)];

  return (
    <div className="stack narrow">
      <PageHeader
        title="Payment methods"
        description="Cards and bank accounts on file. Only their last digits are ever shown; the full numbers are stored encrypted."
        actions={
          <>
            <ButtonLink href="/payment-methods/add-card" variant="primary">
              Add a card
            </ButtonLink>
            <ButtonLink href="/payment-methods/add-bank">Add a bank account</ButtonLink>
          </>
        }
      />
      {done ? (
        <Alert id="methods-notice" tone="success">
          {done}
        </Alert>
      ) : null}
      {failed ? (
        <Alert id="methods-notice" tone="error">
          {failed}
        </Alert>
      ) : null}

      {methods.length === 0 ? (
        <Card>
          <EmptyState
            title="No payment methods yet"
            action={
              <ButtonLink href="/payment-methods/add-card" variant="primary">
                Add a card
              </ButtonLink>
            }
          >
            <p>Add a card or a bank account to pay invoices in one step, or to have new invoices paid automatically.</p>
          </EmptyState>
        </Card>
      ) : (
        <>
          <p className="muted">
            Listed in the order they are tried: automatic payments of new invoices use the first automatic method, and the payment page
            preselects the first one.
          </p>
          <ol className="stack" style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label="Your payment methods, in the order they are used">
            {methods.map((m, i) => {
              const label = methodLabel(m);
              return (
                <li key={m.custpaybynum} className="card" data-testid="payby" data-custpaybynum={m.custpaybynum}>
                  <div className="card-header">
                    <div>
                      <h2 className="card-title" data-testid="payby-label">
                        {label}
                      </h2>
                      <p className="card-description">{m.payname}</p>
                    </div>
                    <div className="cluster">
                      {/* Two separate facts: which method the pay page picks first, and whether new invoices are charged to it by themselves. */}
                      {i === 0 ? <Badge tone="success">Preselected when you pay</Badge> : null}
                      {isAutomaticPayby(m.payby) ? <Badge tone="info">Pays new invoices automatically</Badge> : <Badge>Only when you pay with it</Badge>}
                    </div>
                  </div>
                  <MethodDetails m={m} now={now} />
                  <p className="small">
                    {isAutomaticPayby(m.payby)
                      ? "New invoices are charged to it automatically (when it is your first automatic method)."
                      : "Charged only when you make a payment with it."}
                  </p>
                  <div className="cluster">
                    {i > 0 ? (
                      <form action={makePaymentMethodFirst}>
                        <input type="hidden" name="custpaybynum" value={m.custpaybynum} />
                        <SubmitButton size="sm" variant="secondary" pendingLabel="Moving…" aria-label={`Make this my first method: ${label}`}>
                          Make this my first method
                        </SubmitButton>
                      </form>
                    ) : null}
                    <Link className="button button-secondary button-sm" href={`/payment-methods/${m.custpaybynum}/edit`} aria-label={`Edit ${label}`}>
                      Edit
                    </Link>
                    <Link className="button button-danger button-sm" href={`/payment-methods/${m.custpaybynum}/delete`} aria-label={`Delete ${label}`}>
                      Delete
                    </Link>
                  </div>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}
