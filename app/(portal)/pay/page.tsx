import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { PageHeader } from "@/components/ui/page-header";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { formatCents, formatMoneyPretty, parseDbMoney } from "@/lib/money/cents";
import { bankStateChoices } from "@/lib/payments/bank";
import { expiryLabel, methodLabel } from "@/lib/payments/method-label";
import { isBankPayby } from "@/lib/payments/payby-schema";
import { paymentInfo } from "@/lib/payments/payment-info";
import { isPaybyUsable } from "@/lib/payments/process-payment";
import { PayForm, type PayMethodOption } from "./pay-form";

export const metadata: Metadata = { title: "Make a payment" };

/**
 * /pay: payment_info renders the form, with a one-time key made here on the server for this
 * render (never in the browser): a reload is a new form with a new key.
 */
export default async function PayPage() {
  const session = await requireCustomerPage("/pay");
  const info = await paymentInfo(await getDb(), { custnum: session.custnum, omitCustMainCounty: true });
  const balanceCents = parseDbMoney(info.balance);
  const now = new Date();
  const methods: PayMethodOption[] = info.cust_paybys.map((m) => {
    const usable = isPaybyUsable(m, now);
    return {
      custpaybynum: m.custpaybynum,
      label: methodLabel(m),
      detail: isBankPayby(m.payby) ? `routing ${m.paymask.split("@")[1] ?? ""}` : usable ? `expires ${expiryLabel(m.paydate)}` : `expired ${expiryLabel(m.paydate)}`,
      usable,
    };
  });
  const first = methods.find((m) => m.usable);

  return (
    <div className="stack narrow">
      <PageHeader
        title="Make a payment"
        description={
          balanceCents > 0 ? (
            <>
              Your balance is <strong data-testid="pay-balance">{formatMoneyPretty(balanceCents)}</strong>.
            </>
          ) : (
            <>
              You owe nothing right now{balanceCents < 0 ? <> (a credit of {formatMoneyPretty(-balanceCents)})</> : null}. You can still pay
              ahead.
            </>
          )
        }
      />
      <PayForm
        paymentKey={info.payunique}
        defaultAmount={balanceCents > 0 ? formatCents(balanceCents) : ""}
        defaultName={`${info.first} ${info.last}`.trim()}
        methods={methods}
        defaultChoice={first ? `stored:${first.custpaybynum}` : "new-card"}
        states={bankStateChoices()}
        currentYear={now.getUTCFullYear()}
      />
      <p className="muted small">
        Saved cards and bank accounts are managed on <Link href="/payment-methods">Payment methods</Link>. Past payments are in your{" "}
        <Link href="/billing/history">billing history</Link>.
      </p>
    </div>
  );
}
