import type { InvoiceDto, InvoiceLine } from "@/lib/billing/invoice";
import { formatDateLong, formatDateShort } from "@/lib/format/dates";
import { formatMoneyPretty } from "@/lib/money/cents";
import { InvoiceStatusBadge } from "./invoice-status-badge";
import styles from "./invoice.module.css";

/**
 * One invoice, rendered from the same InvoiceDto as renderInvoiceHtml (RPC) and the PDF, with
 * the same content: the ISP (the customer's agent) and its address, the invoice facts, bill-to,
 * every line with its period and quantity, subtotal, taxes, total, payments and credits applied,
 * and the amount due. Pure (no hooks), for Server Components.
 */
function Lines({ lines }: { lines: string[] }) {
  return (
    <>
      {lines.map((l, i) => (
        <span key={i}>
          {i > 0 ? <br /> : null}
          {l}
        </span>
      ))}
    </>
  );
}

function LineDetail({ line }: { line: InvoiceLine }) {
  return (
    <>
      {line.sdate && line.edate ? (
        <span className={styles.detail}>
          {formatDateShort(line.sdate)} – {formatDateShort(line.edate)}
        </span>
      ) : null}
      {line.quantity > 1 ? (
        <span className={styles.detail}>
          {line.quantity} × {formatMoneyPretty(line.unitCents)}
        </span>
      ) : null}
    </>
  );
}

export function InvoiceDocument({ invoice: inv }: { invoice: InvoiceDto }) {
  const ispContact = [inv.isp.phone, inv.isp.email].filter(Boolean);
  return (
    <article className={styles.invoice} data-testid="invoice" data-invnum={inv.invnum} aria-label={`Invoice ${inv.invnum}`}>
      <header className={styles.head}>
        <div>
          <p className={styles.isp}>{inv.isp.name}</p>
          <address>
            <Lines lines={[...inv.isp.address, ...ispContact]} />
          </address>
        </div>
        <dl className={styles.facts}>
          <dt>Invoice</dt>
          <dd>#{inv.invnum}</dd>
          <dt>Date</dt>
          <dd>{formatDateLong(inv.date)}</dd>
          <dt>Due</dt>
          <dd>{formatDateLong(inv.dueDate)}</dd>
          <dt>Customer</dt>
          <dd>#{inv.custnum}</dd>
          <dt>Status</dt>
          <dd>
            <InvoiceStatusBadge status={inv.status} />
          </dd>
        </dl>
      </header>

      <section className={styles.billTo} aria-labelledby="bill-to-heading">
        <h2 id="bill-to-heading">Bill to</h2>
        <address>
          <Lines lines={[inv.billTo.name, inv.billTo.company, ...inv.billTo.address].filter(Boolean)} />
        </address>
      </section>

      <table className={styles.lines} data-testid="invoice-lines">
        <caption>Charges</caption>
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col" className={styles.amount}>
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {inv.lines.map((l) => (
            <tr key={`${l.billpkgnum}-${l.kind}`} data-testid="invoice-line">
              <th scope="row">
                {l.description}
                <LineDetail line={l} />
              </th>
              <td className={styles.amount}>{formatMoneyPretty(l.amountCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Subtotal</th>
            <td className={styles.amount}>{formatMoneyPretty(inv.subtotalCents)}</td>
          </tr>
          {inv.taxes.map((t, i) => (
            <tr key={`tax-${i}`} data-testid="invoice-tax">
              <th scope="row">{t.name}</th>
              <td className={styles.amount}>{formatMoneyPretty(t.amountCents)}</td>
            </tr>
          ))}
          <tr className={styles.total}>
            <th scope="row">Total</th>
            <td className={styles.amount} data-testid="invoice-total">
              {formatMoneyPretty(inv.totalCents)}
            </td>
          </tr>
          {inv.applied.map((a) => (
            <tr key={`${a.kind}-${a.id}-${a.date.getTime()}`} data-testid="invoice-applied">
              <th scope="row">
                {a.description}, {formatDateShort(a.date)}
              </th>
              <td className={styles.amount}>-{formatMoneyPretty(a.amountCents)}</td>
            </tr>
          ))}
          <tr className={styles.due}>
            <th scope="row">Amount due</th>
            <td className={styles.amount} data-testid="invoice-amount-due">
              {formatMoneyPretty(inv.amountDueCents)}
            </td>
          </tr>
        </tfoot>
      </table>

      {inv.previousBalanceCents !== 0 ? <p className={styles.note}>Balance before this invoice: {formatMoneyPretty(inv.previousBalanceCents)}</p> : null}
    </article>
  );
}
