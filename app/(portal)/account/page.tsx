import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { redirectToLogin, sessionCookieToken } from "@/lib/auth/current-session";
import { getCustomerInfoForSession, type CustomerInfo, type LocationView, type PackageSummary } from "@/lib/customers/customer-info";
import { countryName, stateName } from "@/lib/customers/region-names";
import { formatMoneyPretty } from "@/lib/money/cents";
import { formatDateHuman } from "@/lib/format/dates";
import { freqPretty } from "@/lib/packages/status";
import { AccountOverview, type AccountView, type AddressLines, type PackageView } from "./account-overview";

export const metadata: Metadata = { title: "Your account" };

function addressLines(l: LocationView): AddressLines {
  const locality = [l.city, l.state ? stateName(l.country, l.state) : "", l.zip].filter(Boolean).join(", ");
  return [l.address2 ? `${l.address1}, ${l.address2}` : l.address1, l.county ? `${locality} (${l.county} County)` : locality, countryName(l.country)];
}

function packageView(p: PackageSummary): PackageView {
  const price = p.freq === "0" ? formatMoneyPretty(p.setupFeeCents * p.quantity) : `${formatMoneyPretty(p.recurFeeCents * p.quantity)} ${freqPretty(p.freq)}`;
  const nextBill = p.cancel ? `Cancelled ${formatDateHuman(p.cancel)}` : p.bill && p.freq !== "0" && !p.susp ? formatDateHuman(p.bill) : "—";
  return {
    pkgnum: p.pkgnum,
    name: p.quantity > 1 ? `${p.pkg} × ${p.quantity}` : p.pkg,
    status: p.status,
    price,
    nextBill,
    services: p.services.map((s) => ({ svcnum: s.svcnum, svc: s.svc, value: s.value })),
  };
}

/** The account as /account shows it: every figure and date formatted here, on the server. */
function accountView(info: CustomerInfo): AccountView {
  return {
    custnum: info.custnum,
    name: `${info.first} ${info.last}`,
    company: info.company,
    status: info.status,
    balance: formatMoneyPretty(info.balanceCents),
    owed: info.balanceCents > 0,
    credit: info.balanceCents < 0,
    openInvoices: info.openInvoices.map((i) => ({ invnum: i.invnum, date: formatDateHuman(i.date), owed: formatMoneyPretty(i.owedCents) })),
    nextBill: info.nextBillDate ? formatDateHuman(info.nextBillDate) : null,
    lastInvoice: info.lastInvoiceDate ? formatDateHuman(info.lastInvoiceDate) : null,
    daytime: info.daytime,
    night: info.night,
    mobile: info.mobile,
    invoiceEmails: info.invoiceEmails,
    postalInvoice: info.postalInvoice,
    billAddress: info.billLocation ? addressLines(info.billLocation) : null,
    shipAddress: info.shipLocation ? addressLines(info.shipLocation) : null,
    packages: info.packages.map(packageView),
  };
}

export default async function AccountPage() {
  // The cookie first (it makes the page dynamic), then the session check and the account as one statement.
  const token = await sessionCookieToken();
  const loaded = await getCustomerInfoForSession(await getDb(), token);
  if (!loaded) redirectToLogin("/account");
  return <AccountOverview view={accountView(loaded.info)} />;
}
