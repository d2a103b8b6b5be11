import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { createWorld } from "../support/fixtures";
import { queryRows } from "../../lib/db/rows";
import { login, LOGIN_FAILED_MESSAGE } from "../../lib/auth/login";
import { isAppError } from "../../lib/errors";
import { packageStatus, customerStatus, type PackageStatus, type CustomerStatus } from "../../lib/packages/status";
import { DEMO_LOGINS, DEMO_PASSWORD, demoLoginInput, isDemoSeeded, seedDemo, type DemoLogin, type DemoSummary } from "../../db/seed/demo";
import { ALREADY_SEEDED_MESSAGE, CUSTOMERS_ARG_MESSAGE, parseSeedArgs, seedDemoIfNeeded } from "../../db/seed/cli";
import { SeededRandom, mulberry32 } from "../../db/seed/random";
import { HISTORY_DAYS } from "../../db/seed/history";
import { getBalanceCents } from "../../lib/billing/balance";
import { listInvoices } from "../../lib/billing/list-invoices";

/**
 * The demo seed: counts, every status, the fixed demo logins through the real login(), refusing
 * to seed twice, determinism, and the CLI on PGlite.
 */
const pglite = process.env.PORTICO_TEST_DRIVER === "pglite";
const NOW = new Date("2026-11-15T12:00:00Z");

let t: TestDb;
let summary: DemoSummary;

before(async () => {
  process.env.AUTH_SECRET ??= "x".repeat(40);
  t = await createTestDb();
  summary = await seedDemo(t.db, { now: NOW });
});
after(async () => t?.drop());

async function one<T>(query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await queryRows<T>(t.db, query);
  return row!;
}

describe("demo seed contents", () => {
  test("the ISP, two agents, regions with counties in two US states, Canadian provinces, other countries", async () => {
    const agents = await queryRows<{ agent: string; signup_default: string | null; embed_origins: string[]; company_name: string; brand_color: string }>(
      t.db,
      sql`SELECT agent, signup_default, embed_origins, company_name, brand_color FROM agent ORDER BY agentnum`,
    );
    assert.deepEqual(
      agents.map((a) => a.agent),
      ["Northwind Direct", "Harbor Net Partners"],
    );
    assert.equal(agents[0]!.signup_default, "Y");
    assert.equal(agents[0]!.company_name, "Northwind Broadband");
    assert.ok(agents.every((a) => a.embed_origins.includes("http://localhost:3000") && /^#[0-9a-f]{6}$/.test(a.brand_color)));

    const countyStates = await queryRows<{ state: string; n: number }>(
      t.db,
      sql`SELECT state, count(*)::int AS n FROM cust_main_county WHERE country = 'US' AND county IS NOT NULL GROUP BY state ORDER BY state`,
    );
    assert.ok(countyStates.length >= 2, "counties in at least two US states");
    assert.ok(countyStates.find((s) => s.state === "CA")!.n >= 3);
    const provinces = await queryRows<{ state: string }>(t.db, sql`SELECT DISTINCT state FROM cust_main_county WHERE country = 'CA' ORDER BY state`);
    assert.deepEqual(
      provinces.map((p) => p.state),
      ["AB", "BC", "ON", "QC"],
    );
    const bc = await queryRows<{ taxname: string; tax: string }>(t.db, sql`SELECT taxname, tax::text FROM cust_main_county WHERE country = 'CA' AND state = 'BC' ORDER BY taxname`);
    assert.deepEqual([...bc], [
      { taxname: "GST", tax: "5.0000" },
      { taxname: "PST", tax: "7.0000" },
    ]);
    const countries = await queryRows<{ country: string }>(t.db, sql`SELECT DISTINCT country FROM cust_main_county ORDER BY country`);
    assert.ok(countries.length >= 6, `countries: ${countries.map((c) => c.country).join(",")}`);
  });

  test("the catalogue: DSL, fibre monthly and yearly, dial-up with ≥12 access numbers, VoIP, hosting, one-time fees, signup offers", async () => {
    const pkgs = await queryRows<{ pkg: string; freq: string; signup_offer: string | null; svcdbs: string | null }>(
      t.db,
      sql`SELECT pp.pkg, pp.freq, pp.signup_offer,
                 (SELECT string_agg(ps.svcdb, ',') FROM pkg_svc s JOIN part_svc ps ON ps.svcpart = s.svcpart WHERE s.pkgpart = pp.pkgpart) AS svcdbs
          FROM part_pkg pp ORDER BY pkgpart`,
    );
    const by = (name: string) => pkgs.find((p) => p.pkg === name)!;
    assert.equal(by("DSL 25").svcdbs, "svc_acct");
    assert.equal(by("Fibre 1000").freq, "1");
    assert.equal(by("Fibre 1000 (annual)").freq, "12");
    assert.equal(by("Dial-up 56k").svcdbs, "svc_acct");
    assert.equal(by("VoIP line").svcdbs, "svc_phone");
    assert.equal(by("Domain hosting").svcdbs, "svc_domain");
    assert.equal(by("Installation").freq, "0");
    assert.equal(by("Static IP add-on").svcdbs, "svc_external");
    assert.ok(pkgs.filter((p) => p.signup_offer === "Y").length >= 5);
    const pops = await one<{ n: number; states: number }>(sql`SELECT count(*)::int AS n, count(DISTINCT state)::int AS states FROM svc_acct_pop`);
    assert.ok(pops.n >= 12 && pops.states >= 4);
    const dialupWithPop = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM svc_acct WHERE popnum IS NOT NULL`);
    assert.ok(dialupWithPop.n >= 1, "some dial-up accounts use an access number");
    const domains = await queryRows<{ domain: string }>(
      t.db,
      sql`SELECT d.domain FROM svc_domain d JOIN cust_svc cs ON cs.svcnum = d.svcnum WHERE cs.pkgnum IS NULL ORDER BY d.svcnum`,
    );
    assert.deepEqual(
      domains.map((d) => d.domain),
      ["northwind.example", "harbornet.example"],
    );
    const prepaid = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM prepay_credit WHERE identifier = 'NWB-DEMO-2500' AND amount = 25.00`);
    assert.equal(prepaid.n, 1);
    // Each agent type sells what it is allowed: the partner's type does not sell dial-up.
    const partnerDialup = await one<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM type_pkgs tp JOIN agent a ON a.typenum = tp.typenum JOIN part_pkg pp ON pp.pkgpart = tp.pkgpart
          WHERE a.agent = 'Harbor Net Partners' AND pp.pkg = 'Dial-up 56k'`,
    );
    assert.equal(partnerDialup.n, 0);
  });

  test("≥50 customers across both agents and several regions, each with a bill location and invoice destinations", async () => {
    const c = await one<{ n: number; agents: number; regions: number; located: number; with_contact: number; with_login: number; postal: number }>(
      sql`SELECT count(*)::int AS n,
                 count(DISTINCT agentnum)::int AS agents,
                 (SELECT count(DISTINCT (l.country, l.state)) FROM cust_location l)::int AS regions,
                 count(bill_locationnum)::int AS located,
                 (SELECT count(DISTINCT custnum) FROM contact)::int AS with_contact,
                 (SELECT count(DISTINCT custnum) FROM contact WHERE selfservice_access = 'Y' AND _password LIKE '$scrypt$%')::int AS with_login,
                 (SELECT count(*) FROM cust_main_invoice WHERE dest = 'POST')::int AS postal
          FROM cust_main`,
    );
    assert.ok(c.n >= 50, `${c.n} customers`);
    assert.equal(c.n, summary.counts.customers);
    assert.equal(c.agents, 2);
    assert.ok(c.regions >= 8, `${c.regions} regions`);
    assert.equal(c.located, c.n);
    assert.equal(c.with_contact, c.n);
    assert.ok(c.with_login >= c.n * 0.75, `${c.with_login} customers with a self-service login`);
    assert.ok(c.postal >= 2);
    const noEmailDest = await one<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM cust_main c WHERE NOT EXISTS (SELECT 1 FROM cust_main_invoice i WHERE i.custnum = c.custnum AND i.dest LIKE '%@%')`,
    );
    assert.equal(noEmailDest.n, 0);
    // Only hashes are stored.
    const clear = await one<{ n: number }>(
      sql`SELECT ((SELECT count(*) FROM contact WHERE _password = ${DEMO_PASSWORD}) + (SELECT count(*) FROM svc_acct WHERE _password = ${DEMO_PASSWORD}) + (SELECT count(*) FROM svc_phone WHERE pin = '2468'))::int AS n`,
    );
    assert.equal(clear.n, 0);
  });

  test("packages in every status, customers in every status, as the database says", async () => {
    const rows = await queryRows<{ custnum: number; cancel: string | null; susp: string | null; setup: string | null; freq: string }>(
      t.db,
      sql`SELECT p.custnum, p.cancel::text, p.susp::text, p.setup::text, pp.freq FROM cust_pkg p JOIN part_pkg pp ON pp.pkgpart = p.pkgpart`,
    );
    const d = (s: string | null) => (s ? new Date(s) : null);
    const byCustomer = new Map<number, PackageStatus[]>();
    const pkgStatuses = new Set<PackageStatus>();
    for (const r of rows) {
      const s = packageStatus({ cancel: d(r.cancel), susp: d(r.susp), setup: d(r.setup), freq: r.freq });
      pkgStatuses.add(s);
      byCustomer.set(r.custnum, [...(byCustomer.get(r.custnum) ?? []), s]);
    }
    assert.deepEqual([...pkgStatuses].sort(), ["active", "cancelled", "not yet billed", "on hold", "one-time charge", "suspended"]);
    const custnums = await queryRows<{ custnum: number }>(t.db, sql`SELECT custnum FROM cust_main`);
    const custStatuses = new Set<CustomerStatus>(custnums.map((c) => customerStatus(byCustomer.get(c.custnum) ?? [])));
    assert.deepEqual([...custStatuses].sort(), ["active", "cancelled", "inactive", "ordered", "prospect", "suspended"]);
    // The summary agrees with the database, customer by customer.
    for (const c of summary.customers) assert.equal(c.status, customerStatus(byCustomer.get(c.custnum) ?? []), `customer ${c.custnum}`);
    assert.equal(rows.length, summary.counts.packages);

    // Active packages are set up with a next bill date in the future; cancelled ones have no services left.
    const bad = await one<{ future_setup: number; active_no_bill: number; cancelled_svcs: number; live_without_svc: number }>(
      sql`SELECT (SELECT count(*) FROM cust_pkg WHERE setup > ${NOW.toISOString()}::timestamptz)::int AS future_setup,
                 (SELECT count(*) FROM cust_pkg p JOIN part_pkg pp USING (pkgpart)
                   WHERE p.setup IS NOT NULL AND p.susp IS NULL AND p.cancel IS NULL AND pp.freq <> '0' AND NOT (p.bill > ${NOW.toISOString()}::timestamptz))::int AS active_no_bill,
                 (SELECT count(*) FROM cust_svc cs JOIN cust_pkg p ON p.pkgnum = cs.pkgnum WHERE p.cancel IS NOT NULL)::int AS cancelled_svcs,
                 (SELECT count(*) FROM cust_pkg p WHERE p.cancel IS NULL AND EXISTS (SELECT 1 FROM pkg_svc s WHERE s.pkgpart = p.pkgpart)
                   AND NOT EXISTS (SELECT 1 FROM cust_svc cs WHERE cs.pkgnum = p.pkgnum))::int AS live_without_svc`,
    );
    assert.deepEqual(bad, { future_setup: 0, active_no_bill: 0, cancelled_svcs: 0, live_without_svc: 0 });
  });
});

describe("a year of billing, made by the billing engine (db/seed/history.ts)", () => {
  const custnumOf = (name: string) => summary.customers.find((c) => c.login === name)!.custnum;

  test("invoices for each of the last 12 months, none outside the year, as the summary says", async () => {
    const r = await one<{ n: number; months: number; first: string; last: string; alice_months: number }>(
      sql`SELECT count(*)::int AS n, count(DISTINCT to_char(_date AT TIME ZONE 'UTC', 'YYYY-MM'))::int AS months,
                 min(_date)::text AS first, max(_date)::text AS last,
                 (SELECT count(DISTINCT to_char(_date AT TIME ZONE 'UTC', 'YYYY-MM')) FROM cust_bill WHERE custnum = ${custnumOf("alice")})::int AS alice_months
            FROM cust_bill`,
    );
    assert.equal(r.n, summary.billing.invoices);
    assert.ok(r.n >= 150, `${r.n} invoices`);
    assert.ok(r.months >= 12, `${r.months} months with invoices`);
    assert.ok(r.alice_months >= 12, `alice has invoices in ${r.alice_months} months`);
    assert.ok(new Date(r.first).getTime() >= NOW.getTime() - HISTORY_DAYS * 86_400_000);
    assert.ok(new Date(r.last).getTime() <= NOW.getTime());
    const money = await one<{ payments: number; credits: number }>(sql`SELECT (SELECT count(*) FROM cust_pay)::int AS payments, (SELECT count(*) FROM cust_credit)::int AS credits`);
    assert.equal(money.payments, summary.billing.payments);
    assert.equal(money.credits, summary.billing.credits);
    assert.ok(money.credits >= 1);
  });

  test("every invoice's lines sum to its total, and what it owes is its total less what was applied to it", async () => {
    const bad = await one<{ lines: number; owed: number; overapplied: number }>(
      sql`SELECT (SELECT count(*) FROM cust_bill b
                   WHERE b.charged <> (SELECT COALESCE(sum(bp.setup + bp.recur), 0) FROM cust_bill_pkg bp WHERE bp.invnum = b.invnum))::int AS lines,
                 (SELECT count(*) FROM cust_bill b
                   WHERE b.owed <> b.charged - COALESCE((SELECT sum(amount) FROM cust_bill_pay WHERE invnum = b.invnum), 0)
                                             - COALESCE((SELECT sum(amount) FROM cust_credit_bill WHERE invnum = b.invnum), 0))::int AS owed,
                 (SELECT count(*) FROM cust_pay p WHERE p.paid < COALESCE((SELECT sum(amount) FROM cust_bill_pay WHERE paynum = p.paynum), 0))::int AS overapplied`,
    );
    assert.deepEqual(bad, { lines: 0, owed: 0, overapplied: 0 });
    // The engine's rules: recurring lines carry their period, a setup fee is charged once per package,
    // and the lines of taxed customers carry their tax lines.
    const rules = await one<{ no_period: number; setup_twice: number; alice_taxed: number; erin_taxes: string }>(
      sql`SELECT (SELECT count(*) FROM cust_bill_pkg WHERE recur > 0 AND NOT (sdate < edate))::int AS no_period,
                 (SELECT count(*) FROM (SELECT pkgnum FROM cust_bill_pkg WHERE pkgnum IS NOT NULL AND setup > 0 GROUP BY pkgnum HAVING count(*) > 1) x)::int AS setup_twice,
                 (SELECT count(DISTINCT b.invnum) FROM cust_bill b JOIN cust_bill_pkg bp ON bp.invnum = b.invnum
                   WHERE b.custnum = ${custnumOf("alice")} AND bp.pkgnum IS NULL AND bp.itemdesc = 'CA sales tax')::int AS alice_taxed,
                 (SELECT string_agg(DISTINCT bp.itemdesc, ',' ORDER BY bp.itemdesc) FROM cust_bill b JOIN cust_bill_pkg bp ON bp.invnum = b.invnum
                   WHERE b.custnum = ${custnumOf("erin")} AND bp.pkgnum IS NULL) AS erin_taxes`,
    );
    const aliceInvoices = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM cust_bill WHERE custnum = ${custnumOf("alice")}`);
    assert.deepEqual({ ...rules, alice_taxed: rules.alice_taxed === aliceInvoices.n }, { no_period: 0, setup_twice: 0, alice_taxed: true, erin_taxes: "GST,PST" });
  });

  test("each balance = invoices − payments − credits + refunds = what open invoices owe − what is unapplied", async () => {
    const rows = await queryRows<{ custnum: number; sums: number; owed_less_unapplied: number }>(
      t.db,
      sql`SELECT c.custnum,
                 ((COALESCE((SELECT sum(charged) FROM cust_bill WHERE custnum = c.custnum), 0)
                   - COALESCE((SELECT sum(paid) FROM cust_pay WHERE custnum = c.custnum), 0)
                   - COALESCE((SELECT sum(amount) FROM cust_credit WHERE custnum = c.custnum), 0)
                   + COALESCE((SELECT sum(refund) FROM cust_refund WHERE custnum = c.custnum), 0)) * 100)::int AS sums,
                 ((COALESCE((SELECT sum(owed) FROM cust_bill WHERE custnum = c.custnum), 0)
                   - COALESCE((SELECT sum(p.paid - COALESCE((SELECT sum(amount) FROM cust_bill_pay WHERE paynum = p.paynum), 0)) FROM cust_pay p WHERE p.custnum = c.custnum), 0)
                   - COALESCE((SELECT sum(cr.amount - COALESCE((SELECT sum(amount) FROM cust_credit_bill WHERE crednum = cr.crednum), 0)) FROM cust_credit cr WHERE cr.custnum = c.custnum), 0)
                   + COALESCE((SELECT sum(refund) FROM cust_refund WHERE custnum = c.custnum), 0)) * 100)::int AS owed_less_unapplied
            FROM cust_main c ORDER BY c.custnum`,
    );
    assert.equal(rows.length, summary.counts.customers);
    for (const r of rows) {
      const balance = await getBalanceCents(t.db, r.custnum);
      assert.equal(balance, Number(r.sums), `customer ${r.custnum}`);
      assert.equal(balance, Number(r.owed_less_unapplied), `customer ${r.custnum}`);
    }
  });

  test("most customers are paid up, some owe their latest invoice, a few are overdue, one pays in parts", async () => {
    let billed = 0;
    let paidUp = 0;
    let openOnly = 0;
    let overdue = 0;
    let partial = 0;
    for (const c of summary.customers) {
      const page = await listInvoices(t.db, { custnum: c.custnum, pageSize: 100, now: NOW });
      if (page.total === 0) continue;
      billed++;
      const statuses = new Set(page.invoices.map((i) => i.status));
      const balance = await getBalanceCents(t.db, c.custnum);
      if (balance === 0) paidUp++;
      else if (statuses.has("overdue")) overdue++;
      else openOnly++;
      if (statuses.has("partial")) partial++;
    }
    assert.ok(billed >= 40, `${billed} customers billed`);
    assert.ok(paidUp * 2 > billed, `paid up ${paidUp} of ${billed} (open ${openOnly}, overdue ${overdue})`);
    assert.ok(openOnly >= 3, `${openOnly} customers with an open balance`);
    assert.ok(overdue >= 3 && overdue <= 15, `${overdue} customers overdue`);
    assert.ok(partial >= 1, `${partial} customers with a partly paid invoice`);
  });

  test("alice has paid invoices and open ones (not yet due), and a credit; dave owes and is overdue", async () => {
    const alice = await listInvoices(t.db, { custnum: custnumOf("alice"), pageSize: 100, now: NOW });
    const statuses = alice.invoices.map((i) => i.status);
    assert.ok(statuses.includes("paid"), statuses.join(","));
    assert.ok(statuses.includes("open"), statuses.join(","));
    assert.ok(!statuses.includes("overdue"), statuses.join(","));
    assert.equal(alice.invoices[0]!.status, "open", "her newest invoice is open");
    assert.ok(alice.total > 10, `${alice.total} invoices: more than one page of ten`);
    const aliceBalance = await getBalanceCents(t.db, custnumOf("alice"));
    assert.equal(aliceBalance, alice.invoices.reduce((s, i) => s + i.owedCents, 0));
    const credit = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM cust_credit WHERE custnum = ${custnumOf("alice")} AND reason = 'Service outage credit'`);
    assert.equal(credit.n, 1);

    const dave = summary.customers.find((c) => c.login === "dave")!;
    assert.ok((await getBalanceCents(t.db, dave.custnum)) > 0, "dave owes money");
    const daveInvoices = await listInvoices(t.db, { custnum: dave.custnum, pageSize: 100, now: NOW });
    assert.ok(daveInvoices.invoices.some((i) => i.status === "overdue"));
    // Nothing billed after his packages were suspended.
    const susp = Math.min(...dave.packages.map((p) => p.susp!.getTime()));
    assert.ok(daveInvoices.invoices.every((i) => i.date.getTime() < susp));
  });
});

describe("demo logins", () => {
  test("every DEMO_LOGINS entry logs in through lib/auth/login.ts, as the right customer", async () => {
    const ways = new Set<string>();
    for (const l of DEMO_LOGINS as readonly DemoLogin[]) {
      const r = await login(t.db, demoLoginInput(l), { ip: "10.9.0.1" });
      const customer = summary.customers.find((c) => c.login === l.name);
      assert.ok(customer, `${l.name} is in the summary`);
      assert.equal(r.custnum, customer.custnum, `${l.name} logs in as ${customer.first} ${customer.last}`);
      assert.equal(`${customer.first} ${customer.last}`, l.customer);
      ways.add(l.how);
    }
    assert.deepEqual([...ways].sort(), ["email", "phone", "username"]);
  });

  test("bob's account also works as username@domain in the e-mail field", async () => {
    const r = await login(t.db, { email: "bob@northwind.example", password: DEMO_PASSWORD }, {});
    assert.equal(r.custnum, summary.customers.find((c) => c.login === "bob")!.custnum);
  });

  test("the demo customers are what the README says", () => {
    const c = (name: string) => summary.customers.find((x) => x.login === name)!;
    assert.deepEqual(c("alice").location, { city: "Oakland", county: "Alameda", state: "CA", country: "US" });
    assert.deepEqual(
      c("alice").packages.map((p) => [p.key, p.status]),
      [
        ["dsl50", "active"],
        ["install", "one-time charge"],
        ["voip", "active"],
        ["hosting", "active"],
      ],
    );
    assert.equal(c("bob").location.county, "King");
    assert.equal(c("bob").location.state, "WA");
    assert.equal(c("dave").status, "suspended");
    assert.equal(c("erin").location.country, "CA");
    assert.equal(c("erin").location.state, "BC");
    assert.equal(c("erin").agent, "Harbor Net Partners");
  });

  test("a wrong password or PIN for a demo login fails with the one message", async () => {
    for (const input of [
      { email: "alice@example.com", password: "Demo-pass-2025" },
      { username: "bob", domain: "northwind.example", password: "nope" },
      { username: "4155550123", domain: "svc_phone", password: "1357" },
    ]) {
      await assert.rejects(login(t.db, input, { ip: "10.9.0.2" }), (e: unknown) => isAppError(e) && e.code === "INVALID_CREDENTIALS" && e.message === LOGIN_FAILED_MESSAGE);
    }
  });
});

describe("seeding twice", () => {
  test("the run logic says already seeded and writes nothing; seedDemo itself refuses", async () => {
    const before = await one<{ c: number; p: number; a: number }>(sql`SELECT (SELECT count(*) FROM cust_main)::int AS c, (SELECT count(*) FROM cust_pkg)::int AS p, (SELECT count(*) FROM agent)::int AS a`);
    const lines: string[] = [];
    const outcome = await seedDemoIfNeeded(t.db, (l) => lines.push(l), { ifEmpty: true });
    assert.equal(outcome.result, "already-seeded");
    assert.deepEqual(lines, [ALREADY_SEEDED_MESSAGE]);
    assert.match(ALREADY_SEEDED_MESSAGE, /already seeded/);
    assert.equal((await seedDemoIfNeeded(t.db, () => {})).result, "already-seeded");
    await assert.rejects(seedDemo(t.db, { now: NOW }), (e: unknown) => isAppError(e) && e.code === "CONFLICT");
    const afterCounts = await one<{ c: number; p: number; a: number }>(sql`SELECT (SELECT count(*) FROM cust_main)::int AS c, (SELECT count(*) FROM cust_pkg)::int AS p, (SELECT count(*) FROM agent)::int AS a`);
    assert.deepEqual(afterCounts, before);
    assert.equal(await isDemoSeeded(t.db), true);
  });

  test("--customers N asks for the scale seed; a bad count is refused; other arguments are accepted", () => {
    assert.deepEqual(parseSeedArgs(["--customers", "5000"]), { ok: true, ifEmpty: false, customers: 5000 });
    assert.deepEqual(parseSeedArgs(["--customers=100_000"]), { ok: true, ifEmpty: false, customers: 100_000 });
    for (const bad of [["--customers"], ["--customers", "0"], ["--customers=-5"], ["--customers", "1e5"], ["--customers", "2000000"]]) {
      assert.deepEqual(parseSeedArgs(bad), { ok: false, exitCode: 2, message: CUSTOMERS_ARG_MESSAGE }, bad.join(" "));
    }
    assert.deepEqual(parseSeedArgs(["--if-empty", "--whatever"]), { ok: true, ifEmpty: true });
    assert.deepEqual(parseSeedArgs([]), { ok: true, ifEmpty: false });
  });
});

describe("determinism", () => {
  test("mulberry32 is a fixed sequence", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const r = new SeededRandom(1);
    assert.ok(Array.from({ length: 100 }, () => r.int(3, 5)).every((n) => n >= 3 && n <= 5));
  });

  test("a second database seeded at another time gets the same customers, usernames, numbers and domains", { skip: pglite ? "one PGlite instance per file is enough" : false }, async () => {
    const t2 = await createTestDb();
    try {
      await seedDemo(t2.db, { now: new Date("2027-03-02T08:30:00Z") });
      const snapshot = async (db: TestDb["db"]) =>
        (await Promise.all([
          queryRows(db, sql`SELECT custnum, agentnum, first, last, company, agent_custid FROM cust_main ORDER BY custnum`),
          queryRows(db, sql`SELECT svcnum, username, domsvc, popnum FROM svc_acct ORDER BY svcnum`),
          queryRows(db, sql`SELECT svcnum, phonenum FROM svc_phone ORDER BY svcnum`),
          queryRows(db, sql`SELECT svcnum, domain FROM svc_domain ORDER BY svcnum`),
          queryRows(db, sql`SELECT emailaddress FROM contact_email ORDER BY contactemailnum`),
          queryRows(db, sql`SELECT identifier FROM prepay_credit ORDER BY prepaynum`),
          queryRows(db, sql`SELECT address1, city, zip FROM cust_location ORDER BY locationnum`),
        ])).map((rows) => [...rows]);
      assert.deepEqual(await snapshot(t2.db), await snapshot(t.db));
    } finally {
      await t2.drop();
    }
  });
});

describe("the CLI", { skip: pglite ? "covered by the PostgreSQL run" : false }, () => {
  const run = (env: NodeJS.ProcessEnv, script: string, ...args: string[]) =>
    spawnSync(process.execPath, ["--import", "./scripts/support/register.mjs", script, ...args], { env, encoding: "utf8", timeout: 180_000 });

  test("db:migrate on PostgreSQL says what it did and never prints the password", () => {
    const url = new URL(t.url!);
    url.password = "not-a-real-secret";
    const r = run({ ...process.env, DATABASE_URL: url.toString() }, "db/migrate.ts");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Database: PostgreSQL postgres:\/\/postgres:\*\*\*@/);
    const migrations = (JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] }).entries.length;
    assert.match(r.stdout, new RegExp(`Up to date: ${migrations} migration\\(s\\) applied|Applied ${migrations} migration`));
    assert.doesNotMatch(r.stdout + r.stderr, /not-a-real-secret/);
  });

  test("db:seed --if-empty seeds a fresh PGlite folder (migrating it first), and a second run is refused", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portico-seed-"));
    const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: path.join(dir, "pglite"), PORTICO_SCRYPT_LOG_N: process.env.PORTICO_SCRYPT_LOG_N ?? "12", PORTICO_SCRYPT_P: process.env.PORTICO_SCRYPT_P ?? "1" };
    delete env.DATABASE_URL;
    try {
      const first = run(env, "db/seed/run.ts", "--if-empty");
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /embedded PGlite/);
      assert.match(first.stdout, /60 customers/);
      assert.match(first.stdout, /alice@example\.com/);
      assert.match(first.stdout, /4155550123/);

      const second = run(env, "db/seed/run.ts", "--if-empty", "--ignored-arg");
      assert.equal(second.status, 0, second.stderr);
      assert.match(second.stdout, /already seeded/);
      assert.doesNotMatch(second.stdout, /Seeded the demo/);
      assert.match(second.stdout, /alice@example\.com/, "the logins are printed again");

      const scale = run(env, "db/seed/run.ts", "--customers", "6000");
      assert.equal(scale.status, 1);
      assert.match(scale.stderr, /more than 5,000 customers needs PostgreSQL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--if-empty leaves a database that holds other data alone", async () => {
    const t3 = await createTestDb();
    try {
      await createWorld(t3.db);
      const lines: string[] = [];
      const outcome = await seedDemoIfNeeded(t3.db, (l) => lines.push(l), { ifEmpty: true });
      assert.equal(outcome.result, "not-empty");
      assert.match(lines.join("\n"), /not the demo: not seeding/);
      const [n] = await queryRows<{ n: number }>(t3.db, sql`SELECT count(*)::int AS n FROM cust_main`);
      assert.equal(n!.n, 0);
      assert.equal(await isDemoSeeded(t3.db), false);
    } finally {
      await t3.drop();
    }
  });
});
