import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../lib/db/rows";
import { createCustomerSession } from "../../lib/auth/sessions";
import { sessionCookieName } from "../../lib/auth/cookies";
import { verifyPassword } from "../../lib/auth/password";
import { DEMO_PASSWORD } from "../../db/seed/demo-logins";
import { SCALE_EMAIL_DOMAIN } from "../../db/seed/scale";

/**
 * What the logged-in requests rotate over: real sessions of different customers (created with
 * lib/auth/sessions.ts, as a login would), each with its latest invoice; and other customers'
 * e-mails for the login measurements (password: the demo password).
 */
export interface SessionFixture {
  custnum: number;
  token: string;
  cookie: string;
  invnum: number;
}

export interface Fixtures {
  sessions: SessionFixture[];
  logins: { email: string; custnum: number }[];
  /** A stored password hash of the login customers (for timePasswordHash). */
  storedHash: string;
  /** Customers in the database, and of them scale-seeded. */
  customers: number;
  scaleCustomers: number;
  invoices: number;
}

export async function prepareFixtures(db: Db, count: number): Promise<Fixtures> {
  const [totals] = await queryRows<{ customers: number; scale: number; invoices: number }>(
    db,
    sql`SELECT (SELECT count(*) FROM cust_main)::int AS customers,
               (SELECT count(*) FROM cust_main WHERE agent_custid LIKE 'SC-%')::int AS scale,
               (SELECT count(*) FROM cust_bill)::int AS invoices`,
  );
  const scale = Number(totals?.scale ?? 0) > 0;
  const domainFilter = scale ? sql`AND e.emailaddress LIKE ${`%@${SCALE_EMAIL_DOMAIN}`}` : sql``;

  // Customers with a self-service contact and at least one invoice, spread over the whole range.
  const rows = await queryRows<{ custnum: number; contactnum: number; email: string; invnum: number | null; hash: string }>(
    db,
    sql`SELECT c.custnum, c.contactnum, e.emailaddress AS email, c._password AS hash,
               (SELECT max(b.invnum) FROM cust_bill b WHERE b.custnum = c.custnum) AS invnum
          FROM contact c JOIN contact_email e ON e.contactnum = c.contactnum
         WHERE c.selfservice_access = 'Y' AND c.disabled IS NULL AND c._password IS NOT NULL ${domainFilter}
           AND EXISTS (SELECT 1 FROM cust_bill b WHERE b.custnum = c.custnum)
         ORDER BY hashint4(c.contactnum)
         LIMIT ${count * 2 + 10}`,
  );
  if (rows.length < 2) throw new Error("the database has no customers with a self-service login and invoices to benchmark with");
  const half = Math.min(count, Math.ceil(rows.length / 2));
  const sessionRows = rows.slice(0, half);
  const loginRows = rows.slice(half, half + count);

  const name = sessionCookieName();
  const sessions: SessionFixture[] = [];
  for (const r of sessionRows) {
    const token = await createCustomerSession(db, { custnum: Number(r.custnum), contactnum: Number(r.contactnum) }, { ip: "127.0.0.1", userAgent: "portico-bench" });
    sessions.push({ custnum: Number(r.custnum), token, cookie: `${name}=${token}`, invnum: Number(r.invnum) });
  }

  // The password-hash ceiling is timed on this stored hash (timePasswordHash) by the run, right
  // before its login measurement.
  const stored = loginRows[0]?.hash ?? sessionRows[0]!.hash;
  if (!(await verifyPassword(DEMO_PASSWORD, stored))) throw new Error("the benchmark logins do not use the demo password");

  return {
    sessions,
    logins: (loginRows.length ? loginRows : sessionRows).map((r) => ({ email: r.email, custnum: Number(r.custnum) })),
    storedHash: stored,
    customers: Number(totals?.customers ?? 0),
    scaleCustomers: Number(totals?.scale ?? 0),
    invoices: Number(totals?.invoices ?? 0),
  };
}

/** Times (ms) of `times` sequential password checks of a stored hash. */
export async function timePasswordChecks(stored: string, times: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await verifyPassword(DEMO_PASSWORD, stored);
    ms.push(performance.now() - t0);
  }
  return ms;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median time of one password check (ms) over `times` sequential checks of a stored hash. */
export async function timePasswordHash(stored: string, times = 9): Promise<number> {
  return median(await timePasswordChecks(stored, times));
}
