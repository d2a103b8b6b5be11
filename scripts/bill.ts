// `npm run bill [-- --date YYYY-MM-DD]`: the daily billing run an ISP schedules (Freeside's
// freeside-daily: bill_and_collect for every customer). For every customer with a package due as
// of now (or the end of the given day in PORTICO_TIMEZONE) it runs the billing engine
// (lib/billing/bill-customer.ts, one transaction per customer) and then automatic collection
// (lib/payments/collect.ts): the customer's first automatic method (CARD/CHEK) is charged through
// the same payment path as /pay, keyed by the invoice (`bill-<invnum>`), so a rerun never charges
// twice and a decline leaves the invoice open. Customers whose newest open invoice was never
// collected (e.g. a run interrupted between billing and collecting, or an automatic method added
// since) are collected too. Customers with nothing to do are skipped without a transaction.
//
// First of all, payment attempts left unfinished by a crash (cust_pay_pending new/pending/
// captured) are resolved, never charged again (resolveStalePending).
//
// Last, the tables that would otherwise only grow are purged (lib/auth/housekeeping.ts, the same
// as `npm run housekeeping`): sessions that ended over a day ago and stale login_throttle rows.
//
// It prints a progress line and a summary. A failure for one customer is reported and the run
// goes on; the exit code is then 1. Declines are not failures (exit code 0).
//
// Database: DATABASE_URL (PostgreSQL), else embedded PGlite in PGLITE_DIR (default .data/pglite).
// The card vault key: PORTICO_VAULT_KEY (also read from .env), else the demo key `npm start`
// generated into .data/secrets.json. Without a key, invoices are made but nothing is charged.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { TZDate } from "@date-fns/tz";
import { loadDotEnv } from "../db/seed/env-file";

function usage(message?: string): never {
  if (message) console.error(`bill: ${message}`);
  console.error("usage: npm run bill [-- --date YYYY-MM-DD]");
  process.exit(2);
}

/** The end of `day` (YYYY-MM-DD) in `tz`: everything due that day is billed. */
function endOfDayIn(day: string, tz: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) usage(`--date must be YYYY-MM-DD, not ${JSON.stringify(day)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = new TZDate(y, mo - 1, d, 0, 0, 0, 0, tz);
  if (start.getFullYear() !== y || start.getMonth() !== mo - 1 || start.getDate() !== d) usage(`no such date: ${day}`);
  return new Date(new TZDate(y, mo - 1, d + 1, 0, 0, 0, 0, tz).getTime() - 1);
}

function parseArgs(argv: string[], tz: string): { asOf: Date; label: string } {
  let date: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--date") date = argv[++i] ?? usage("--date needs a value");
    else if (a.startsWith("--date=")) date = a.slice("--date=".length);
    else if (a === "-h" || a === "--help") usage();
    else usage(`unknown argument ${a}`);
  }
  if (date) return { asOf: endOfDayIn(date, tz), label: `${date} (end of day, ${tz})` };
  const now = new Date();
  return { asOf: now, label: `${now.toISOString()} (now)` };
}

/** AUTH_SECRET (which the environment check requires) and PORTICO_VAULT_KEY: the environment or .env, else the demo ones of `npm start` (never generated here). */
function loadSecrets(): void {
  const file = path.join(".data", "secrets.json");
  if (!process.env.AUTH_SECRET && !process.env.NEXTAUTH_SECRET) {
    try {
      const secret = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { authSecret?: unknown }).authSecret : undefined;
      if (typeof secret === "string" && secret) process.env.AUTH_SECRET = secret;
    } catch {
      /* unreadable: as if absent */
    }
  }
  if (process.env.PORTICO_VAULT_KEY) return;
  try {
    const key = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { vaultKey?: unknown }).vaultKey : undefined;
    if (typeof key === "string" && key) {
      process.env.PORTICO_VAULT_KEY = key;
      console.warn("⚠  PORTICO_VAULT_KEY is not set: using the demo key from .data/secrets.json.");
      return;
    }
  } catch {
    /* unreadable: as if absent */
  }
  console.warn("⚠  PORTICO_VAULT_KEY is not set: stored cards and bank accounts cannot be charged (invoices are still made).");
}

async function main() {
  // Settings first: the modules below read them.
  loadDotEnv();
  loadSecrets();
  const { sql } = await import("drizzle-orm");
  const { openDb } = await import("../db/client");
  const { queryRows } = await import("../lib/db/rows");
  const { isAppError } = await import("../lib/errors");
  const { portalTimezone } = await import("../lib/format/dates");
  const { formatMoneyPretty } = await import("../lib/money/cents");
  const { billAndCollect } = await import("../lib/payments/collect");
  const { resolveStalePending } = await import("../lib/payments/process-payment");
  const { describeHousekeeping, runHousekeeping } = await import("../lib/auth/housekeeping");

  const { asOf, label } = parseArgs(process.argv.slice(2), portalTimezone());
  const url = process.env.DATABASE_URL?.trim() || undefined;
  const handle = await openDb({ url, pgliteDir: process.env.PGLITE_DIR || ".data/pglite", poolMax: 2 });
  const { db } = handle;
  const started = Date.now();
  const tty = process.stdout.isTTY;

  let checked = 0;
  let billed = 0;
  let totalCents = 0;
  let collected = 0;
  let collectedCents = 0;
  let declined = 0;
  let collectErrors = 0;
  let failures = 0;
  try {
    // Attempts a crash left unfinished: a captured one becomes its payment (once), the others
    // are settled with the gateway's answer; none is sent to the gateway again.
    const resolved = await resolveStalePending(db);
    if (resolved.length) {
      const recovered = resolved.filter((r) => r.result === "recovered").length;
      console.log(
        `Resolved ${resolved.length} unfinished payment attempt(s) left by an interrupted run: ${recovered} recorded as payment(s), ${resolved.length - recovered} not charged`,
      );
    }

    // Customers to bill (a package due) or to collect (their newest open invoice has an automatic
    // method and was never collected: no attempt with its key).
    const candidates = (after: number, limit: number | null) => sql`
      SELECT custnum FROM (
        SELECT custnum FROM cust_pkg
         WHERE cancel IS NULL AND susp IS NULL AND bill <= ${asOf.toISOString()}::timestamptz
        UNION
        SELECT b.custnum FROM cust_bill b
         WHERE b.owed > 0
           AND b.invnum = (SELECT b2.invnum FROM cust_bill b2 WHERE b2.custnum = b.custnum AND b2.owed > 0
                            ORDER BY b2._date DESC, b2.invnum DESC LIMIT 1)
           AND NOT EXISTS (SELECT 1 FROM cust_pay_pending pp WHERE pp.payunique = 'bill-' || b.invnum)
           AND EXISTS (SELECT 1 FROM cust_payby p WHERE p.custnum = b.custnum
                        AND (p.payby = 'CHEK' OR (p.payby = 'CARD' AND p.paydate >= to_char(now(), 'YYYY-MM'))))
      ) todo
      WHERE custnum > ${after}
      ORDER BY custnum ${limit === null ? sql`` : sql`LIMIT ${limit}`}`;

    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM (${candidates(0, null)}) c`);
    const due = Number(n);
    console.log(`Billing as of ${label}: ${due} customer(s) with something due or to collect`);

    let lastProgress = 0;
    const progress = (force = false) => {
      const line =
        `  ${checked}/${due} customers, ${billed} invoice(s), ${formatMoneyPretty(totalCents)}, ` +
        `${collected} collected (${formatMoneyPretty(collectedCents)}), ${declined} declined` +
        (collectErrors ? `, ${collectErrors} collection error(s)` : "") +
        (failures ? `, ${failures} failed` : "");
      if (tty) process.stdout.write(`\r${line}`);
      else if (force || Date.now() - lastProgress > 2000) {
        console.log(line);
        lastProgress = Date.now();
      }
    };
    const report = (line: string) => {
      if (tty) process.stdout.write("\n");
      console.error(line);
    };

    let after = 0;
    for (;;) {
      const batch = await queryRows<{ custnum: number }>(db, candidates(after, 500));
      if (batch.length === 0) break;
      for (const { custnum } of batch) {
        const c = Number(custnum);
        after = c;
        try {
          const r = await billAndCollect(db, c, { asOf, now: new Date() });
          if (r.invnum !== null) {
            billed += 1;
            totalCents += r.totalCents;
          }
          const col = r.collect;
          if (col.status === "paid") {
            collected += 1;
            collectedCents += col.amountCents ?? 0;
          } else if (col.status === "declined") {
            declined += 1;
            report(`  customer ${c}: automatic payment declined (invoice #${col.invnum} stays open): ${col.message ?? ""}`);
          } else if (col.status === "error" || col.status === "busy") {
            collectErrors += 1;
            report(`  customer ${c}: automatic payment not made (invoice #${col.invnum} stays open): ${col.message ?? ""}`);
          }
        } catch (e) {
          failures += 1;
          const why = isAppError(e) ? e.message : e instanceof Error ? e.message.split("\n")[0] : String(e);
          report(`  customer ${c}: billing failed: ${why}`);
        }
        checked += 1;
        progress();
      }
    }
    progress(true);
    if (tty) process.stdout.write("\n");
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `Done in ${secs}s: ${checked} customer(s) checked, ${billed} customer(s) billed, ${billed} invoice(s), total ${formatMoneyPretty(totalCents)}; ` +
        `${collected} collected (${formatMoneyPretty(collectedCents)}), ${declined} declined` +
        (collectErrors ? `, ${collectErrors} collection error(s)` : "") +
        (failures ? `, ${failures} failure(s)` : ""),
    );

    // Housekeeping last: a failure here is reported (exit code 1) but billing is already done.
    try {
      console.log(describeHousekeeping(await runHousekeeping(db)));
    } catch (e) {
      failures += 1;
      console.error(`Housekeeping failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
  } finally {
    await handle.close();
  }
  if (failures) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`bill: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
