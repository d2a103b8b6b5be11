import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { PageHeader } from "@/components/ui/page-header";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { defaultPayname } from "@/lib/payments/payment-info";
import { AddCardForm } from "../payby-forms";

export const metadata: Metadata = { title: "Add a card" };

export default async function AddCardPage() {
  const session = await requireCustomerPage("/payment-methods/add-card");
  const name = await defaultPayname(await getDb(), { custnum: session.custnum });
  return (
    <div className="stack narrow">
      <PageHeader title="Add a card" back={{ href: "/payment-methods", label: "Payment methods" }} />
      <AddCardForm currentYear={new Date().getUTCFullYear()} defaultName={name} />
    </div>
  );
}
