"use client";

import { InvoiceStatusBadge } from "./invoice-status-badge";
import type { InvoiceView } from "./invoice-view";
import styles from "./invoice.module.css";

/**
 * One invoice, with the same content as renderInvoiceHtml (RPC) and the PDF, which render the
 * same InvoiceDto: the ISP (the customer's agent) and its address, the invoice facts, bill-to,
 * every line with its period and quantity, subtotal, taxes, total, payments and credits applied,
 * and the amount due. A client component fed the formatted InvoiceView (invoice-view.ts): the
 * server renders its elements once, not twice (see components/ui/table-view.tsx).
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

export function InvoiceDocument({ invoice: inv }: { invoice: InvoiceView }) {
  return (
    <article className={styles.invoice} data-testid="invoice" data-invnum={inv.invnum} aria-label={`Invoice ${inv.invnum}`}>
      <header className={styles.head}>
        <div>
          <p className={styles.isp}>{inv.ispName}</p>
          <address>
            <Lines lines={inv.ispLines} />
          </address>
        </div>
        <dl className={styles.facts}>
          <dt>Invoice</dt>
          <dd>#{inv.invnum}</dd>
          <dt>Date</dt>
          <dd>{inv.dateLong}</dd>
          <dt>Due</dt>
          <dd>{inv.dueLong}</dd>
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
          <Lines lines={inv.billToLines} />
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
            <tr key={l.key} data-testid="invoice-line">
              <th scope="row">
                {l.description}
                {l.period ? <span className={styles.detail}>{l.period}</span> : null}
                {l.quantity ? <span className={styles.detail}>{l.quantity}</span> : null}
              </th>
              <td className={styles.amount}>{l.amount}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Subtotal</th>
            <td className={styles.amount}>{inv.subtotal}</td>
          </tr>
          {inv.taxes.map((t) => (
            <tr key={t.key} data-testid="invoice-tax">
              <th scope="row">{t.name}</th>
              <td className={styles.amount}>{t.amount}</td>
            </tr>
          ))}
          <tr className={styles.total}>
            <th scope="row">Total</th>
            <td className={styles.amount} data-testid="invoice-total">
              {inv.total}
            </td>
          </tr>
          {inv.applied.map((a) => (
            <tr key={a.key} data-testid="invoice-applied">
              <th scope="row">{a.label}</th>
              <td className={styles.amount}>{a.amount}</td>
            </tr>
          ))}
          <tr className={styles.due}>
            <th scope="row">Amount due</th>
            <td className={styles.amount} data-testid="invoice-amount-due">
              {inv.amountDue}
            </td>
          </tr>
        </tfoot>
      </table>

      {inv.previousBalance ? <p className={styles.note}>Balance before this invoice: {inv.previousBalance}</p> : null}
    </article>
  );
}
