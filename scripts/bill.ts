// `npm run bill [-- --date YYYY-MM-DD]`: the daily billing run an ISP schedules. Runs the billing
// engine (lib/billing/bill-customer.ts) for every customer with a package due as of now (or the
// end of the given day in PORTICO_TIMEZONE), one transaction per customer, and prints a progress
// line and a summary. Customers with nothing due are skipped without a transaction (the engine
// would find nothing for them). A failure for one customer is reported and the run goes on; the
// exit code is then 1.
//
// Database: DATABASE_URL (PostgreSQL), else embedded PGlite in PGLITE_DIR (default .data/pglite).
import { TZDate } from "@date-fns/tz";
import { sql } from "drizzle-orm";
import { openDb } from "../db/client";
import { billCustomer } from "../lib/billing/bill-customer";
import { queryRows } from "../lib/db/rows";
import { isAppError } from "../lib/errors";
import { portalTimezone } from "../lib/format/dates";
import { formatMoneyPretty } from "../lib/money/cents";

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

function parseArgs(argv: string[]): { asOf: Date; label: string } {
  const tz = portalTimezone();
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

async function main() {
  const { asOf, label } = parseArgs(process.argv.slice(2));
  const url = process.env.DATABASE_URL?.trim() || undefined;
  const handle = await openDb({ url, pgliteDir: process.env.PGLITE_DIR || ".data/pglite", poolMax: 2 });
  const { db } = handle;
  const started = Date.now();
  const tty = process.stdout.isTTY;

  let checked = 0;
  let billed = 0;
  let totalCents = 0;
  let failures = 0;
  try {
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(DISTINCT custnum)::int AS n FROM cust_pkg
           WHERE cancel IS NULL AND susp IS NULL AND bill <= ${asOf.toISOString()}::timestamptz`,
    );
    const due = Number(n);
    console.log(`Billing as of ${label}: ${due} customer(s) with something due`);

    let lastProgress = 0;
    const progress = (force = false) => {
      const line = `  ${checked}/${due} customers, ${billed} invoice(s), ${formatMoneyPretty(totalCents)}${failures ? `, ${failures} failed` : ""}`;
      if (tty) process.stdout.write(`\r${line}`);
      else if (force || Date.now() - lastProgress > 2000) {
        console.log(line);
        lastProgress = Date.now();
      }
    };

    let after = 0;
    for (;;) {
      const batch = await queryRows<{ custnum: number }>(
        db,
        sql`SELECT DISTINCT custnum FROM cust_pkg
             WHERE cancel IS NULL AND susp IS NULL AND bill <= ${asOf.toISOString()}::timestamptz AND custnum > ${after}
             ORDER BY custnum LIMIT 500`,
      );
      if (batch.length === 0) break;
      for (const { custnum } of batch) {
        const c = Number(custnum);
        after = c;
        try {
          const r = await billCustomer(db, c, { asOf, now: new Date() });
          if (r.invnum !== null) {
            billed += 1;
            totalCents += r.totalCents;
          }
        } catch (e) {
          failures += 1;
          const why = isAppError(e) ? e.message : e instanceof Error ? e.message.split("\n")[0] : String(e);
          if (tty) process.stdout.write("\n");
          console.error(`  customer ${c}: billing failed: ${why}`);
        }
        checked += 1;
        progress();
      }
    }
    progress(true);
    if (tty) process.stdout.write("\n");
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `Done in ${secs}s: ${checked} customer(s) checked, ${billed} customer(s) billed, ${billed} invoice(s), total ${formatMoneyPretty(totalCents)}` +
        (failures ? `, ${failures} failure(s)` : ""),
    );
  } finally {
    await handle.close();
  }
  if (failures) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`bill: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
