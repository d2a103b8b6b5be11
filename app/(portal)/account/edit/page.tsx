import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { getCustomerInfo } from "@/lib/customers/customer-info";
import { listRegions } from "@/lib/customers/regions";
import { toLocationValues } from "@/lib/customers/location-schema";
import { COUNTRY_DEFAULT } from "@/lib/customers/freeside-customer-info";
import { EditDetailsForm } from "./edit-details-form";

export const metadata: Metadata = { title: "Edit your details" };

export default async function EditAccountPage() {
  const session = await requireCustomerPage("/account/edit");
  const db = await getDb();
  const [info, regions] = await Promise.all([getCustomerInfo(db, session.custnum), listRegions(db)]);
  return (
    <div className="stack narrow">
      <PageHeader title="Edit your details" back={{ href: "/account", label: "Your account" }} />
      <EditDetailsForm
        regions={regions}
        initial={{
          first: info.first,
          last: info.last,
          company: info.company,
          daytime: info.daytime,
          night: info.night,
          mobile: info.mobile,
          fax: info.fax,
          ...toLocationValues(info.billLocation, COUNTRY_DEFAULT),
          invoicing_list: info.invoiceEmails.join(", "),
          postal_invoicing: info.postalInvoice,
        }}
      />
    </div>
  );
}
