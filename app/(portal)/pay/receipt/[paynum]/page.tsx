import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { PageHeader } from "@/components/ui/page-header";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { formatMoneyPretty } from "@/lib/money/cents";
import { methodLabel } from "@/lib/payments/method-label";
import { getPaymentReceipt, type PaymentResult } from "@/lib/payments/process-payment";

export const metadata: Metadata = { title: "Payment receipt" };

async function loadReceipt(param: string, custnum: number): Promise<PaymentResult> {
  if (!/^\d{1,10}$/.test(param) || Number(param) < 1 || Number(param) > 2_147_483_647) notFound();
  try {
    return await getPaymentReceipt(await getDb(), { custnum, paynum: Number(param) });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

/** The receipt of one of the customer's payments: reloading it shows it again, it never pays again. */
export default async function PaymentReceiptPage({ params }: { params: Promise<{ paynum: string }> }) {
  const { paynum } = await params;
  const session = await requireCustomerPage(`/pay/receipt/${encodeURIComponent(paynum)}`);
  const r = await loadReceipt(paynum, session.custnum);
  const method = r.paymask ? methodLabel({ payby: r.payby, paymask: r.paymask, paycardtype: r.paycardtype }) : r.payby;
  return (
    <div className="stack narrow">
      <PageHeader title="Payment receipt" />
      <Alert id="receipt-notice" tone="success">
        Your payment of {formatMoneyPretty(r.amountCents)} was received. Thank you.
      </Alert>
      <Card title="Receipt" id="receipt" data-testid="receipt">
        <DescriptionList
          items={[
            { term: "Amount", value: <span data-testid="receipt-amount">{formatMoneyPretty(r.amountCents)}</span> },
            { term: "Date", value: `${r.date_pretty} ${r.time_pretty}` },
            { term: "Paid with", value: method },
            { term: "Authorization code", value: r.auth_num },
            { term: "Order number", value: r.order_num },
            { term: "Payment number", value: <span data-testid="receipt-paynum">{r.paynum}</span> },
          ]}
        />
      </Card>
      <div className="cluster">
        <ButtonLink href="/billing/history" variant="primary">
          See your billing history
        </ButtonLink>
        <ButtonLink href="/account">Back to your account</ButtonLink>
        <ButtonLink href="/pay">Make another payment</ButtonLink>
      </div>
    </div>
  );
}
