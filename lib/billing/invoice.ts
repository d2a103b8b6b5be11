import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { jsonColumn, queryRows } from "@/lib/db/rows";
import { customerScopeCte, type CustomerScope, type CustomerSession, type ScopeColumns } from "@/lib/auth/sessions";
import { AppError } from "@/lib/errors";
import { formatDateLong, formatDateShort } from "@/lib/format/dates";
import { escapeHtml } from "@/lib/format/html";
import { formatMoneyPretty } from "@/lib/money/cents";
import { INVOICE_STATUS_LABEL, type InvoiceStatus } from "./invoice-status";
import { invoiceDueDate, invoiceStatus, msToDate } from "./list-invoices";
import { paybyName } from "./payby";

/** Freeside's text for an invoice that is missing or not the customer's. */
export const INVOICE_NOT_FOUND = "Can't find invnum";

export interface InvoiceParty {
  name: string;
  /** Address lines, in print order (empty when unknown). */
  address: string[];
  email: string;
  phone: string;
}

export interface InvoiceLine {
  billpkgnum: number;
  pkgnum: number;
  kind: "setup" | "recur" | "onetime";
  description: string;
  quantity: number;
  unitCents: number;
  amountCents: number;
  /** The period a recurring charge covers: sdate up to (not including) edate. */
  sdate: Date | null;
  edate: Date | null;
}

export interface InvoiceTax {
  name: string;
  amountCents: number;
}

export interface InvoiceApplication {
  kind: "payment" | "credit";
  /** paynum or crednum. */
  id: number;
  /** When it was applied to this invoice. */
  date: Date;
  description: string;
  amountCents: number;
}

/** Everything an invoice shows, for the HTML, text and PDF renderings and the page. */
export interface InvoiceDto {
  invnum: number;
  custnum: number;
  date: Date;
  dueDate: Date;
  status: InvoiceStatus;
  statusLabel: string;
  terms: string;
  /** The ISP (the customer's agent). */
  isp: InvoiceParty;
  billTo: InvoiceParty & { company: string };
  lines: InvoiceLine[];
  taxes: InvoiceTax[];
  subtotalCents: number;
  taxCents: number;
  /** The invoice total (cust_bill.charged); lines + taxes always add up to it. */
  totalCents: number;
  previousBalanceCents: number;
  applied: InvoiceApplication[];
  appliedCents: number;
  /** What is still owed on this invoice (cust_bill.owed). */
  amountDueCents: number;
}

interface HeadRow {
  invnum: number;
  custnum: number;
  date: string | number;
  charged: string | number;
  owed: string | number;
  previous: string | number;
  terms: string | null;
  first: string;
  last: string;
  company: string | null;
  daytime: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  county: string | null;
  state: string | null;
  zip: string | null;
  country: string | null;
  agent: string;
  company_name: string | null;
  company_address: string | null;
  support_email: string | null;
  support_phone: string | null;
  email: string | null;
  /** cust_bill_pkg rows (lines and taxes), json. */
  items: unknown;
  /** Payments and credits applied to it, json. */
  applied: unknown;
}

/** Whether `n` can be an invnum at all (a positive PostgreSQL integer); anything else is simply not found. */
function isInvnum(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647;
}

/**
 * One invoice of one customer, read in one statement (its lines, taxes and the payments and
 * credits applied to it come as json). Another customer's invnum is not found, exactly like a
 * missing one (AppError NOT_FOUND, "Can't find invnum").
 */
export async function getInvoice(db: DbOrTx, args: { custnum: number; invnum: number; now?: Date }): Promise<InvoiceDto> {
  if (!isInvnum(args.invnum)) throw new AppError("NOT_FOUND", INVOICE_NOT_FOUND);
  const read = await readInvoice(db, { custnum: args.custnum }, args.invnum);
  if (!read?.head) throw new AppError("NOT_FOUND", INVOICE_NOT_FOUND);
  return toInvoiceDto(read.head, args.now ?? new Date());
}

/**
 * `getInvoice` for the customer whose session `token` is, with the session, in one statement
 * (the session check is the `CustomerScope` CTE of the same read). Null when the token is not a
 * valid customer session — checked first, whatever the invnum; with a valid one, an invnum that
 * is missing, another customer's or not a number at all is NOT_FOUND ("Can't find invnum").
 */
export async function getInvoiceForSession(
  db: DbOrTx,
  token: unknown,
  args: { invnum: number; now?: Date },
): Promise<{ session: CustomerSession; invoice: InvoiceDto } | null> {
  // An impossible invnum still checks the session (invnum 0 matches no invoice).
  const read = await readInvoice(db, { sessionToken: token, now: args.now }, isInvnum(args.invnum) ? args.invnum : 0);
  if (!read?.session) return null;
  if (!read.head) throw new AppError("NOT_FOUND", INVOICE_NOT_FOUND);
  return { session: read.session, invoice: toInvoiceDto(read.head, args.now ?? new Date()) };
}

async function readInvoice(db: DbOrTx, scope: CustomerScope, invnum: number): Promise<{ session: CustomerSession | null; head: HeadRow | null } | null> {
  const prepared = customerScopeCte(scope);
  if (!prepared) return null;
  // The scope row comes back whether or not the invoice is found: an invalid session reads
  // nothing, a valid one with someone else's (or no) invoice reads the session only.
  const rows = await queryRows<ScopeColumns & (HeadRow | { [K in keyof HeadRow]: null })>(
    db,
    sql`WITH ${prepared.cte}, inv AS (
          SELECT b.invnum, b.custnum, (extract(epoch FROM b._date) * 1000)::bigint AS date,
               (b.charged * 100)::bigint AS charged, (b.owed * 100)::bigint AS owed,
               (COALESCE(b.previous_balance, 0) * 100)::bigint AS previous,
               COALESCE(b.invoice_terms, c.invoice_terms) AS terms,
               c.first, c.last, c.company, c.daytime,
               l.address1, l.address2, l.city, l.county, l.state, l.zip, l.country,
               a.agent, a.company_name, a.company_address, a.support_email, a.support_phone,
               (SELECT i.dest FROM cust_main_invoice i WHERE i.custnum = c.custnum AND i.dest NOT IN ('POST', 'FAX')
                 ORDER BY i.destnum LIMIT 1) AS email,
               (SELECT COALESCE(json_agg(json_build_object(
                         'billpkgnum', bp.billpkgnum, 'pkgnum', bp.pkgnum, 'setup', (bp.setup * 100)::bigint,
                         'recur', (bp.recur * 100)::bigint, 'unitsetup', (bp.unitsetup * 100)::bigint,
                         'unitrecur', (bp.unitrecur * 100)::bigint, 'quantity', bp.quantity,
                         'sdate', (extract(epoch FROM bp.sdate) * 1000)::bigint, 'edate', (extract(epoch FROM bp.edate) * 1000)::bigint,
                         'itemdesc', bp.itemdesc, 'freq', COALESCE(bp.freq, pp.freq), 'pkg', pp.pkg) ORDER BY bp.billpkgnum), '[]'::json)
                  FROM cust_bill_pkg bp
                  LEFT JOIN cust_pkg p ON p.pkgnum = bp.pkgnum
                  LEFT JOIN part_pkg pp ON pp.pkgpart = p.pkgpart
                 WHERE bp.invnum = b.invnum) AS items,
               (SELECT COALESCE(json_agg(json_build_object('kind', x.kind, 'id', x.id, 'date', x.date, 'amount', x.amount,
                                                           'payby', x.payby, 'paymask', x.paymask, 'reason', x.reason)
                                         ORDER BY x.date, x.id), '[]'::json)
                  FROM (SELECT 'payment'::text AS kind, bp.paynum AS id, (extract(epoch FROM bp._date) * 1000)::bigint AS date,
                               (bp.amount * 100)::bigint AS amount, p.payby::text AS payby, p.paymask::text AS paymask, NULL::text AS reason
                          FROM cust_bill_pay bp JOIN cust_pay p ON p.paynum = bp.paynum
                         WHERE bp.invnum = b.invnum AND p.custnum = b.custnum
                        UNION ALL
                        SELECT 'credit', cb.crednum, (extract(epoch FROM cb._date) * 1000)::bigint, (cb.amount * 100)::bigint, NULL, NULL, cr.reason
                          FROM cust_credit_bill cb JOIN cust_credit cr ON cr.crednum = cb.crednum
                         WHERE cb.invnum = b.invnum AND cr.custnum = b.custnum) x) AS applied
          FROM cust_bill b
          JOIN cust_main c ON c.custnum = b.custnum
          JOIN agent a ON a.agentnum = c.agentnum
          LEFT JOIN cust_location l ON l.locationnum = c.bill_locationnum
         WHERE b.invnum = ${invnum} AND b.custnum = (SELECT custnum FROM scope)
        )
        SELECT ${prepared.columns}, inv.* FROM scope LEFT JOIN inv ON true`,
  );
  const row = rows[0];
  if (!row) return null;
  const session = await prepared.finish(db, row);
  return { session, head: row.invnum === null ? null : (row as HeadRow) };
}

function toInvoiceDto(head: HeadRow, now: Date): InvoiceDto {
  const itemRows = jsonColumn<
    {
      billpkgnum: number;
      pkgnum: number | null;
      setup: string | number;
      recur: string | number;
      unitsetup: string | number | null;
      unitrecur: string | number | null;
      quantity: number | null;
      sdate: string | number | null;
      edate: string | number | null;
      itemdesc: string | null;
      freq: string | null;
      pkg: string | null;
    }[]
  >(head.items);

  const lines: InvoiceLine[] = [];
  const taxes: InvoiceTax[] = [];
  for (const r of itemRows) {
    const setup = Number(r.setup);
    const recur = Number(r.recur);
    if (r.pkgnum === null) {
      taxes.push({ name: r.itemdesc ?? "Tax", amountCents: setup + recur });
      continue;
    }
    const name = r.itemdesc ?? r.pkg ?? `Package #${r.pkgnum}`;
    const quantity = Number(r.quantity ?? 1) || 1;
    const oneTime = r.freq === "0" || r.freq === "" || r.freq === null;
    if (setup !== 0) {
      lines.push({
        billpkgnum: Number(r.billpkgnum),
        pkgnum: Number(r.pkgnum),
        kind: oneTime ? "onetime" : "setup",
        description: oneTime ? name : `${name} setup`,
        quantity,
        unitCents: r.unitsetup !== null ? Number(r.unitsetup) : Math.round(setup / quantity),
        amountCents: setup,
        sdate: null,
        edate: null,
      });
    }
    if (recur !== 0) {
      lines.push({
        billpkgnum: Number(r.billpkgnum),
        pkgnum: Number(r.pkgnum),
        kind: "recur",
        description: name,
        quantity,
        unitCents: r.unitrecur !== null ? Number(r.unitrecur) : Math.round(recur / quantity),
        amountCents: recur,
        sdate: msToDate(r.sdate),
        edate: msToDate(r.edate),
      });
    }
  }

  const appliedRows = jsonColumn<{ kind: "payment" | "credit"; id: number; date: string | number; amount: string | number; payby: string | null; paymask: string | null; reason: string | null }[]>(
    head.applied,
  );
  const applied = appliedRows.map(
    (a): InvoiceApplication => ({
      kind: a.kind,
      id: Number(a.id),
      date: msToDate(a.date)!,
      description:
        a.kind === "payment"
          ? `Payment #${a.id}${a.payby ? ` (${paybyName(a.payby.trim())}${a.paymask ? ` ${a.paymask}` : ""})` : ""}`
          : `Credit #${a.id}${a.reason ? ` (${a.reason})` : ""}`,
      amountCents: Number(a.amount),
    }),
  );

  const date = msToDate(head.date)!;
  const dueDate = invoiceDueDate(date, head.terms);
  const totalCents = Number(head.charged);
  const owedCents = Number(head.owed);
  const status = invoiceStatus({ chargedCents: totalCents, owedCents, dueDate }, now);
  const subtotalCents = lines.reduce((s, l) => s + l.amountCents, 0);
  const taxCents = taxes.reduce((s, t) => s + t.amountCents, 0);

  const cityLine = [head.city, [head.state, head.zip].filter(Boolean).join("  ")].filter(Boolean).join(", ");
  const billAddress = head.address1
    ? [head.address1, head.address2, cityLine, head.country && head.country.trim() !== "US" ? head.country.trim() : null].filter((x): x is string => !!x && x.trim() !== "")
    : [];

  return {
    invnum: Number(head.invnum),
    custnum: Number(head.custnum),
    date,
    dueDate,
    status,
    statusLabel: INVOICE_STATUS_LABEL[status],
    terms: head.terms ?? "",
    isp: {
      name: head.company_name || head.agent,
      address: (head.company_address ?? "").split(/\r?\n/).map((s) => s.trim()).filter(Boolean),
      email: head.support_email ?? "",
      phone: head.support_phone ?? "",
    },
    billTo: {
      name: `${head.first} ${head.last}`,
      company: head.company ?? "",
      address: billAddress,
      email: head.email ?? "",
      phone: head.daytime ?? "",
    },
    lines,
    taxes,
    subtotalCents,
    taxCents,
    totalCents,
    previousBalanceCents: Number(head.previous),
    applied,
    appliedCents: applied.reduce((s, a) => s + a.amountCents, 0),
    amountDueCents: owedCents,
  };
}

/** "DSL 25 (01/01/2026 - 02/01/2026)" — Freeside prints a recurring line's period like this. */
export function lineLabel(l: InvoiceLine): string {
  const period = l.sdate && l.edate ? ` (${formatDateShort(l.sdate)} - ${formatDateShort(l.edate)})` : "";
  return `${l.description}${period}`;
}

/** "2 x $39.95" for quantities above one, else "". */
export function quantityLabel(l: InvoiceLine): string {
  return l.quantity > 1 ? `${l.quantity} x ${formatMoneyPretty(l.unitCents)}` : "";
}

const money = (c: number) => formatMoneyPretty(c);

/** The invoice as plain text (Freeside's invoice_text), 72 columns. */
export function renderInvoiceText(inv: InvoiceDto): string {
  const W = 72;
  const row = (left: string, right: string) => {
    const room = W - right.length - 1;
    const l = left.length > room ? `${left.slice(0, room - 1)}…` : left;
    return `${l.padEnd(room)} ${right}`;
  };
  const out: string[] = [];
  out.push(inv.isp.name, ...inv.isp.address);
  if (inv.isp.phone || inv.isp.email) out.push([inv.isp.phone, inv.isp.email].filter(Boolean).join("  "));
  out.push("");
  out.push(row(`Invoice #${inv.invnum}`, `Date: ${formatDateLong(inv.date)}`));
  out.push(row(`Customer #${inv.custnum}`, `Due: ${formatDateLong(inv.dueDate)}`));
  out.push(row("", `Status: ${inv.statusLabel}`));
  out.push("");
  out.push("Bill to:");
  out.push(`  ${inv.billTo.name}`);
  if (inv.billTo.company) out.push(`  ${inv.billTo.company}`);
  for (const a of inv.billTo.address) out.push(`  ${a}`);
  out.push("");
  out.push(row("Description", "Amount"));
  out.push("-".repeat(W));
  for (const l of inv.lines) {
    out.push(row(lineLabel(l), money(l.amountCents)));
    const q = quantityLabel(l);
    if (q) out.push(`  ${q}`);
  }
  out.push("-".repeat(W));
  out.push(row("Subtotal", money(inv.subtotalCents)));
  for (const t of inv.taxes) out.push(row(t.name, money(t.amountCents)));
  out.push(row("Total", money(inv.totalCents)));
  for (const a of inv.applied) out.push(row(`${a.description}, ${formatDateShort(a.date)}`, `-${money(a.amountCents)}`));
  out.push(row("Amount due", money(inv.amountDueCents)));
  if (inv.previousBalanceCents !== 0) {
    out.push("");
    out.push(`Balance before this invoice: ${money(inv.previousBalanceCents)}`);
  }
  return `${out.join("\n")}\n`;
}

const INVOICE_CSS = `
.portico-invoice{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#111;max-width:46rem;margin:0 auto;line-height:1.4}
.portico-invoice header{display:flex;justify-content:space-between;gap:2rem;align-items:flex-start;margin-bottom:1.5rem}
.portico-invoice h1{font-size:1.5rem;margin:0 0 .25rem}
.portico-invoice h2{font-size:1rem;margin:0 0 .25rem}
.portico-invoice address{font-style:normal}
.portico-invoice dl{display:grid;grid-template-columns:auto auto;gap:.1rem 1rem;margin:0}
.portico-invoice dt{font-weight:600}
.portico-invoice dd{margin:0;text-align:right}
.portico-invoice table{width:100%;border-collapse:collapse;margin:1rem 0}
.portico-invoice th,.portico-invoice td{padding:.35rem .5rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.portico-invoice .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.portico-invoice tfoot th,.portico-invoice tfoot td{border-bottom:none;font-weight:400}
.portico-invoice .total th,.portico-invoice .total td{font-weight:700;border-top:2px solid #111}
.portico-invoice .due th,.portico-invoice .due td{font-weight:700;font-size:1.1rem}
.portico-invoice .period,.portico-invoice .qty{color:#555;font-size:.9em}
@media print{.portico-invoice{max-width:none;font-size:11pt}.portico-invoice th,.portico-invoice td{border-color:#999}}
`.trim();

/**
 * The invoice as a self-contained HTML fragment (Freeside's invoice_html): one <article> with its
 * own scoped styles, including a print stylesheet. Every value is escaped.
 */
export function renderInvoiceHtml(inv: InvoiceDto): string {
  const e = escapeHtml;
  const lines = (xs: string[]) => xs.map(e).join("<br>");
  const ispContact = [inv.isp.phone, inv.isp.email].filter(Boolean);
  const body = inv.lines
    .map((l) => {
      const period = l.sdate && l.edate ? `<div class="period">${e(formatDateShort(l.sdate))} - ${e(formatDateShort(l.edate))}</div>` : "";
      const q = quantityLabel(l);
      return `<tr><td>${e(l.description)}${period}${q ? `<div class="qty">${e(q)}</div>` : ""}</td><td class="num">${e(money(l.amountCents))}</td></tr>`;
    })
    .join("");
  const foot = [
    `<tr><th scope="row">Subtotal</th><td class="num">${e(money(inv.subtotalCents))}</td></tr>`,
    ...inv.taxes.map((t) => `<tr><th scope="row">${e(t.name)}</th><td class="num">${e(money(t.amountCents))}</td></tr>`),
    `<tr class="total"><th scope="row">Total</th><td class="num">${e(money(inv.totalCents))}</td></tr>`,
    ...inv.applied.map(
      (a) => `<tr class="applied"><th scope="row">${e(a.description)}, ${e(formatDateShort(a.date))}</th><td class="num">-${e(money(a.amountCents))}</td></tr>`,
    ),
    `<tr class="due"><th scope="row">Amount due</th><td class="num">${e(money(inv.amountDueCents))}</td></tr>`,
  ].join("");
  return (
    `<article class="portico-invoice" data-invnum="${inv.invnum}"><style>${INVOICE_CSS}</style>` +
    `<header><div><h1>${e(inv.isp.name)}</h1><address>${lines(inv.isp.address)}${ispContact.length ? `<br>${lines(ispContact)}` : ""}</address></div>` +
    `<dl><dt>Invoice</dt><dd>#${inv.invnum}</dd><dt>Date</dt><dd>${e(formatDateLong(inv.date))}</dd>` +
    `<dt>Due</dt><dd>${e(formatDateLong(inv.dueDate))}</dd><dt>Customer</dt><dd>#${inv.custnum}</dd>` +
    `<dt>Status</dt><dd>${e(inv.statusLabel)}</dd></dl></header>` +
    `<section class="bill-to"><h2>Bill to</h2><address>${lines([inv.billTo.name, inv.billTo.company, ...inv.billTo.address].filter(Boolean))}</address></section>` +
    `<table><thead><tr><th scope="col">Description</th><th scope="col" class="num">Amount</th></tr></thead>` +
    `<tbody>${body}</tbody><tfoot>${foot}</tfoot></table>` +
    (inv.previousBalanceCents !== 0 ? `<p class="previous">Balance before this invoice: ${e(money(inv.previousBalanceCents))}</p>` : "") +
    `</article>`
  );
}
