import "server-only";
import PDFDocument from "pdfkit";
import { formatDateLong, formatDateShort } from "@/lib/format/dates";
import { formatMoneyPretty } from "@/lib/money/cents";
import { quantityLabel, type InvoiceDto } from "./invoice";

/**
 * The invoice as a PDF (Freeside's invoice_pdf), with the same content as renderInvoiceHtml:
 * the ISP's name and address, bill-to, lines with their periods, taxes, payments and credits
 * applied, amount due. pdfkit with the built-in Helvetica (no font files are read or fetched).
 */

/** Built-in PDF fonts speak WinAnsi only: anything else becomes "?" rather than garbage. */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
export function pdfSafe(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch) ? ch : c === 0x09 ? " " : "?";
  }
  return out;
}

const money = (c: number) => formatMoneyPretty(c);

export async function renderInvoicePdf(inv: InvoiceDto): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "LETTER",
    margin: 50,
    compress: true,
    info: {
      Title: pdfSafe(`Invoice ${inv.invnum}`),
      Author: pdfSafe(inv.isp.name),
      Subject: pdfSafe(`Invoice ${inv.invnum} for customer ${inv.custnum}`),
      CreationDate: inv.date,
      ModDate: inv.date,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  const amountWidth = 120;
  const descWidth = right - left - amountWidth - 10;
  const t = (s: string) => pdfSafe(s);

  const ensureRoom = (h: number) => {
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  const row = (label: string, amount: string, opts: { bold?: boolean; sub?: string[] } = {}) => {
    const font = opts.bold ? "Helvetica-Bold" : "Helvetica";
    doc.font(font).fontSize(10);
    const h = Math.max(doc.heightOfString(t(label), { width: descWidth }), 12) + (opts.sub?.length ?? 0) * 11;
    ensureRoom(h + 6);
    const y = doc.y;
    doc.text(t(label), left, y, { width: descWidth });
    for (const s of opts.sub ?? []) doc.font("Helvetica").fontSize(8.5).fillColor("#555555").text(t(s), left + 10, doc.y, { width: descWidth - 10 }).fillColor("#000000");
    const endY = doc.y;
    doc.font(font).fontSize(10).text(t(amount), right - amountWidth, y, { width: amountWidth, align: "right" });
    doc.y = Math.max(endY, doc.y) + 4;
    doc.x = left;
  };
  const rule = (weight = 0.5) => {
    ensureRoom(6);
    doc.moveTo(left, doc.y).lineTo(right, doc.y).lineWidth(weight).strokeColor("#999999").stroke();
    doc.y += 5;
  };

  // Header: the ISP on the left, the invoice facts on the right.
  const top = doc.y;
  doc.font("Helvetica-Bold").fontSize(16).text(t(inv.isp.name), left, top, { width: 300 });
  doc.font("Helvetica").fontSize(10);
  for (const a of inv.isp.address) doc.text(t(a), { width: 300 });
  for (const c of [inv.isp.phone, inv.isp.email].filter(Boolean)) doc.text(t(c), { width: 300 });
  const leftBottom = doc.y;

  const facts: [string, string][] = [
    ["Invoice", `#${inv.invnum}`],
    ["Date", formatDateLong(inv.date)],
    ["Due", formatDateLong(inv.dueDate)],
    ["Customer", `#${inv.custnum}`],
    ["Status", inv.statusLabel],
  ];
  let fy = top;
  for (const [k, v] of facts) {
    doc.font("Helvetica-Bold").fontSize(10).text(t(k), right - 220, fy, { width: 80 });
    doc.font("Helvetica").fontSize(10).text(t(v), right - 140, fy, { width: 140, align: "right" });
    fy += 14;
  }
  doc.y = Math.max(leftBottom, fy) + 20;
  doc.x = left;

  doc.font("Helvetica-Bold").fontSize(11).text("Bill to", left, doc.y);
  doc.font("Helvetica").fontSize(10);
  for (const l of [inv.billTo.name, inv.billTo.company, ...inv.billTo.address].filter(Boolean)) doc.text(t(l), left);
  doc.moveDown(1.5);

  row("Description", "Amount", { bold: true });
  rule(1);
  for (const l of inv.lines) {
    const sub: string[] = [];
    if (l.sdate && l.edate) sub.push(`${formatDateShort(l.sdate)} - ${formatDateShort(l.edate)}`);
    const q = quantityLabel(l);
    if (q) sub.push(q);
    row(l.description, money(l.amountCents), { sub });
  }
  rule();
  row("Subtotal", money(inv.subtotalCents));
  for (const tax of inv.taxes) row(tax.name, money(tax.amountCents));
  rule(1);
  row("Total", money(inv.totalCents), { bold: true });
  for (const a of inv.applied) row(`${a.description}, ${formatDateShort(a.date)}`, `-${money(a.amountCents)}`);
  row("Amount due", money(inv.amountDueCents), { bold: true });
  if (inv.previousBalanceCents !== 0) {
    doc.moveDown(1);
    doc.font("Helvetica").fontSize(9).text(t(`Balance before this invoice: ${money(inv.previousBalanceCents)}`), left);
  }

  doc.end();
  return done;
}
