import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { bankStateChoices } from "@/lib/payments/bank";
import { parseExpselectDate } from "@/lib/payments/card";
import { methodLabel } from "@/lib/payments/method-label";
import { EditPaybyForm } from "../../payby-forms";
import { loadMethodOrNotFound } from "../../load-method";

export const metadata: Metadata = { title: "Edit a payment method" };

export default async function EditPaymentMethodPage({ params }: { params: Promise<{ custpaybynum: string }> }) {
  const { custpaybynum } = await params;
  const session = await requireCustomerPage(`/payment-methods/${encodeURIComponent(custpaybynum)}/edit`);
  const m = await loadMethodOrNotFound(custpaybynum, session.custnum);
  const exp = parseExpselectDate(m.paydate);
  const label = methodLabel(m);
  return (
    <div className="stack narrow">
      <PageHeader title={`Edit ${label}`} back={{ href: "/payment-methods", label: "Payment methods" }} />
      <EditPaybyForm
        currentYear={new Date().getUTCFullYear()}
        states={bankStateChoices()}
        month={exp ? String(exp.month) : ""}
        year={exp ? String(exp.year) : ""}
        method={{
          custpaybynum: m.custpaybynum,
          label,
          payby: m.payby,
          paymask: m.paymask,
          paycardtype: m.paycardtype || null,
          paydate: m.paydate || null,
          payname: m.payname || null,
          paystate: m.paystate || null,
          paytype: m.paytype || null,
          weight: m.weight,
        }}
      />
    </div>
  );
}
