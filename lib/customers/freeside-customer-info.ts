import "server-only";
import { formatCents, formatMoneyPretty } from "@/lib/money/cents";
import { formatDateLong, formatDateShort, unixSeconds } from "@/lib/format/dates";
import { escapeHtml } from "@/lib/format/html";
import type { CustomerInfo, LocationView } from "./customer-info";
import { countryName, stateName } from "./region-names";

export const COUNTRY_DEFAULT = "US";
export const MONEY_CHAR = "$";

function addressKeys(prefix: "" | "ship_", l: LocationView | null): Record<string, string> {
  return {
    [`${prefix}address1`]: l?.address1 ?? "",
    [`${prefix}address2`]: l?.address2 ?? "",
    [`${prefix}city`]: l?.city ?? "",
    [`${prefix}county`]: l?.county ?? "",
    [`${prefix}state`]: l?.state ?? "",
    [`${prefix}zip`]: l?.zip ?? "",
    [`${prefix}country`]: l?.country ?? "",
  };
}

/** Freeside's small_custview: a compact customer block (name, address, phone, balance). */
export function smallCustview(info: CustomerInfo, opts: { withBalance: boolean }): string {
  const l = info.billLocation;
  const lines = [
    `Customer #<b>${info.custnum}</b>`,
    escapeHtml(`${info.last}, ${info.first}`),
    info.company ? escapeHtml(info.company) : null,
    l ? escapeHtml(l.address1) : null,
    l?.address2 ? escapeHtml(l.address2) : null,
    l ? escapeHtml([l.city, l.county ? `(${l.county} county)` : "", l.state ? stateName(l.country, l.state) : "", l.zip].filter(Boolean).join(" ")) : null,
    l && l.country !== COUNTRY_DEFAULT ? escapeHtml(countryName(l.country)) : null,
    info.daytime ? `Day: ${escapeHtml(info.daytime)}` : null,
    info.night ? `Night: ${escapeHtml(info.night)}` : null,
    info.mobile ? `Mobile: ${escapeHtml(info.mobile)}` : null,
  ].filter(Boolean);
  const balance = opts.withBalance
    ? `<br><br>(Balance: <b>${escapeHtml(formatMoneyPretty(info.balanceCents, MONEY_CHAR))}</b>)`
    : "";
  return `<table class="small_custview" border="0" cellspacing="0" cellpadding="2"><tr><td valign="top">${lines.join("<br>")}${balance}</td></tr></table>`;
}

/** The Freeside `customer_info` result (every key its clients read), from Portico's DTO. */
export function toFreesideCustomerInfo(info: CustomerInfo, session: { svcnum: number | null }): Record<string, unknown> {
  const svc = session.svcnum ? info.packages.flatMap((p) => p.services).find((s) => s.svcnum === session.svcnum) : undefined;
  return {
    custnum: info.custnum,
    display_custnum: info.custnum,
    balance: formatCents(info.balanceCents),
    balance_pretty: formatMoneyPretty(info.balanceCents, MONEY_CHAR),
    money_char: MONEY_CHAR,
    next_bill_date: info.nextBillDate ? unixSeconds(info.nextBillDate) : "",
    next_bill_date_pretty: info.nextBillDate ? formatDateShort(info.nextBillDate) : "(none)",
    last_invoice_date: info.lastInvoiceDate ? unixSeconds(info.lastInvoiceDate) : "",
    last_invoice_date_pretty: info.lastInvoiceDate ? formatDateShort(info.lastInvoiceDate) : "",
    countrydefault: COUNTRY_DEFAULT,
    small_custview: smallCustview(info, { withBalance: true }),
    first: info.first,
    last: info.last,
    name: `${info.first} ${info.last}`,
    company: info.company,
    daytime: info.daytime,
    night: info.night,
    fax: info.fax,
    mobile: info.mobile,
    locale: info.locale,
    ss: info.ssMasked,
    stateid: "",
    stateid_state: "",
    ...addressKeys("", info.billLocation),
    ...addressKeys("ship_", info.shipLocation ?? info.billLocation),
    has_ship_address: info.shipLocation ? 1 : 0,
    ...(info.shipLocation ? { ship_first: info.first, ship_last: info.last } : {}),
    invoicing_list: info.invoiceEmails.join(", "),
    postal_invoicing: info.postalInvoice,
    require_address2: false,
    open_invoices: info.openInvoices.map((i) => ({
      invnum: i.invnum,
      date: formatDateLong(i.date),
      owed: formatCents(i.owedCents),
      charged: formatCents(i.chargedCents),
    })),
    status: info.statusLabel,
    status_label: info.statusLabel,
    statuscolor: info.statusColor,
    ...(svc ? { svcnum: svc.svcnum, svc_label: svc.svc, svc_value: svc.value } : {}),
    tickets: [],
  };
}
