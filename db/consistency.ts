import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "./client";
import { queryRows } from "../lib/db/rows";
import { balanceSql } from "../lib/billing/balance";

/**
 * The money rules of the billing engine, checked over the whole database at once (set-based SQL,
 * one query per rule). `npm run db:check` prints the outcome; the scale seed's tests use it too.
 * Each check returns how many rows break the rule and up to `examples` of them.
 */
export interface CheckOutcome {
  name: string;
  description: string;
  /** Rows the rule was checked on. */
  checked: number;
  violations: number;
  examples: string[];
  ms: number;
}

interface CheckDef {
  name: string;
  description: string;
  /** Rows the rule applies to. */
  scope: SQL;
  /** One row per violation, with a `detail` text column; ordered for stable examples. */
  violations: SQL;
}

const cents = (expr: string) => sql.raw(`((${expr}) * 100)::bigint`);

const CHECKS: CheckDef[] = [
  {
    name: "invoice lines add up",
    description: "every invoice's lines (setup + recurring, tax lines included) sum to its total (cust_bill.charged)",
    scope: sql`SELECT count(*) FROM cust_bill`,
    violations: sql`SELECT format('invoice %s (customer %s): charged %s, lines %s', b.invnum, b.custnum, b.charged, COALESCE(l.total, 0)) AS detail
                      FROM cust_bill b
                      LEFT JOIN (SELECT invnum, sum(setup + recur) AS total FROM cust_bill_pkg GROUP BY invnum) l ON l.invnum = b.invnum
                     WHERE b.charged <> COALESCE(l.total, 0)
                     ORDER BY b.invnum`,
  },
  {
    name: "tax lines match their detail",
    description: "every tax line equals the sum of its per-line tax amounts (cust_bill_pkg_tax_location)",
    scope: sql`SELECT count(DISTINCT billpkgnum) FROM cust_bill_pkg_tax_location`,
    violations: sql`SELECT format('tax line %s of invoice %s: %s, detail %s', t.billpkgnum, t.invnum, t.setup + t.recur, d.total) AS detail
                      FROM cust_bill_pkg t
                      JOIN (SELECT billpkgnum, sum(amount) AS total FROM cust_bill_pkg_tax_location GROUP BY billpkgnum) d ON d.billpkgnum = t.billpkgnum
                     WHERE t.setup + t.recur <> d.total
                     ORDER BY t.billpkgnum`,
  },
  {
    name: "payments not over-applied",
    description: "what a payment pays on invoices plus what is refunded from it never exceeds the payment",
    scope: sql`SELECT count(*) FROM cust_pay`,
    violations: sql`SELECT format('payment %s (customer %s): paid %s, applied %s, refunded %s', p.paynum, p.custnum, p.paid, COALESCE(a.s, 0), COALESCE(r.s, 0)) AS detail
                      FROM cust_pay p
                      LEFT JOIN (SELECT paynum, sum(amount) AS s FROM cust_bill_pay GROUP BY paynum) a ON a.paynum = p.paynum
                      LEFT JOIN (SELECT paynum, sum(amount) AS s FROM cust_pay_refund GROUP BY paynum) r ON r.paynum = p.paynum
                     WHERE COALESCE(a.s, 0) + COALESCE(r.s, 0) > p.paid
                     ORDER BY p.paynum`,
  },
  {
    name: "credits not over-applied",
    description: "what a credit pays on invoices plus what is refunded from it never exceeds the credit",
    scope: sql`SELECT count(*) FROM cust_credit`,
    violations: sql`SELECT format('credit %s (customer %s): amount %s, applied %s, refunded %s', c.crednum, c.custnum, c.amount, COALESCE(a.s, 0), COALESCE(r.s, 0)) AS detail
                      FROM cust_credit c
                      LEFT JOIN (SELECT crednum, sum(amount) AS s FROM cust_credit_bill GROUP BY crednum) a ON a.crednum = c.crednum
                      LEFT JOIN (SELECT crednum, sum(amount) AS s FROM cust_credit_refund GROUP BY crednum) r ON r.crednum = c.crednum
                     WHERE COALESCE(a.s, 0) + COALESCE(r.s, 0) > c.amount
                     ORDER BY c.crednum`,
  },
  {
    name: "refunds not over-applied",
    description: "what a refund takes from payments and credits never exceeds the refund",
    scope: sql`SELECT count(*) FROM cust_refund`,
    violations: sql`SELECT format('refund %s (customer %s): refund %s, from payments %s, from credits %s', f.refundnum, f.custnum, f.refund, COALESCE(p.s, 0), COALESCE(c.s, 0)) AS detail
                      FROM cust_refund f
                      LEFT JOIN (SELECT refundnum, sum(amount) AS s FROM cust_pay_refund GROUP BY refundnum) p ON p.refundnum = f.refundnum
                      LEFT JOIN (SELECT refundnum, sum(amount) AS s FROM cust_credit_refund GROUP BY refundnum) c ON c.refundnum = f.refundnum
                     WHERE COALESCE(p.s, 0) + COALESCE(c.s, 0) > f.refund
                     ORDER BY f.refundnum`,
  },
  {
    name: "invoices not over-paid, owed exact",
    description: "payments and credits applied to an invoice never exceed it, and owed = charged − those applications",
    scope: sql`SELECT count(*) FROM cust_bill`,
    violations: sql`SELECT format('invoice %s (customer %s): charged %s, payments %s, credits %s, owed %s', b.invnum, b.custnum, b.charged, COALESCE(p.s, 0), COALESCE(c.s, 0), b.owed) AS detail
                      FROM cust_bill b
                      LEFT JOIN (SELECT invnum, sum(amount) AS s FROM cust_bill_pay GROUP BY invnum) p ON p.invnum = b.invnum
                      LEFT JOIN (SELECT invnum, sum(amount) AS s FROM cust_credit_bill GROUP BY invnum) c ON c.invnum = b.invnum
                     WHERE COALESCE(p.s, 0) + COALESCE(c.s, 0) > b.charged
                        OR b.owed <> b.charged - COALESCE(p.s, 0) - COALESCE(c.s, 0)
                     ORDER BY b.invnum`,
  },
  {
    name: "applications stay within one customer",
    description: "a payment, credit or refund is only ever applied to the same customer's invoices, payments or credits",
    scope: sql`SELECT (SELECT count(*) FROM cust_bill_pay) + (SELECT count(*) FROM cust_credit_bill) + (SELECT count(*) FROM cust_pay_refund) + (SELECT count(*) FROM cust_credit_refund)`,
    violations: sql`SELECT format('payment %s of customer %s applied to invoice %s of customer %s', p.paynum, p.custnum, b.invnum, b.custnum) AS detail
                      FROM cust_bill_pay a JOIN cust_pay p ON p.paynum = a.paynum JOIN cust_bill b ON b.invnum = a.invnum WHERE p.custnum <> b.custnum
                    UNION ALL
                    SELECT format('credit %s of customer %s applied to invoice %s of customer %s', c.crednum, c.custnum, b.invnum, b.custnum)
                      FROM cust_credit_bill a JOIN cust_credit c ON c.crednum = a.crednum JOIN cust_bill b ON b.invnum = a.invnum WHERE c.custnum <> b.custnum
                    UNION ALL
                    SELECT format('refund %s of customer %s taken from payment %s of customer %s', f.refundnum, f.custnum, p.paynum, p.custnum)
                      FROM cust_pay_refund a JOIN cust_pay p ON p.paynum = a.paynum JOIN cust_refund f ON f.refundnum = a.refundnum WHERE p.custnum <> f.custnum
                    UNION ALL
                    SELECT format('refund %s of customer %s taken from credit %s of customer %s', f.refundnum, f.custnum, c.crednum, c.custnum)
                      FROM cust_credit_refund a JOIN cust_credit c ON c.crednum = a.crednum JOIN cust_refund f ON f.refundnum = a.refundnum WHERE c.custnum <> f.custnum`,
  },
  {
    name: "balances agree",
    description:
      "each customer's balance, invoices − payments − credits + refunds, equals what is owed on open invoices − unapplied payments − unapplied credits + unapplied refunds",
    scope: sql`SELECT count(*) FROM cust_main`,
    violations: sql`WITH inv AS (SELECT custnum, sum(charged) AS charged, sum(owed) AS owed FROM cust_bill GROUP BY custnum),
                    pay AS (SELECT p.custnum, sum(p.paid) AS paid,
                                   sum(p.paid - COALESCE(a.s, 0) - COALESCE(r.s, 0)) AS unapplied
                              FROM cust_pay p
                              LEFT JOIN (SELECT paynum, sum(amount) AS s FROM cust_bill_pay GROUP BY paynum) a ON a.paynum = p.paynum
                              LEFT JOIN (SELECT paynum, sum(amount) AS s FROM cust_pay_refund GROUP BY paynum) r ON r.paynum = p.paynum
                             GROUP BY p.custnum),
                    cred AS (SELECT c.custnum, sum(c.amount) AS amount,
                                    sum(c.amount - COALESCE(a.s, 0) - COALESCE(r.s, 0)) AS unapplied
                               FROM cust_credit c
                               LEFT JOIN (SELECT crednum, sum(amount) AS s FROM cust_credit_bill GROUP BY crednum) a ON a.crednum = c.crednum
                               LEFT JOIN (SELECT crednum, sum(amount) AS s FROM cust_credit_refund GROUP BY crednum) r ON r.crednum = c.crednum
                              GROUP BY c.custnum),
                    ref AS (SELECT f.custnum, sum(f.refund) AS refund,
                                   sum(f.refund - COALESCE(p.s, 0) - COALESCE(c.s, 0)) AS unapplied
                              FROM cust_refund f
                              LEFT JOIN (SELECT refundnum, sum(amount) AS s FROM cust_pay_refund GROUP BY refundnum) p ON p.refundnum = f.refundnum
                              LEFT JOIN (SELECT refundnum, sum(amount) AS s FROM cust_credit_refund GROUP BY refundnum) c ON c.refundnum = f.refundnum
                             GROUP BY f.custnum),
                    bal AS (
                      SELECT m.custnum,
                             COALESCE(inv.charged, 0) - COALESCE(pay.paid, 0) - COALESCE(cred.amount, 0) + COALESCE(ref.refund, 0) AS balance,
                             COALESCE(inv.owed, 0) - COALESCE(pay.unapplied, 0) - COALESCE(cred.unapplied, 0) + COALESCE(ref.unapplied, 0) AS open_balance
                        FROM cust_main m
                        LEFT JOIN inv ON inv.custnum = m.custnum LEFT JOIN pay ON pay.custnum = m.custnum
                        LEFT JOIN cred ON cred.custnum = m.custnum LEFT JOIN ref ON ref.custnum = m.custnum)
                    SELECT format('customer %s: invoices − payments − credits + refunds = %s, open items say %s', custnum, balance, open_balance) AS detail
                      FROM bal WHERE balance <> open_balance ORDER BY custnum`,
  },
  {
    name: "unapplied money goes to open invoices",
    description: "no customer has money left unapplied (payments, credits) while one of their invoices is still open (the engine applies it at once)",
    scope: sql`SELECT count(*) FROM cust_main`,
    violations: sql`WITH open_inv AS (SELECT custnum, count(*) AS n FROM cust_bill WHERE owed > 0 GROUP BY custnum),
                    free AS (
                      SELECT p.custnum, sum(p.paid - COALESCE(a.s, 0) - COALESCE(r.s, 0)) AS left
                        FROM cust_pay p
                        LEFT JOIN (SELECT paynum, sum(amount) AS s FROM cust_bill_pay GROUP BY paynum) a ON a.paynum = p.paynum
                        LEFT JOIN (SELECT paynum, sum(amount) AS s FROM cust_pay_refund GROUP BY paynum) r ON r.paynum = p.paynum
                       WHERE p.no_auto_apply IS NULL
                       GROUP BY p.custnum
                      UNION ALL
                      SELECT c.custnum, sum(c.amount - COALESCE(a.s, 0) - COALESCE(r.s, 0))
                        FROM cust_credit c
                        LEFT JOIN (SELECT crednum, sum(amount) AS s FROM cust_credit_bill GROUP BY crednum) a ON a.crednum = c.crednum
                        LEFT JOIN (SELECT crednum, sum(amount) AS s FROM cust_credit_refund GROUP BY crednum) r ON r.crednum = c.crednum
                       GROUP BY c.custnum)
                    SELECT format('customer %s: %s unapplied while %s invoice(s) are open', f.custnum, sum(f.left), o.n) AS detail
                      FROM free f JOIN open_inv o ON o.custnum = f.custnum
                     GROUP BY f.custnum, o.n HAVING sum(f.left) > 0 ORDER BY f.custnum`,
  },
  {
    name: "balance function agrees",
    description: "lib/billing/balance.ts's balance (what pages and RPC show) equals the sum of the customer's owed invoices − unapplied money",
    scope: sql`SELECT count(*) FROM (SELECT custnum FROM cust_main ORDER BY hashint4(custnum) LIMIT 1000) s`,
    violations: sql`SELECT format('customer %s: balance() %s, recomputed %s', custnum, b, o) AS detail FROM (
                      SELECT m.custnum, (${balanceSql(sql`m.custnum`)})::bigint AS b,
                             ${cents(`COALESCE((SELECT sum(owed) FROM cust_bill WHERE custnum = m.custnum), 0)
                               - COALESCE((SELECT sum(p.paid - COALESCE((SELECT sum(amount) FROM cust_bill_pay WHERE paynum = p.paynum), 0)
                                                     - COALESCE((SELECT sum(amount) FROM cust_pay_refund WHERE paynum = p.paynum), 0)) FROM cust_pay p WHERE p.custnum = m.custnum), 0)
                               - COALESCE((SELECT sum(c.amount - COALESCE((SELECT sum(amount) FROM cust_credit_bill WHERE crednum = c.crednum), 0)
                                                     - COALESCE((SELECT sum(amount) FROM cust_credit_refund WHERE crednum = c.crednum), 0)) FROM cust_credit c WHERE c.custnum = m.custnum), 0)
                               + COALESCE((SELECT sum(f.refund - COALESCE((SELECT sum(amount) FROM cust_pay_refund WHERE refundnum = f.refundnum), 0)
                                                     - COALESCE((SELECT sum(amount) FROM cust_credit_refund WHERE refundnum = f.refundnum), 0)) FROM cust_refund f WHERE f.custnum = m.custnum), 0)`)} AS o
                        FROM (SELECT custnum FROM cust_main ORDER BY hashint4(custnum) LIMIT 1000) m
                    ) x WHERE b <> o ORDER BY custnum`,
  },
];

export const CHECK_NAMES = CHECKS.map((c) => c.name);

export async function runConsistencyChecks(db: DbOrTx, opts: { examples?: number; onCheck?: (o: CheckOutcome) => void } = {}): Promise<CheckOutcome[]> {
  const limit = opts.examples ?? 10;
  const out: CheckOutcome[] = [];
  for (const c of CHECKS) {
    const t0 = performance.now();
    const [scope] = await queryRows<{ n: string | number }>(db, sql`SELECT (${c.scope})::bigint AS n`);
    const rows = await queryRows<{ n: string | number; detail: string }>(
      db,
      sql`SELECT count(*) OVER ()::bigint AS n, detail FROM (${c.violations}) v LIMIT ${Math.max(1, limit)}`,
    );
    const o: CheckOutcome = {
      name: c.name,
      description: c.description,
      checked: Number(scope?.n ?? 0),
      violations: Number(rows[0]?.n ?? 0),
      examples: rows.slice(0, limit).map((r) => r.detail),
      ms: performance.now() - t0,
    };
    opts.onCheck?.(o);
    out.push(o);
  }
  return out;
}
