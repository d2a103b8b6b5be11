// The EXPLAIN guard: every hot query behind the portal's pages and the RPC methods the benchmark
// measures must reach a customer's rows through an index. The SQL comes from the real lib
// functions (a database handle whose driver records what they execute), planned on a seeded
// database with sequential scans disabled: a Seq Scan left in such a plan means no index can
// serve the lookup, so a missing index fails here before it shows in a benchmark.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { sql } from "drizzle-orm";
import * as schema from "../../db/schema";
import type { Db } from "../../db/client";
import { createTestDb, type TestDb } from "../support/db";
import { seedDemo } from "../../db/seed/demo";
import { DEMO_PASSWORD } from "../../db/seed/demo-logins";
import { seedScale, scaleLogins } from "../../db/seed/scale";
import { queryRows } from "../../lib/db/rows";
import { createCustomerSession, resolveSession } from "../../lib/auth/sessions";
import { login } from "../../lib/auth/login";
import { getCustomerInfo, getCustomerInfoForSession } from "../../lib/customers/customer-info";
import { listInvoices, listInvoicesForSession } from "../../lib/billing/list-invoices";
import { getBalanceCents, getNextBillDate } from "../../lib/billing/balance";
import { getInvoice, getInvoiceForSession } from "../../lib/billing/invoice";
import { billingHistory, billingHistoryForSession } from "../../lib/billing/billing-history";
import { listPayments } from "../../lib/billing/list-payments";
import { listPayby } from "../../lib/payments/payby";
import { paymentInfo } from "../../lib/payments/payment-info";

const skip = process.env.PORTICO_TEST_DRIVER === "pglite" ? "PostgreSQL plans only" : false;

/** Tables holding customers' rows: reaching them must always go through an index. */
const CUSTOMER_TABLES = new Set([
  "cust_main",
  "cust_location",
  "cust_main_invoice",
  "contact",
  "contact_email",
  "cust_pkg",
  "cust_svc",
  "svc_acct",
  "svc_domain",
  "svc_phone",
  "svc_external",
  "cust_payby",
  "cust_pay_pending",
  "cust_bill",
  "cust_bill_pkg",
  "cust_bill_pkg_tax_location",
  "cust_pay",
  "cust_credit",
  "cust_refund",
  "cust_bill_pay",
  "cust_credit_bill",
  "cust_pay_refund",
  "cust_credit_refund",
  "session",
  "login_throttle",
  "audit_log",
]);

interface Captured {
  query: string;
  params: unknown[];
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
  [k: string]: unknown;
}

function seqScans(node: PlanNode, out: string[] = []): string[] {
  if (node["Node Type"] === "Seq Scan" && node["Relation Name"] && CUSTOMER_TABLES.has(node["Relation Name"])) out.push(node["Relation Name"]);
  for (const child of node.Plans ?? []) seqScans(child, out);
  return out;
}

let t: TestDb;
let client: postgres.Sql;
let db: Db;
let recording: Captured[] | null = null;
const fx = { custnum: 0, contactnum: 0, invnum: 0, otherInvnum: 0, token: "", email: "" };

before(async () => {
  if (skip) return;
  t = await createTestDb();
  await seedDemo(t.db);
  await seedScale(t.db, { customers: 300, vaultKey: Buffer.alloc(32, 7) });
  // A second handle on the same database whose driver reports every statement it runs.
  client = postgres(t.url!, {
    max: 1,
    onnotice: () => {},
    debug: (_connection: number, query: string, params: unknown[]) => {
      recording?.push({ query, params: [...params] });
    },
  });
  db = drizzle(client, { schema }) as unknown as Db;
  const [who] = await scaleLogins(t.db, 1);
  fx.custnum = who!.custnum;
  fx.contactnum = who!.contactnum;
  fx.email = who!.email;
  const [inv] = await queryRows<{ invnum: number }>(t.db, sql`SELECT max(invnum) AS invnum FROM cust_bill WHERE custnum = ${fx.custnum}`);
  fx.invnum = Number(inv!.invnum);
  const [other] = await queryRows<{ invnum: number }>(t.db, sql`SELECT max(invnum) AS invnum FROM cust_bill WHERE custnum <> ${fx.custnum}`);
  fx.otherInvnum = Number(other!.invnum);
  fx.token = await createCustomerSession(t.db, { custnum: fx.custnum, contactnum: fx.contactnum });
});

after(async () => {
  if (skip) return;
  await client?.end({ timeout: 5 });
  await t.drop();
});

/** Runs `fn` on the recording handle and returns the statements it executed. */
async function capture(fn: (db: Db) => Promise<unknown>): Promise<Captured[]> {
  recording = [];
  try {
    await fn(db);
    return recording.filter((c) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET\b|SELECT pg_advisory)/i.test(c.query));
  } finally {
    recording = null;
  }
}

/** The plan of each statement with sequential scans disabled; the customer tables it still scans whole. */
async function unindexed(statements: Captured[], on: postgres.Sql = client): Promise<{ query: string; tables: string[] }[]> {
  const out: { query: string; tables: string[] }[] = [];
  await on.unsafe("SET enable_seqscan = off");
  try {
    for (const s of statements) {
      const [row] = (await on.unsafe(`EXPLAIN (FORMAT JSON) ${s.query}`, s.params as never[])) as unknown as { "QUERY PLAN": { Plan: PlanNode }[] }[];
      const tables = seqScans(row!["QUERY PLAN"][0]!.Plan);
      if (tables.length) out.push({ query: s.query.replace(/\s+/g, " ").slice(0, 200), tables });
    }
  } finally {
    await on.unsafe("RESET enable_seqscan");
  }
  return out;
}

/**
 * Scans of a customer table keyed by custnum (an index or recheck condition on it) that ran more
 * than once in one execution: a per-customer figure (a balance, a count, a next bill date) that
 * PostgreSQL worked out again for every row, as a correlated sub-select in the SELECT list of a
 * many-row statement does. Runs each read-only statement with EXPLAIN ANALYZE (in a transaction
 * that is rolled back).
 */
async function repeatedCustomerLookups(statements: Captured[]): Promise<{ query: string; scans: string[] }[]> {
  const out: { query: string; scans: string[] }[] = [];
  const walk = (node: PlanNode, acc: string[]) => {
    const conds = [node["Index Cond"], node["Recheck Cond"]].filter((c): c is string => typeof c === "string");
    const loops = Number(node["Actual Loops"] ?? 0);
    if (node["Relation Name"] && CUSTOMER_TABLES.has(node["Relation Name"]) && loops > 1 && conds.some((c) => /\bcustnum\b/.test(c))) {
      acc.push(`${node["Node Type"]} on ${node["Relation Name"]} × ${loops}`);
    }
    for (const child of node.Plans ?? []) walk(child, acc);
    return acc;
  };
  await client
    .begin(async (tx) => {
      for (const s of statements) {
        if (!/^\s*(SELECT|WITH)\b/i.test(s.query) || /\b(INSERT|UPDATE|DELETE)\b/i.test(s.query)) continue;
        const [row] = (await tx.unsafe(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.query}`, s.params as never[])) as unknown as { "QUERY PLAN": { Plan: PlanNode }[] }[];
        const scans = walk(row!["QUERY PLAN"][0]!.Plan, []);
        if (scans.length) out.push({ query: s.query.replace(/\s+/g, " ").slice(0, 200), scans });
      }
      throw new Error("rollback");
    })
    .catch((e: Error) => {
      if (e.message !== "rollback") throw e;
    });
  return out;
}

/** The hot paths: what each page and RPC method the benchmark measures runs, and at most how many statements. */
const HOT: { name: string; maxStatements: number; run: (db: Db) => Promise<unknown> }[] = [
  { name: "session lookup (every page and RPC call)", maxStatements: 2, run: (d) => resolveSession(d, fx.token) },
  { name: "getCustomerInfoForSession: the session and the account (/account, customer_info)", maxStatements: 1, run: (d) => getCustomerInfoForSession(d, fx.token) },
  { name: "getCustomerInfo (edit form, regionselector)", maxStatements: 1, run: (d) => getCustomerInfo(d, fx.custnum) },
  { name: "listInvoicesForSession: the session and a page (/invoices, list_invoices)", maxStatements: 1, run: (d) => listInvoicesForSession(d, fx.token) },
  { name: "listInvoices", maxStatements: 1, run: (d) => listInvoices(d, { custnum: fx.custnum }) },
  { name: "listInvoices, a later page", maxStatements: 1, run: (d) => listInvoices(d, { custnum: fx.custnum, page: 2, pageSize: 5 }) },
  { name: "listInvoices, a page past the end", maxStatements: 1, run: (d) => listInvoices(d, { custnum: fx.custnum, page: 999, pageSize: 5 }) },
  { name: "getBalanceCents (/invoices, list_invoices, /pay)", maxStatements: 1, run: (d) => getBalanceCents(d, fx.custnum) },
  { name: "getNextBillDate", maxStatements: 1, run: (d) => getNextBillDate(d, fx.custnum) },
  { name: "getInvoice", maxStatements: 1, run: (d) => getInvoice(d, { custnum: fx.custnum, invnum: fx.invnum }) },
  {
    name: "getInvoiceForSession: the session and the invoice (/invoices/N, its PDF, invoice and invoice_pdf RPC)",
    maxStatements: 1,
    run: (d) => getInvoiceForSession(d, fx.token, { invnum: fx.invnum }),
  },
  {
    name: "getInvoiceForSession, another customer's invnum (not found)",
    maxStatements: 1,
    run: (d) => getInvoiceForSession(d, fx.token, { invnum: fx.otherInvnum }).then(
      () => assert.fail("another customer's invoice was found"),
      (e: Error) => assert.equal(e.message, "Can't find invnum"),
    ),
  },
  { name: "billingHistory", maxStatements: 1, run: (d) => billingHistory(d, { custnum: fx.custnum }) },
  {
    name: "billingHistoryForSession: the session, a page, the count and the balance (/billing/history)",
    maxStatements: 1,
    run: (d) => billingHistoryForSession(d, fx.token, { pageSize: 25 }),
  },
  {
    name: "billingHistoryForSession with the next bill date (billing_history RPC)",
    maxStatements: 1,
    run: (d) => billingHistoryForSession(d, fx.token, { withNextBillDate: true }),
  },
  { name: "billingHistory, a page past the end", maxStatements: 1, run: (d) => billingHistory(d, { custnum: fx.custnum, page: 999, pageSize: 5 }) },
  { name: "listPayments", maxStatements: 3, run: (d) => listPayments(d, { custnum: fx.custnum }) },
  { name: "listPayby (/payment-methods)", maxStatements: 1, run: (d) => listPayby(d, { custnum: fx.custnum }) },
  { name: "paymentInfo (/pay, payment_info)", maxStatements: 4, run: (d) => paymentInfo(d, { custnum: fx.custnum }) },
  { name: "login by e-mail", maxStatements: 10, run: (d) => login(d, { email: fx.email, password: DEMO_PASSWORD }, { ip: "192.0.2.10" }) },
];

describe("EXPLAIN guard: hot queries use an index for every customer-scoped lookup", { skip }, () => {
  for (const h of HOT) {
    test(h.name, async () => {
      const statements = await capture(h.run);
      assert.ok(statements.length > 0, "the function ran no SQL on the recording handle");
      assert.ok(statements.length <= h.maxStatements, `${statements.length} statements (at most ${h.maxStatements}):\n${statements.map((s) => s.query.slice(0, 120)).join("\n")}`);
      const bad = await unindexed(statements);
      assert.deepEqual(bad, [], `sequential scans on customer tables:\n${bad.map((b) => `${b.tables.join(", ")} ← ${b.query}`).join("\n")}`);
      const repeated = await repeatedCustomerLookups(statements);
      assert.deepEqual(repeated, [], `per-customer lookups repeated within one statement:\n${repeated.map((r) => `${r.scans.join(", ")} ← ${r.query}`).join("\n")}`);
    });
  }

  test("the guard catches a per-customer figure worked out again for every row", async () => {
    // The balance as a sub-select of a many-row SELECT list, as listInvoices had it until 2026-12-07.
    const statements: Captured[] = [
      {
        query: `SELECT b.invnum, (SELECT sum(p.paid) FROM cust_pay p WHERE p.custnum = b.custnum) AS paid FROM cust_bill b WHERE b.custnum = $1`,
        params: [fx.custnum],
      },
    ];
    const found = await repeatedCustomerLookups(statements);
    assert.ok(found.some((f) => f.scans.some((s) => s.includes("cust_pay"))), `expected a repeated scan of cust_pay, got ${JSON.stringify(found)}`);
  });

  test("the guard catches a missing index (cust_bill without its custnum indexes)", async () => {
    const statements = await capture((d) => listInvoices(d, { custnum: fx.custnum }));
    // DDL is transactional: drop the indexes, plan, roll back.
    let found: { query: string; tables: string[] }[] = [];
    await client
      .begin(async (tx) => {
        await tx.unsafe("DROP INDEX cust_bill_custnum_date");
        await tx.unsafe("DROP INDEX cust_bill_open");
        found = await unindexed(statements, tx as unknown as postgres.Sql);
        throw new Error("rollback");
      })
      .catch((e: Error) => {
        if (e.message !== "rollback") throw e;
      });
    assert.ok(found.some((f) => f.tables.includes("cust_bill")), `expected a Seq Scan on cust_bill, got ${JSON.stringify(found)}`);
    // …and the indexes are back.
    assert.deepEqual(await unindexed(statements), []);
  });
});
