import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { queryRows } from "@/lib/db/rows";

/**
 * A customer's balance: invoices − payments − credits + refunds (positive = the customer owes).
 * Equal to Freeside's sum of owed − unapplied payments − unapplied credits + unapplied refunds.
 */
export async function getBalanceCents(db: DbOrTx, custnum: number): Promise<number> {
  const [row] = await queryRows<{ balance: number }>(
    db,
    sql`SELECT (${balanceSql(sql`${custnum}`)})::bigint AS balance`,
  );
  return Number(row?.balance ?? 0);
}

/** SQL expression (in cents, integer) for the balance of the customer `custnumExpr`. */
export function balanceSql(custnumExpr: ReturnType<typeof sql>) {
  return sql`(
    COALESCE((SELECT sum(charged) FROM cust_bill WHERE custnum = ${custnumExpr}), 0)
    - COALESCE((SELECT sum(paid) FROM cust_pay WHERE custnum = ${custnumExpr}), 0)
    - COALESCE((SELECT sum(amount) FROM cust_credit WHERE custnum = ${custnumExpr}), 0)
    + COALESCE((SELECT sum(refund) FROM cust_refund WHERE custnum = ${custnumExpr}), 0)
  ) * 100`;
}

/**
 * The next date a recurring package bills (Freeside's next_bill_date): the earliest `bill` of the
 * customer's recurring packages that are neither cancelled nor suspended; null when none.
 */
export async function getNextBillDate(db: DbOrTx, custnum: number): Promise<Date | null> {
  const [row] = await queryRows<{ ms: string | number | null }>(db, sql`SELECT (${nextBillDateSql(sql`${custnum}`)}) AS ms`);
  return row?.ms === null || row?.ms === undefined ? null : new Date(Number(row.ms));
}

/** SQL expression for `getNextBillDate` of the customer `custnumExpr`, as epoch milliseconds (bigint) or NULL. */
export function nextBillDateSql(custnumExpr: ReturnType<typeof sql>) {
  return sql`SELECT (extract(epoch FROM min(p.bill)) * 1000)::bigint
          FROM cust_pkg p JOIN part_pkg pp ON pp.pkgpart = p.pkgpart
         WHERE p.custnum = ${custnumExpr} AND p.cancel IS NULL AND p.susp IS NULL AND p.bill IS NOT NULL
           AND pp.freq NOT IN ('', '0')`;
}
