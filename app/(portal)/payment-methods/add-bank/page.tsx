import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { PageHeader } from "@/components/ui/page-header";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { bankStateChoices } from "@/lib/payments/bank";
import { defaultPayname } from "@/lib/payments/payment-info";
import { AddBankForm } from "../payby-forms";

export const metadata: Metadata = { title: "Add a bank account" };

export default async function AddBankPage() {
  const session = await requireCustomerPage("/payment-methods/add-bank");
  const name = await defaultPayname(await getDb(), { custnum: session.custnum });
  return (
    <div className="stack narrow">
      <PageHeader
        title="Add a bank account"
        description="For payments by electronic check from a US bank account."
        back={{ href: "/payment-methods", label: "Payment methods" }}
      />
      <AddBankForm states={bankStateChoices()} defaultName={name} />
    </div>
  );
}
