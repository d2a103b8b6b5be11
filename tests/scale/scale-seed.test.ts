// The scale seed writes what the billing engine would have written: db:check's rules hold on
// it, its taxes are the engine's (findTaxRates + allocateTax recomputed per invoice), the engine
// itself carries on billing from it, its payment methods open with the vault only for their own
// customer, and its customers log in. Plus db:check catching a broken invoice.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { seedDemo } from "../../db/seed/demo";
import { DEMO_PASSWORD } from "../../db/seed/demo-logins";
import { countScaleCustomers, scaleLogins, seedScale, type ScaleSeedSummary } from "../../db/seed/scale";
import { runConsistencyChecks } from "../../db/consistency";
import { queryRows } from "../../lib/db/rows";
import { isAppError } from "../../lib/errors";
import { login } from "../../lib/auth/login";
import { allocateTax, findTaxRates, type TaxRate } from "../../lib/billing/tax";
import { billCustomer } from "../../lib/billing/bill-customer";
import { getBalanceCents } from "../../lib/billing/balance";
import { listPayby, openStoredInstrument } from "../../lib/payments/payby";
import { TEST_BANK, TEST_CARDS } from "../../lib/payments/gateway/test-gateway";

const skip = process.env.PORTICO_TEST_DRIVER === "pglite" ? "the scale seed is for PostgreSQL" : false;
const NOW = new Date("2026-11-15T12:00:00Z");
const N = 300;

let t: TestDb;
let summary: ScaleSeedSummary;

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return queryRows<T>(t.db, q);
}

before(async () => {
  if (skip) return;
  t = await createTestDb();
  await seedDemo(t.db, { now: NOW });
  const outcome = await seedScale(t.db, { customers: N, now: NOW, chunkSize: 120 });
  assert.equal(outcome.result, "seeded");
  summary = (outcome as { summary: ScaleSeedSummary }).summary;
});
after(async () => {
  if (!skip) await t?.drop();
});

describe("the scale seed", { skip }, () => {
  test("writes N customers with an ISP's shape", async () => {
    assert.equal(summary.customers, N);
    assert.equal(await countScaleCustomers(t.db), N);
    const [shape] = await rows<{ agents: number; countries: number; states: number; min_pkgs: number; max_pkgs: number; statuses: string[] }>(
      sql`WITH s AS (SELECT * FROM cust_main WHERE agent_custid LIKE 'SC-%'),
               p AS (SELECT custnum, count(*) AS n FROM cust_pkg WHERE custnum IN (SELECT custnum FROM s) GROUP BY custnum)
          SELECT (SELECT count(DISTINCT agentnum) FROM s)::int AS agents,
                 (SELECT count(DISTINCT l.country) FROM s JOIN cust_location l ON l.locationnum = s.bill_locationnum)::int AS countries,
                 (SELECT count(DISTINCT l.state) FROM s JOIN cust_location l ON l.locationnum = s.bill_locationnum)::int AS states,
                 (SELECT min(n) FROM p)::int AS min_pkgs, (SELECT max(n) FROM p)::int AS max_pkgs,
                 ARRAY(SELECT DISTINCT CASE WHEN cancel IS NOT NULL THEN 'cancelled' WHEN susp IS NOT NULL THEN 'suspended'
                                            WHEN setup IS NULL THEN 'not yet billed' ELSE 'active' END
                         FROM cust_pkg WHERE custnum IN (SELECT custnum FROM s) ORDER BY 1) AS statuses`,
    );
    assert.ok(shape!.agents >= 4, `${shape!.agents} agents`);
    assert.ok(shape!.countries >= 4 && shape!.states >= 8, `${shape!.countries} countries, ${shape!.states} states`);
    assert.equal(shape!.min_pkgs, 1);
    assert.ok(shape!.max_pkgs >= 2 && shape!.max_pkgs <= 3, `max ${shape!.max_pkgs} packages`);
    assert.deepEqual(shape!.statuses, ["active", "cancelled", "not yet billed", "suspended"]);
    // Every customer billed monthly from the start has 12–36 months of history; the average lands
    // in the 1–2 million per 100k range.
    const [hist] = await rows<{ min_months: number; max_months: number; per_customer: number }>(
      sql`WITH s AS (SELECT b.custnum, count(*) AS n, min(b._date) AS first, max(b._date) AS last
                       FROM cust_bill b JOIN cust_main c ON c.custnum = b.custnum WHERE c.agent_custid LIKE 'SC-%' GROUP BY b.custnum),
               monthly AS (SELECT s.* FROM s WHERE EXISTS (
                 SELECT 1 FROM cust_bill b JOIN cust_bill_pkg bp ON bp.invnum = b.invnum
                  WHERE b.custnum = s.custnum AND b._date = s.first AND bp.freq = '1'))
          SELECT (SELECT min(extract(year FROM age(last, first)) * 12 + extract(month FROM age(last, first)) + 1) FROM monthly)::int AS min_months,
                 (SELECT max(extract(year FROM age(last, first)) * 12 + extract(month FROM age(last, first)) + 1) FROM monthly)::int AS max_months,
                 (SELECT avg(n) FROM s)::float AS per_customer`,
    );
    assert.ok(hist!.min_months >= 12 && hist!.max_months <= 36, `${hist!.min_months}–${hist!.max_months} months`);
    assert.ok(hist!.per_customer >= 10 && hist!.per_customer <= 20, `${hist!.per_customer} invoices per customer`);
    assert.ok(summary.invoices >= N * 10 && summary.invoices <= N * 20, `${summary.invoices} invoices`);
    assert.ok(summary.paymentMethods > N / 2 && summary.credits > 0 && summary.refunds >= 0);
  });

  test("db:check's rules all hold (on the demo's engine-made history and the scale data alike)", async () => {
    const outcomes = await runConsistencyChecks(t.db);
    for (const o of outcomes) assert.equal(o.violations, 0, `${o.name}: ${o.examples.join("; ")}`);
    assert.ok(outcomes.find((o) => o.name === "invoice lines add up")!.checked >= summary.invoices);
  });

  test("taxes are the engine's: findTaxRates for the customer's region, allocateTax per tax, one line per tax name", async () => {
    const lines = await rows<{ invnum: number; billpkgnum: number; pkgnum: number | null; amount: number; itemdesc: string; taxclass: string | null; setuptax: string | null; recurtax: string | null; setup: number; recur: number; city: string; county: string | null; state: string | null; country: string; exempt: string | null }>(
      sql`SELECT bp.invnum, bp.billpkgnum, bp.pkgnum, ((bp.setup + bp.recur) * 100)::int AS amount, bp.itemdesc, pp.taxclass, pp.setuptax, pp.recurtax,
                 (bp.setup * 100)::int AS setup, (bp.recur * 100)::int AS recur, l.city, l.county, l.state, l.country, c.tax AS exempt
            FROM cust_bill_pkg bp JOIN cust_bill b ON b.invnum = bp.invnum JOIN cust_main c ON c.custnum = b.custnum
            JOIN cust_location l ON l.locationnum = c.bill_locationnum
            LEFT JOIN cust_pkg p ON p.pkgnum = bp.pkgnum LEFT JOIN part_pkg pp ON pp.pkgpart = p.pkgpart
           WHERE c.agent_custid LIKE 'SC-%' ORDER BY bp.invnum, bp.billpkgnum`,
    );
    const details = await rows<{ billpkgnum: number; taxnum: number; taxable: number; amount: number }>(
      sql`SELECT d.billpkgnum, d.taxnum, d.taxable_billpkgnum AS taxable, (d.amount * 100)::int AS amount
            FROM cust_bill_pkg_tax_location d JOIN cust_bill_pkg bp ON bp.billpkgnum = d.billpkgnum JOIN cust_bill b ON b.invnum = bp.invnum
            JOIN cust_main c ON c.custnum = b.custnum WHERE c.agent_custid LIKE 'SC-%'`,
    );
    const detailKey = (taxable: number, taxnum: number) => `${taxable}:${taxnum}`;
    const shares = new Map(details.map((d) => [detailKey(Number(d.taxable), Number(d.taxnum)), Number(d.amount)]));
    const rateCache = new Map<string, TaxRate[]>();
    const byInvoice = new Map<number, typeof lines>();
    for (const l of lines) byInvoice.set(Number(l.invnum), [...(byInvoice.get(Number(l.invnum)) ?? []), l]);
    let taxedInvoices = 0;
    for (const [invnum, ls] of byInvoice) {
      const pkgLines = ls.filter((l) => l.pkgnum !== null);
      const taxLines = ls.filter((l) => l.pkgnum === null);
      const expected = new Map<string, number>();
      if (pkgLines[0]!.exempt !== "Y") {
        const perTax = new Map<number, { rate: TaxRate; lines: { billpkgnum: number; taxable: number }[] }>();
        for (const l of pkgLines) {
          const key = `${l.country}|${l.state}|${l.county}|${l.city}|${l.taxclass ?? ""}`;
          if (!rateCache.has(key)) rateCache.set(key, await findTaxRates(t.db, { district: null, city: l.city, county: l.county, state: l.state, country: l.country }, l.taxclass));
          for (const rate of rateCache.get(key)!) {
            const taxable = (l.setuptax === "Y" || rate.setupExempt ? 0 : Number(l.setup)) + (l.recurtax === "Y" || rate.recurExempt ? 0 : Number(l.recur));
            if (taxable === 0) continue;
            const e = perTax.get(rate.taxnum) ?? { rate, lines: [] };
            e.lines.push({ billpkgnum: Number(l.billpkgnum), taxable });
            perTax.set(rate.taxnum, e);
          }
        }
        for (const { rate, lines: taxed } of perTax.values()) {
          const { totalCents, perLine } = allocateTax(taxed.map((x) => x.taxable), rate.rateE4);
          if (totalCents === 0) continue;
          expected.set(rate.taxname, (expected.get(rate.taxname) ?? 0) + totalCents);
          taxed.forEach((x, i) => {
            if (perLine[i]! > 0) assert.equal(shares.get(detailKey(x.billpkgnum, rate.taxnum)), perLine[i], `invoice ${invnum}: ${rate.taxname} share of line ${x.billpkgnum}`);
          });
        }
      }
      const actual = new Map(taxLines.map((l) => [l.itemdesc, Number(l.amount)]));
      assert.deepEqual(actual, expected, `invoice ${invnum}`);
      if (expected.size) taxedInvoices++;
    }
    assert.ok(taxedInvoices > summary.invoices / 2, `${taxedInvoices} taxed invoices`);
  });

  test("the billing engine carries on: nothing due today, the next period follows the last one exactly", async () => {
    const custs = await rows<{ custnum: number; next_bill: string }>(
      sql`SELECT c.custnum, min(p.bill)::text AS next_bill FROM cust_main c JOIN cust_pkg p ON p.custnum = c.custnum
           WHERE c.agent_custid LIKE 'SC-%' AND p.cancel IS NULL AND p.susp IS NULL AND p.setup IS NOT NULL AND p.bill IS NOT NULL
           GROUP BY c.custnum ORDER BY hashint4(c.custnum) LIMIT 15`,
    );
    assert.ok(custs.length >= 10);
    for (const c of custs) {
      const custnum = Number(c.custnum);
      assert.equal((await billCustomer(t.db, custnum, { asOf: NOW })).invnum, null, `customer ${custnum} has nothing due now`);
      const asOf = new Date(c.next_bill);
      const lastEdates = await rows<{ pkgnum: number; edate: string }>(
        sql`SELECT bp.pkgnum, max(bp.edate)::text AS edate FROM cust_bill_pkg bp JOIN cust_bill b ON b.invnum = bp.invnum
             WHERE b.custnum = ${custnum} AND bp.edate IS NOT NULL GROUP BY bp.pkgnum`,
      );
      const before = await getBalanceCents(t.db, custnum);
      const r = await billCustomer(t.db, custnum, { asOf });
      assert.ok(r.invnum, `customer ${custnum} is billed at ${asOf.toISOString()}`);
      const newLines = await rows<{ pkgnum: number; sdate: string }>(sql`SELECT pkgnum, sdate::text AS sdate FROM cust_bill_pkg WHERE invnum = ${r.invnum} AND pkgnum IS NOT NULL`);
      assert.ok(newLines.length >= 1);
      for (const l of newLines) {
        const prev = lastEdates.find((e) => Number(e.pkgnum) === Number(l.pkgnum));
        assert.ok(prev, `package ${l.pkgnum} was billed before`);
        assert.equal(new Date(l.sdate).getTime(), new Date(prev.edate).getTime(), `package ${l.pkgnum}: the new period starts where the last one ended`);
      }
      assert.equal(await getBalanceCents(t.db, custnum), before + r.totalCents, "the balance grows by the new invoice");
    }
    const outcomes = await runConsistencyChecks(t.db);
    for (const o of outcomes) assert.equal(o.violations, 0, `after billing: ${o.name}: ${o.examples.join("; ")}`);
  });

  test("stored payment methods open with the vault for their own customer only", async () => {
    const methods = await rows<{ custnum: number; custpaybynum: number; payby: string; payinfo: string }>(
      sql`SELECT p.custnum, p.custpaybynum, p.payby, p.payinfo FROM cust_payby p JOIN cust_main c ON c.custnum = p.custnum
           WHERE c.agent_custid LIKE 'SC-%' ORDER BY p.custpaybynum LIMIT 40`,
    );
    const known: string[] = [...Object.values(TEST_CARDS)];
    for (const m of methods) {
      const opened = await openStoredInstrument(t.db, { custnum: Number(m.custnum), custpaybynum: Number(m.custpaybynum) });
      if (opened.instrument.kind === "card") assert.ok(known.includes(opened.instrument.number), "a test card number");
      else assert.equal(opened.instrument.routing, TEST_BANK.routing);
      const view = await listPayby(t.db, { custnum: Number(m.custnum) });
      assert.ok(view.every((v) => /^x+\d{2,4}(@\d{9})?$/.test(v.paymask)), "only masks are shown");
    }
    assert.ok(new Set(methods.map((m) => m.payinfo)).size === methods.length, "every ciphertext is its own");
    // The vault binds the customer: another customer's sealed number does not open on this row.
    const [a, b] = methods;
    await t.db.execute(sql`UPDATE cust_payby SET payinfo = ${b!.payinfo} WHERE custpaybynum = ${a!.custpaybynum}`);
    await assert.rejects(openStoredInstrument(t.db, { custnum: Number(a!.custnum), custpaybynum: Number(a!.custpaybynum) }), (e: unknown) => isAppError(e) && e.code === "INTERNAL");
    await t.db.execute(sql`UPDATE cust_payby SET payinfo = ${a!.payinfo} WHERE custpaybynum = ${a!.custpaybynum}`);
  });

  test("every scale customer logs in with the demo password (one hash shared by all)", async () => {
    const logins = await scaleLogins(t.db, 3);
    for (const l of logins) {
      const r = await login(t.db, { email: l.email, password: DEMO_PASSWORD }, { ip: "192.0.2.55" });
      assert.equal(r.custnum, l.custnum);
    }
    await assert.rejects(login(t.db, { email: logins[0]!.email, password: "wrong-Pass-1" }, { ip: "192.0.2.56" }), (e: unknown) => isAppError(e) && e.code === "INVALID_CREDENTIALS");
    const [h] = await rows<{ hashes: number; accounts: number }>(
      sql`SELECT (SELECT count(DISTINCT c._password) FROM contact c JOIN cust_main m ON m.custnum = c.custnum WHERE m.agent_custid LIKE 'SC-%')::int AS hashes,
                 (SELECT count(DISTINCT a._password) FROM svc_acct a JOIN cust_svc s ON s.svcnum = a.svcnum JOIN cust_pkg p ON p.pkgnum = s.pkgnum
                    JOIN cust_main m ON m.custnum = p.custnum WHERE m.agent_custid LIKE 'SC-%')::int AS accounts`,
    );
    assert.equal(h!.hashes, 1);
    assert.equal(h!.accounts, 1);
  });

  test("a second run with the same count does nothing; a larger one on the same database is refused", async () => {
    assert.deepEqual(await seedScale(t.db, { customers: N }), { result: "already-seeded", customers: N });
    await assert.rejects(seedScale(t.db, { customers: N + 1 }), (e: unknown) => isAppError(e) && e.code === "CONFLICT");
    assert.equal(await countScaleCustomers(t.db), N);
  });

  test("db:check finds a broken invoice and exits 1, showing it", async () => {
    const [inv] = await rows<{ invnum: number; charged: string }>(sql`SELECT invnum, charged::text FROM cust_bill ORDER BY invnum DESC LIMIT 1`);
    await t.db.execute(sql`UPDATE cust_bill SET charged = charged + 0.01, owed = owed + 0.01 WHERE invnum = ${inv!.invnum}`);
    try {
      const outcomes = await runConsistencyChecks(t.db);
      const lines = outcomes.find((o) => o.name === "invoice lines add up")!;
      assert.equal(lines.violations, 1);
      assert.match(lines.examples[0]!, new RegExp(`invoice ${inv!.invnum} `));
      const cli = spawnSync(process.execPath, ["--import", "./scripts/support/register.mjs", "db/check.ts"], {
        env: { ...process.env, DATABASE_URL: t.url },
        encoding: "utf8",
        timeout: 120_000,
      });
      assert.equal(cli.status, 1, cli.stderr);
      assert.match(cli.stdout, /FAIL {2}invoice lines add up: .* 1 violations/);
      assert.match(cli.stdout, new RegExp(`- invoice ${inv!.invnum} \\(customer \\d+\\): charged`));
      assert.match(cli.stdout, /PASS {2}payments not over-applied/);
    } finally {
      await t.db.execute(sql`UPDATE cust_bill SET charged = ${inv!.charged}::numeric, owed = owed - 0.01 WHERE invnum = ${inv!.invnum}`);
    }
    const clean = spawnSync(process.execPath, ["--import", "./scripts/support/register.mjs", "db/check.ts"], {
      env: { ...process.env, DATABASE_URL: t.url },
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /All \d+ checks passed/);
  });
});
