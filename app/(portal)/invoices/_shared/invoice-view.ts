import type { InvoiceDto } from "@/lib/billing/invoice";
import type { InvoiceStatus } from "@/lib/billing/invoice-status";
import { formatDateHuman, formatDateLong, formatDateShort } from "@/lib/format/dates";
import { formatMoneyPretty } from "@/lib/money/cents";

/**
 * An invoice as the page shows it: every date and amount already formatted, on the server, so
 * that InvoiceDocument and InvoicePageView (client components, rendered once) format nothing and
 * the browser, hydrating, computes nothing that could differ (time zone, locale).
 */
export interface InvoiceView {
  invnum: number;
  custnum: number;
  status: InvoiceStatus;
  /** "Nov 3rd, 2026" (the document). */
  dateLong: string;
  dueLong: string;
  /** "3 Nov 2026" (the page header). */
  dateHuman: string;
  dueHuman: string;
  ispName: string;
  /** The ISP's address lines, then its phone and e-mail. */
  ispLines: string[];
  /** Name, company, address lines. */
  billToLines: string[];
  lines: { key: string; description: string; period: string | null; quantity: string | null; amount: string }[];
  subtotal: string;
  taxes: { key: string; name: string; amount: string }[];
  total: string;
  applied: { key: string; label: string; amount: string }[];
  amountDue: string;
  /** Something is still owed on it. */
  owed: boolean;
  /** "Balance before this invoice", when not zero. */
  previousBalance: string | null;
}

export function invoiceView(inv: InvoiceDto): InvoiceView {
  const money = formatMoneyPretty;
  return {
    invnum: inv.invnum,
    custnum: inv.custnum,
    status: inv.status,
    dateLong: formatDateLong(inv.date),
    dueLong: formatDateLong(inv.dueDate),
    dateHuman: formatDateHuman(inv.date),
    dueHuman: formatDateHuman(inv.dueDate),
    ispName: inv.isp.name,
    ispLines: [...inv.isp.address, ...[inv.isp.phone, inv.isp.email].filter(Boolean)],
    billToLines: [inv.billTo.name, inv.billTo.company, ...inv.billTo.address].filter(Boolean),
    lines: inv.lines.map((l) => ({
      key: `${l.billpkgnum}-${l.kind}`,
      description: l.description,
      period: l.sdate && l.edate ? `${formatDateShort(l.sdate)} – ${formatDateShort(l.edate)}` : null,
      quantity: l.quantity > 1 ? `${l.quantity} × ${money(l.unitCents)}` : null,
      amount: money(l.amountCents),
    })),
    subtotal: money(inv.subtotalCents),
    taxes: inv.taxes.map((t, i) => ({ key: `tax-${i}`, name: t.name, amount: money(t.amountCents) })),
    total: money(inv.totalCents),
    applied: inv.applied.map((a) => ({
      key: `${a.kind}-${a.id}-${a.date.getTime()}`,
      label: `${a.description}, ${formatDateShort(a.date)}`,
      amount: `-${money(a.amountCents)}`,
    })),
    amountDue: money(inv.amountDueCents),
    owed: inv.amountDueCents > 0,
    previousBalance: inv.previousBalanceCents !== 0 ? money(inv.previousBalanceCents) : null,
  };
}
