import "server-only";
import { z } from "zod";
import { defineMethod, type RpcMethod } from "@/lib/rpc/define-method";
import { formatDateDashed, formatDateLong, formatDateShort, unixSeconds } from "@/lib/format/dates";
import { formatCents, formatMoneyPretty } from "@/lib/money/cents";
import { getBalanceCents } from "./balance";
import { billingHistoryForSession } from "./billing-history";
import { getInvoiceForSession, renderInvoiceHtml, renderInvoiceText } from "./invoice";
import { renderInvoicePdf } from "./invoice-pdf";
import { INVOICE_STATUS_LABEL } from "./invoice-status";
import { listInvoicesForSession, MAX_PAGE_SIZE } from "./list-invoices";
import { listPayments } from "./list-payments";

export const MONEY_CHAR = "$";

/** Optional whole number from an XML-RPC string or number; anything else → undefined (default). */
const optionalWhole = z.preprocess((v) => {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\s*\d{1,9}\s*$/.test(v)) return Number(v);
  return undefined;
}, z.number().int().optional());

/**
 * Portico adds pagination to Freeside's lists: `page` (from 1) and `page_size` (1–100). Without
 * them a caller gets the newest 100, which is every row for a Freeside client that never asked.
 */
const pageInput = z.object({ page: optionalWhole, page_size: optionalWhole.transform((v) => v ?? MAX_PAGE_SIZE) });

/**
 * invnum as the caller sent it; anything that is not a whole number is simply not found
 * (`getInvoiceForSession` checks the session first, then answers "Can't find invnum").
 */
const invnumInput = z.object({
  invnum: z.preprocess((v) => (typeof v === "string" && /^\s*\d{1,10}\s*$/.test(v) ? Number(v) : typeof v === "number" ? v : -1), z.number()),
});

export const billingMethods: RpcMethod[] = [
  defineMethod({
    name: "list_invoices",
    auth: "customer-in-read",
    input: pageInput,
    async run({ db, sessionToken }, input) {
      // The session check and the page are one statement.
      const loaded = await listInvoicesForSession(db, sessionToken, { page: input.page, pageSize: input.page_size });
      if (!loaded) return null;
      const { page } = loaded;
      return {
        balance: formatCents(page.balanceCents),
        money_char: MONEY_CHAR,
        invoices: page.invoices.map((i) => ({
          invnum: i.invnum,
          _date: unixSeconds(i.date),
          date: formatDateLong(i.date),
          date_short: formatDateDashed(i.date),
          previous: formatCents(i.previousBalanceCents),
          charged: formatCents(i.chargedCents),
          owed: formatCents(i.owedCents),
          balance: formatCents(i.runningOwedCents),
          lastpay: i.lastPaymentDate ? unixSeconds(i.lastPaymentDate) : "",
          // Portico additions
          status: i.status,
          status_label: INVOICE_STATUS_LABEL[i.status],
          due_date: unixSeconds(i.dueDate),
          due_date_pretty: formatDateShort(i.dueDate),
        })),
        legacy_invoices: [],
        page: page.page,
        page_size: page.pageSize,
        total: page.total,
        pages: page.pageCount,
      };
    },
  }),
  defineMethod({
    name: "invoice",
    auth: "customer-in-read",
    input: invnumInput,
    async run({ db, sessionToken }, input) {
      // The session check and the invoice are one statement.
      const loaded = await getInvoiceForSession(db, sessionToken, { invnum: input.invnum });
      if (!loaded) return null;
      const inv = loaded.invoice;
      return { invnum: inv.invnum, invoice_text: renderInvoiceText(inv), invoice_html: renderInvoiceHtml(inv) };
    },
  }),
  defineMethod({
    name: "invoice_pdf",
    auth: "customer-in-read",
    input: invnumInput,
    base64Fields: ["invoice_pdf"],
    async run({ db, sessionToken }, input) {
      const loaded = await getInvoiceForSession(db, sessionToken, { invnum: input.invnum });
      if (!loaded) return null;
      const inv = loaded.invoice;
      return { invnum: inv.invnum, invoice_pdf: await renderInvoicePdf(inv) };
    },
  }),
  defineMethod({
    name: "billing_history",
    auth: "customer-in-read",
    input: pageInput,
    async run({ db, sessionToken }, input) {
      // The session, the page of history, the balance and the next bill date: one statement.
      const loaded = await billingHistoryForSession(db, sessionToken, { page: input.page, pageSize: input.page_size, withNextBillDate: true });
      if (!loaded) return null;
      const h = loaded.history;
      const next = h.nextBillDate ?? null;
      const key = { Invoice: "charged", Payment: "paid", Credit: "credit", Refund: "refund" } as const;
      return {
        balance: formatCents(h.balanceCents),
        balance_pretty: formatMoneyPretty(h.balanceCents, MONEY_CHAR),
        next_bill_date: next ? unixSeconds(next) : "",
        next_bill_date_pretty: next ? formatDateShort(next) : "(none)",
        money_char: MONEY_CHAR,
        history: h.rows.map((r) => ({
          type: r.type,
          description: r.description,
          amount: formatCents(r.amountCents),
          [key[r.type]]: formatCents(Math.abs(r.amountCents)),
          date: unixSeconds(r.date),
          date_pretty: formatDateShort(r.date),
          balance: formatCents(r.balanceCents),
          amount_pretty: formatMoneyPretty(r.amountCents, MONEY_CHAR),
          balance_pretty: formatMoneyPretty(r.balanceCents, MONEY_CHAR),
          // Portico addition: the invnum / paynum / crednum / refundnum
          id: r.id,
        })),
        page: h.page,
        page_size: h.pageSize,
        total: h.total,
        pages: h.pageCount,
      };
    },
  }),
  defineMethod({
    name: "list_payments",
    auth: "customer",
    input: pageInput,
    async run({ db, customer }, input) {
      const custnum = customer.custnum;
      const [page, balance] = await Promise.all([listPayments(db, { custnum, page: input.page, pageSize: input.page_size }), getBalanceCents(db, custnum)]);
      return {
        balance: formatCents(balance),
        money_char: MONEY_CHAR,
        payments: page.payments.map((p) => ({
          paynum: p.paynum,
          _date: unixSeconds(p.date),
          date: formatDateLong(p.date),
          date_short: formatDateDashed(p.date),
          paid: formatCents(p.paidCents),
          payby: p.payby,
          paycardtype: p.paycardtype,
          paymask: p.paymask,
          processor: p.processor,
          auth: p.auth,
          order_number: p.orderNumber,
        })),
        page: page.page,
        page_size: page.pageSize,
        total: page.total,
        pages: page.pageCount,
      };
    },
  }),
];
