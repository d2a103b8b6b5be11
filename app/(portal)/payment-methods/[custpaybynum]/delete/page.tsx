import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { isAutomaticPayby } from "@/lib/payments/payby-schema";
import { methodLabel } from "@/lib/payments/method-label";
import { deletePaymentMethod } from "../../actions";
import { loadMethodOrNotFound } from "../../load-method";
import { SubmitButton } from "../../submit-button";

export const metadata: Metadata = { title: "Delete a payment method" };

/** The delete confirmation: a page of its own, so it needs no script and no browser dialog. */
export default async function DeletePaymentMethodPage({ params }: { params: Promise<{ custpaybynum: string }> }) {
  const { custpaybynum } = await params;
  const session = await requireCustomerPage(`/payment-methods/${encodeURIComponent(custpaybynum)}/delete`);
  const m = await loadMethodOrNotFound(custpaybynum, session.custnum);
  const label = methodLabel(m);
  return (
    <div className="stack narrow">
      <PageHeader title={`Delete ${label}?`} back={{ href: "/payment-methods", label: "Payment methods" }} />
      <Card>
        <p>
          <strong>{label}</strong>
          {m.payname ? <> ({m.payname})</> : null} will be removed from your account. Payments already made with it stay in your billing
          history.
        </p>
        {isAutomaticPayby(m.payby) ? <p>New invoices will no longer be charged to it automatically.</p> : null}
        <form action={deletePaymentMethod} className="form-actions">
          <input type="hidden" name="custpaybynum" value={m.custpaybynum} />
          <SubmitButton variant="danger" pendingLabel="Deleting…">
            Yes, delete it
          </SubmitButton>
          <ButtonLink href="/payment-methods">No, keep it</ButtonLink>
        </form>
      </Card>
    </div>
  );
}
