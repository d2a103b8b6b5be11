import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "../client";
import { createAgent } from "../../lib/agents/create-agent";
import { hashPassword } from "../../lib/auth/password";
import { findTaxRates } from "../../lib/billing/tax";
import { queryRows } from "../../lib/db/rows";
import { AppError } from "../../lib/errors";
import { TEST_BANK, TEST_CARDS } from "../../lib/payments/gateway/test-gateway";
import { checkPaybyFields, type NormalizedPayby } from "../../lib/payments/payby-schema";
import { parseVaultKey, paybyContext, sealSecret } from "../../lib/payments/vault";
import { asciiSlug, isDemoSeeded } from "./demo";
import {
  ACCESS_NUMBERS,
  CATALOGUE,
  DEMO_DOMAIN,
  DEMO_MARKER_AGENT,
  DEMO_PARTNER_AGENT,
  FIRST_NAMES,
  LAST_NAMES,
  PARTNER_DOMAIN,
  PLACES,
  STREETS,
  type PkgKey,
} from "./demo-data";
import { DEMO_PASSWORD, DEMO_PIN } from "./demo-logins";

/**
 * The scale seed (`npm run db:seed -- --customers N`): an ISP-shaped dataset on top of the demo
 * catalogue, written with set-based SQL (generate_series, INSERT … SELECT) in one transaction.
 *
 * What it writes follows the billing engine's rules (lib/billing/bill-customer.ts), so
 * `npm run db:check` and the engine itself can carry on from it:
 *  - customers across the demo's agents plus three resellers, in the demo's regions, each with a
 *    bill location, an invoice e-mail (some also by post) and a self-service contact whose
 *    password is the demo password (hashed ONCE and reused), so a benchmark can log in as any
 *    of them: `<first>.<last>.<n>@scale.example`;
 *  - 1–3 packages each (broadband, add-ons, one-time charges) that the customer's agent may sell,
 *    in realistic statuses (active, suspended for non-payment, cancelled, just ordered), with
 *    their services: svc_acct with unique usernames, svc_phone, svc_domain, svc_external;
 *  - stored payment methods (cust_payby): each checked by the same checkPaybyFields as
 *    insert_payby and sealed by the vault per row, because the vault binds the customer
 *    (paybyContext(custnum)) as authenticated data — a shared ciphertext would not open;
 *  - 12–36 months of invoices: one per billing day, a line per package due (setup fee with the
 *    first period, recurring fee for the whole period [sdate, edate), one-time charges), and the
 *    taxes of the customer's region looked up with the engine's own findTaxRates: one tax line
 *    per tax name, each tax computed on the sum of its taxable lines and rounded half-up, with
 *    the per-line shares (truncated, the leftover cents to the first lines) in
 *    cust_bill_pkg_tax_location; lines always add up to cust_bill.charged;
 *  - payments, credits and refunds applied the engine's way (oldest open invoice first, never
 *    more than the payment, the credit or the invoice), cust_bill.owed = charged − applications,
 *    previous_balance = the balance before the invoice, and each package's setup, last_bill and
 *    next bill date where the engine would have left them.
 * Deterministic: the same N gives the same customers (a hash of the customer's index), with
 * dates relative to `now`.
 */

export const SCALE_EMAIL_DOMAIN = "scale.example";
/** agent_custid of every scale customer: "SC-" + its index (marks a scale customer). */
export const SCALE_CUSTID_PREFIX = "SC-";
export const SCALE_MAX_CUSTOMERS = 1_000_000;
/** PGlite is one process in WebAssembly: fine for a few thousand customers, not for more. */
export const SCALE_PGLITE_MAX = 5_000;
const SCALE_RANDOM_SEED = 20_260_707;
const SCALE_LOCK_KEY = 7_270_002;

export const SCALE_AGENTS = [
  { agent: "Metro Fiber Resellers", kind: "partner" as const },
  { agent: "Valley Wireless Co-op", kind: "partner" as const },
  { agent: "Northwind Business Direct", kind: "direct" as const },
];

export function scaleEmail(first: string, last: string, index: number): string {
  return `${asciiSlug(first)}.${asciiSlug(last)}.${index}@${SCALE_EMAIL_DOMAIN}`;
}

export interface ScaleSeedOptions {
  customers: number;
  now?: Date;
  /** The ISP's timezone for billing days (PORTICO_TIMEZONE, default UTC). */
  timezone?: string;
  /** Customers written per step (progress granularity; default 10 000). */
  chunkSize?: number;
  /** The vault key that seals payment methods; default PORTICO_VAULT_KEY. */
  vaultKey?: Buffer;
  onProgress?: (fraction: number, label: string) => void;
}

/** Rows written, by kind (one chunk's, or the whole seed's). */
export interface ScaleRowCounts {
  customers: number;
  packages: number;
  services: number;
  paymentMethods: number;
  invoices: number;
  invoiceLines: number;
  taxLines: number;
  payments: number;
  credits: number;
  refunds: number;
}

export interface ScaleSeedSummary extends ScaleRowCounts {
  seconds: number;
  /** Foreign keys were checked row by row (false: bulk mode, validated afterwards). */
  foreignKeysPerRow: boolean;
}

export type ScaleOutcome = { result: "seeded"; summary: ScaleSeedSummary } | { result: "already-seeded"; customers: number };

/** How many scale customers the database holds. */
export async function countScaleCustomers(db: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM cust_main WHERE agent_custid LIKE ${`${SCALE_CUSTID_PREFIX}%`}`);
  return Number(row?.n ?? 0);
}

/** Logins of scale customers for load tests: e-mail (password DEMO_PASSWORD) and custnum, spread over the whole range. */
export async function scaleLogins(db: DbOrTx, count: number): Promise<{ email: string; custnum: number; contactnum: number }[]> {
  return (
    await queryRows<{ email: string; custnum: number; contactnum: number }>(
      db,
      sql`SELECT e.emailaddress AS email, c.custnum, c.contactnum
            FROM contact_email e JOIN contact c ON c.contactnum = e.contactnum
            JOIN cust_main m ON m.custnum = c.custnum
           WHERE e.emailaddress LIKE ${`%@${SCALE_EMAIL_DOMAIN}`} AND c.selfservice_access = 'Y'
           ORDER BY hashint4(c.custnum)
           LIMIT ${count}`,
    )
  ).map((r) => ({ email: r.email, custnum: Number(r.custnum), contactnum: Number(r.contactnum) }));
}

// ---------------------------------------------------------------------------------------------
// The catalogue the seed builds on (the demo's), resolved to ids

interface CatalogueRefs {
  agents: { agentnum: number; isDirect: boolean; isHarbor: boolean; domsvc: number; weight: number }[];
  pkgs: Map<PkgKey, { pkgpart: number; svcpart: number | null; svcdb: string | null }>;
  popsByState: Map<string, number[]>;
}

async function resolveCatalogue(db: DbOrTx): Promise<CatalogueRefs> {
  const agents = await queryRows<{ agentnum: number; agent: string; typenum: number }>(
    db,
    sql`SELECT agentnum, agent, typenum FROM agent WHERE agent IN (${DEMO_MARKER_AGENT}, ${DEMO_PARTNER_AGENT}) ORDER BY agentnum`,
  );
  const direct = agents.find((a) => a.agent === DEMO_MARKER_AGENT);
  const partner = agents.find((a) => a.agent === DEMO_PARTNER_AGENT);
  if (!direct || !partner) throw new AppError("CONFLICT", "The scale seed builds on the demo catalogue, which is not in this database");

  const domains = await queryRows<{ svcnum: number; domain: string }>(
    db,
    sql`SELECT svcnum, lower(domain) AS domain FROM svc_domain WHERE lower(domain) IN (${DEMO_DOMAIN}, ${PARTNER_DOMAIN})`,
  );
  const domsvc = (d: string) => {
    const row = domains.find((x) => x.domain === d);
    if (!row) throw new AppError("CONFLICT", `The demo login domain ${d} is missing`);
    return Number(row.svcnum);
  };

  // Three more resellers (created once, through the same lib function as the demo's agents).
  for (const a of SCALE_AGENTS) {
    const [exists] = await queryRows<{ agentnum: number }>(db, sql`SELECT agentnum FROM agent WHERE agent = ${a.agent}`);
    if (!exists) {
      await createAgent(db, {
        agent: a.agent,
        typenum: a.kind === "direct" ? Number(direct.typenum) : Number(partner.typenum),
        companyName: a.agent,
        supportEmail: `support@${asciiSlug(a.agent)}.example`,
      });
    }
  }
  const scaleAgents = await queryRows<{ agentnum: number; agent: string }>(
    db,
    sql`SELECT agentnum, agent FROM agent WHERE agent IN (${sql.join(SCALE_AGENTS.map((a) => sql`${a.agent}`), sql`, `)})`,
  );

  const pkgRows = await queryRows<{ pkgpart: number; pkg: string; agentnum: number | null; svcpart: number | null; svcdb: string | null }>(
    db,
    sql`SELECT p.pkgpart, p.pkg, p.agentnum, s.svcpart, s.svcdb
          FROM part_pkg p
          LEFT JOIN LATERAL (SELECT ps.svcpart, ps.svcdb FROM pkg_svc k JOIN part_svc ps ON ps.svcpart = k.svcpart
                              WHERE k.pkgpart = p.pkgpart ORDER BY k.primary_svc IS NULL, k.svcpart LIMIT 1) s ON true
         WHERE p.disabled IS NULL
         ORDER BY p.pkgpart`,
  );
  const pkgs = new Map<PkgKey, { pkgpart: number; svcpart: number | null; svcdb: string | null }>();
  for (const d of CATALOGUE) {
    const row = pkgRows.find((r) => r.pkg === d.pkg && (d.partnerOnly ? Number(r.agentnum) === Number(partner.agentnum) : r.agentnum === null));
    if (!row) throw new AppError("CONFLICT", `The demo package "${d.pkg}" is missing`);
    pkgs.set(d.key, { pkgpart: Number(row.pkgpart), svcpart: row.svcpart === null ? null : Number(row.svcpart), svcdb: row.svcdb });
  }

  const pops = await queryRows<{ popnum: number; state: string }>(db, sql`SELECT popnum, state FROM svc_acct_pop ORDER BY popnum`);
  const popsByState = new Map<string, number[]>();
  for (const p of pops) popsByState.set(p.state, [...(popsByState.get(p.state) ?? []), Number(p.popnum)]);
  if (!pops.length && ACCESS_NUMBERS.length) throw new AppError("CONFLICT", "The demo access numbers are missing");

  const scaleAgent = (name: string) => Number(scaleAgents.find((a) => a.agent === name)!.agentnum);
  return {
    agents: [
      { agentnum: Number(direct.agentnum), isDirect: true, isHarbor: false, domsvc: domsvc(DEMO_DOMAIN), weight: 55 },
      { agentnum: Number(partner.agentnum), isDirect: false, isHarbor: true, domsvc: domsvc(PARTNER_DOMAIN), weight: 15 },
      ...SCALE_AGENTS.map((a) => ({
        agentnum: scaleAgent(a.agent),
        isDirect: a.kind === "direct",
        isHarbor: false,
        domsvc: a.kind === "direct" ? domsvc(DEMO_DOMAIN) : domsvc(PARTNER_DOMAIN),
        weight: 10,
      })),
    ],
    pkgs,
    popsByState,
  };
}

// ---------------------------------------------------------------------------------------------
// Small SQL helpers

/** A string literal for SQL text built here from our own constants (never from user input). */
function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

const TRACE = process.env.PORTICO_SEED_TRACE === "1";

async function run(db: DbOrTx, text: string): Promise<void> {
  const t0 = TRACE ? performance.now() : 0;
  await db.execute(sql.raw(text));
  // Temporary tables have no statistics until analysed: without them the planner picks nested loops.
  const made = /^\s*(?:CREATE TEMP TABLE (\w+) ON COMMIT DROP AS|UPDATE (s\w{0,4}) )/.exec(text);
  if (made) await db.execute(sql.raw(`ANALYZE ${made[1] ?? made[2]}`));
  if (TRACE) process.stderr.write(`\n[${(performance.now() - t0).toFixed(0).padStart(6)} ms] ${text.replace(/\s+/g, " ").slice(0, 110)}\n`);
}

async function one<T>(db: DbOrTx, q: SQL): Promise<T> {
  const [row] = await queryRows<T>(db, q);
  return row!;
}

/** Reserves `n` consecutive ids of a serial column; returns the first. */
async function reserveIds(db: DbOrTx, table: string, column: string, n: number): Promise<number> {
  if (n <= 0) return 0;
  const seq = `pg_get_serial_sequence(${lit(table)}, ${lit(column)})`;
  const row = await one<{ base: string | number }>(db, sql.raw(`SELECT setval(${seq}, nextval(${seq}) + ${n - 1}) - ${n - 1} AS base`));
  return Number(row.base);
}

async function count(db: DbOrTx, table: string, where = ""): Promise<number> {
  const row = await one<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM ${table}${where ? ` WHERE ${where}` : ""}`));
  return Number(row.n);
}

const TABLES_WRITTEN = [
  "cust_main",
  "cust_location",
  "contact",
  "contact_email",
  "cust_main_invoice",
  "cust_pkg",
  "cust_svc",
  "svc_acct",
  "svc_phone",
  "svc_domain",
  "svc_external",
  "cust_payby",
  "cust_bill",
  "cust_bill_pkg",
  "cust_bill_pkg_tax_location",
  "cust_pay",
  "cust_bill_pay",
  "cust_credit",
  "cust_credit_bill",
  "cust_refund",
  "cust_pay_refund",
] as const;

// ---------------------------------------------------------------------------------------------
// Reference tables (temporary, dropped at commit)

const COMPANY_SUFFIXES = ["Consulting", "Dental", "Design", "Legal", "Logistics", "Bakery", "Studio", "Motors", "Analytics", "Physio"];

async function createReferenceTables(tx: DbOrTx, refs: CatalogueRefs): Promise<void> {
  await run(
    tx,
    `CREATE OR REPLACE FUNCTION pg_temp.rnd(i bigint, salt int) RETURNS double precision
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT (hashint8(i * 1000003 + salt * 7919 + ${SCALE_RANDOM_SEED}) & 2147483647)::double precision / 2147483648.0 $$`,
  );

  // Agents, weighted.
  const totalW = refs.agents.reduce((s, a) => s + a.weight, 0);
  let acc = 0;
  const agentRows = refs.agents.map((a, i) => {
    const lo = acc / totalW;
    acc += a.weight;
    return { idx: i, ...a, lo, hi: i === refs.agents.length - 1 ? 1.0000001 : acc / totalW };
  });
  await run(tx, `CREATE TEMP TABLE ref_agent (idx int, agentnum int, is_direct bool, is_harbor bool, domsvc int, lo float8, hi float8) ON COMMIT DROP`);
  for (const a of agentRows) {
    await tx.execute(sql`INSERT INTO ref_agent VALUES (${a.idx}, ${a.agentnum}, ${a.isDirect}, ${a.isHarbor}, ${a.domsvc}, ${a.lo}, ${a.hi})`);
  }

  // Places (the demo's regions), weighted; zips, streets and dial-up numbers as arrays.
  const totalP = PLACES.reduce((s, p) => s + p.weight, 0);
  acc = 0;
  await run(
    tx,
    `CREATE TEMP TABLE ref_place (idx int, city text, county text, state text, country text, na bool, ac text, intl_cc text, intl_prefix text,
       zips text[], streets text[], popnums int[], lo float8, hi float8) ON COMMIT DROP`,
  );
  for (const [i, p] of PLACES.entries()) {
    const lo = acc / totalP;
    acc += p.weight;
    const hi = i === PLACES.length - 1 ? 1.0000001 : acc / totalP;
    const pops = p.state && p.country === "US" ? (refs.popsByState.get(p.state) ?? null) : null;
    await tx.execute(
      sql`INSERT INTO ref_place VALUES (${i}, ${p.city}, ${p.county ?? null}, ${p.state ?? null}, ${p.country}, ${p.country === "US" || p.country === "CA"},
            ${p.ac ?? null}, ${p.intl?.cc ?? null}, ${p.intl?.prefix ?? null}, ${sql.param(p.zips)}::text[],
            ${sql.param(STREETS[p.country] ?? STREETS.US!)}::text[], ${pops ? sql`${sql.param(pops)}::int[]` : sql`NULL::int[]`}, ${lo}, ${hi})`,
    );
  }

  // Names (with their ASCII slugs for e-mails and usernames).
  await run(tx, `CREATE TEMP TABLE ref_first (idx int, name text, slug text) ON COMMIT DROP`);
  await run(tx, `CREATE TEMP TABLE ref_last (idx int, name text, slug text) ON COMMIT DROP`);
  for (const [table, names] of [
    ["ref_first", FIRST_NAMES],
    ["ref_last", LAST_NAMES],
  ] as const) {
    await tx.execute(
      sql`INSERT INTO ${sql.raw(table)} SELECT * FROM unnest(${sql.param(names.map((_, i) => i))}::int[], ${sql.param([...names])}::text[], ${sql.param(names.map(asciiSlug))}::text[])`,
    );
  }

  // Package definitions by key.
  await run(
    tx,
    `CREATE TEMP TABLE ref_pkg (key text, pkgpart int, pkg text, freq int, setup_fee numeric(10,2), recur_fee numeric(10,2), taxclass text,
       pkg_setuptax bool, pkg_recurtax bool, svcdb text, svcpart int) ON COMMIT DROP`,
  );
  const defs = await queryRows<{ pkgpart: number; pkg: string; freq: string; setup_fee: string; recur_fee: string; taxclass: string | null; setuptax: string | null; recurtax: string | null }>(
    tx,
    sql`SELECT pkgpart, pkg, freq, setup_fee::text, recur_fee::text, taxclass, setuptax, recurtax FROM part_pkg
         WHERE pkgpart IN (${sql.join([...refs.pkgs.values()].map((p) => sql`${p.pkgpart}`), sql`, `)})`,
  );
  for (const [key, p] of refs.pkgs) {
    const d = defs.find((x) => Number(x.pkgpart) === p.pkgpart)!;
    await tx.execute(
      sql`INSERT INTO ref_pkg VALUES (${key}, ${p.pkgpart}, ${d.pkg.slice(0, 80)}, ${Number(d.freq)}, ${d.setup_fee}::numeric, ${d.recur_fee}::numeric, ${d.taxclass ?? ""},
            ${d.setuptax === "Y"}, ${d.recurtax === "Y"}, ${p.svcdb}, ${p.svcpart})`,
    );
  }

  // Tax rates per place and tax class, found by the billing engine's own lookup.
  await run(tx, `CREATE TEMP TABLE ref_rate (place int, taxclass text, taxnum int, taxname text, rate numeric, setup_exempt bool, recur_exempt bool) ON COMMIT DROP`);
  const classes = [...new Set(defs.map((d) => d.taxclass ?? ""))];
  for (const [i, p] of PLACES.entries()) {
    for (const cls of classes) {
      const rates = await findTaxRates(tx, { district: null, city: p.city, county: p.county ?? null, state: p.state ?? null, country: p.country }, cls || null);
      for (const r of rates) {
        await tx.execute(
          sql`INSERT INTO ref_rate VALUES (${i}, ${cls}, ${r.taxnum}, ${r.taxname.slice(0, 80)}, ${(r.rateE4 / 10_000).toFixed(4)}::numeric, ${r.setupExempt}, ${r.recurExempt})`,
        );
      }
    }
  }
  for (const t of ["ref_agent", "ref_place", "ref_first", "ref_last", "ref_pkg", "ref_rate"]) await run(tx, `ANALYZE ${t}`);
}

// ---------------------------------------------------------------------------------------------
// Payment methods: checked like insert_payby, sealed per customer

interface PaybyTemplate {
  fields: { payby: string; payinfo?: string; payinfo1?: string; payinfo2?: string; month?: string; year?: string; paytype?: string };
}

function paybyTemplates(now: Date): { card: PaybyTemplate[]; bank: PaybyTemplate } {
  const cards = [TEST_CARDS.visa, TEST_CARDS.visa2, TEST_CARDS.mastercard, TEST_CARDS.amex, TEST_CARDS.discover];
  const out: PaybyTemplate[] = [];
  for (const number of cards) {
    for (const ahead of [8, 20, 31, 45]) {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1));
      out.push({ fields: { payby: "CARD", payinfo: number, month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) } });
    }
  }
  return { card: out, bank: { fields: { payby: "CHEK", payinfo1: TEST_BANK.approved, payinfo2: TEST_BANK.routing, paytype: "Personal checking" } } };
}

async function insertPaymentMethods(tx: DbOrTx, custBase: number, key: Buffer, now: Date): Promise<number> {
  const rows = await queryRows<{ rn: number; paymode: string; tpl: number; first: string; last: string }>(
    tx,
    sql`SELECT rn, paymode, tpl, first, last FROM sc WHERE paymode <> 'NONE' ORDER BY rn`,
  );
  if (!rows.length) return 0;
  const templates = paybyTemplates(now);
  const cols = {
    custnum: [] as number[],
    payby: [] as string[],
    payinfo: [] as string[],
    paycardtype: [] as (string | null)[],
    paymask: [] as string[],
    paydate: [] as (string | null)[],
    payname: [] as string[],
    paystate: [] as (string | null)[],
    paytype: [] as (string | null)[],
  };
  for (const r of rows) {
    const custnum = custBase + Number(r.rn);
    const t = r.paymode === "CHEK" ? templates.bank : templates.card[Number(r.tpl) % templates.card.length]!;
    const check = checkPaybyFields({ ...t.fields, payby: r.paymode, payname: `${r.first} ${r.last}` } as never, { now, timeZone: "UTC" });
    if (!check.ok) throw new Error(`scale seed: a generated payment method was refused: ${check.message}`);
    const v: NormalizedPayby = check.value;
    const context = paybyContext(custnum);
    cols.custnum.push(custnum);
    cols.payby.push(v.payby);
    cols.paymask.push(v.paymask);
    cols.payname.push(v.payname);
    if (v.kind === "card") {
      cols.payinfo.push(sealSecret(v.number!, { context, key }));
      cols.paycardtype.push(String(v.cardType));
      cols.paydate.push(v.paydate);
      cols.paystate.push(null);
      cols.paytype.push(null);
    } else {
      cols.payinfo.push(sealSecret(`${v.account}@${v.routing}`, { context, key }));
      cols.paycardtype.push(null);
      cols.paydate.push(null);
      cols.paystate.push(v.paystate);
      cols.paytype.push(v.paytype);
    }
  }
  await tx.execute(
    sql`INSERT INTO cust_payby (custnum, weight, payby, payinfo, paycardtype, paymask, paydate, payname, paystate, paytype)
        SELECT c, 1, pb, pi, pct, pm, pd, pn, ps, pt
          FROM unnest(${sql.param(cols.custnum)}::int[], ${sql.param(cols.payby)}::text[], ${sql.param(cols.payinfo)}::text[],
                      ${sql.param(cols.paycardtype)}::text[], ${sql.param(cols.paymask)}::text[], ${sql.param(cols.paydate)}::text[],
                      ${sql.param(cols.payname)}::text[], ${sql.param(cols.paystate)}::text[], ${sql.param(cols.paytype)}::text[])
               AS u(c, pb, pi, pct, pm, pd, pn, ps, pt)`,
  );
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// One chunk of customers [s0, s1] (their global scale indexes)

interface ChunkContext {
  tx: DbOrTx;
  s0: number;
  s1: number;
  nowIso: string;
  tz: string;
  passwordHash: string;
  pinHash: string;
  vaultKey: Buffer;
  now: Date;
  step: (label: string) => void;
}

/** Steps per chunk, for the progress bar. */
const CHUNK_STEPS = 16;

async function seedChunk(c: ChunkContext): Promise<ScaleRowCounts> {
  const { tx, s0, s1, step } = c;
  const NOW = `${lit(c.nowIso)}::timestamptz`;
  const TZ = lit(c.tz);
  const NL = `(${NOW} AT TIME ZONE ${TZ})`;
  const n = s1 - s0 + 1;
  const R = (salt: number, i = "s") => `pg_temp.rnd(${i}, ${salt})`;
  /** t_k: the k-th billing day of a customer, 03:00 local time, as timestamptz. */
  const T = (k: string, t0l = "c.t0l") => `((${t0l} + make_interval(months => ${k})) AT TIME ZONE ${TZ})`;

  // 1. Customers: everything decided per customer from hashes of its index.
  await run(
    tx,
    `CREATE TEMP TABLE sc ON COMMIT DROP AS
     WITH b AS MATERIALIZED (
       SELECT s::bigint AS s, (s - ${s0})::int AS rn,
              ${R(1)} AS r_agent, ${R(2)} AS r_place, ${R(3)} AS r_first, ${R(4)} AS r_last, ${R(5)} AS r_kind,
              ${R(6)} AS r_status, ${R(7)} AS r_months, ${R(8)} AS r_day, ${R(9)} AS r_pay, ${R(10)} AS r_beh
         FROM generate_series(${s0}, ${s1}) s
     ), c1 AS MATERIALIZED (
       SELECT b.*, a.agentnum, a.is_direct, a.is_harbor, a.domsvc,
              p.idx AS place, p.city, p.county, p.state, p.country, p.na, p.ac, p.intl_cc, p.intl_prefix, p.zips, p.streets, p.popnums,
              f.name AS first, f.slug AS first_slug, l.name AS last, l.slug AS last_slug,
              CASE WHEN b.r_status < 0.80 THEN 'active' WHEN b.r_status < 0.87 THEN 'suspended'
                   WHEN b.r_status < 0.98 THEN 'cancelled' ELSE 'ordered' END AS status,
              CASE WHEN b.r_kind < 0.50 THEN 'single' WHEN b.r_kind < 0.68 THEN 'bundle' WHEN b.r_kind < 0.76 THEN 'annual'
                   WHEN b.r_kind < 0.82 THEN 'dialup' WHEN b.r_kind < 0.90 THEN 'business' ELSE 'static' END AS kind0,
              12 + floor(b.r_months * b.r_months * 25)::int AS k_count,
              1 + floor(b.r_day * 28)::int AS bill_day,
              CASE WHEN b.r_pay < 0.65 THEN 'CARD' WHEN b.r_pay < 0.75 THEN 'CHEK' WHEN b.r_pay < 0.80 THEN 'DCRD' ELSE 'NONE' END AS paymode
         FROM b
         JOIN ref_agent a ON b.r_agent >= a.lo AND b.r_agent < a.hi
         JOIN ref_place p ON b.r_place >= p.lo AND b.r_place < p.hi
         JOIN ref_first f ON f.idx = floor(b.r_first * (SELECT count(*) FROM ref_first))::int
         JOIN ref_last l ON l.idx = floor(b.r_last * (SELECT count(*) FROM ref_last))::int
     ), c2 AS (
       SELECT c1.*,
              CASE WHEN c1.kind0 IN ('annual', 'dialup') AND NOT c1.is_direct THEN 'single'
                   WHEN c1.kind0 = 'dialup' AND c1.popnums IS NULL THEN 'single'
                   ELSE c1.kind0 END AS kind,
              CASE c1.status WHEN 'suspended' THEN 1 WHEN 'cancelled' THEN 1 + floor(${R(11)} * 12)::int ELSE 0 END AS end_gap,
              make_timestamp(extract(year FROM ${NL})::int, extract(month FROM ${NL})::int, c1.bill_day, 3, 0, 0) AS cand
         FROM c1
     )
     SELECT c2.*,
            (CASE WHEN c2.cand > ${NL} THEN c2.cand - interval '1 month' ELSE c2.cand END)
              - make_interval(months => c2.k_count - 1 + c2.end_gap) AS t0l,
            CASE WHEN c2.kind = 'business'
                 THEN c2.last || ' ' || (${lit(`{${COMPANY_SUFFIXES.join(",")}}`)}::text[])[1 + floor(${R(12)} * ${COMPANY_SUFFIXES.length})::int] END AS company,
            (c2.kind = 'business' AND ${R(13)} < 0.1) AS tax_exempt,
            CASE WHEN c2.kind = 'business' AND ${R(14)} < 0.3 THEN 'Net 15' END AS invoice_terms,
            (${R(15)} < 0.08) AS postal,
            CASE WHEN c2.ac IS NOT NULL THEN '(' || c2.ac || ') 555-' || lpad(floor(${R(16)} * 10000)::int::text, 4, '0')
                 ELSE '+' || c2.intl_cc || ' ' || c2.intl_prefix || (100 + floor(${R(16)} * 900)::int)::text END AS daytime,
            CASE WHEN ${R(24)} < 0.35 THEN
              CASE WHEN c2.ac IS NOT NULL THEN '(' || c2.ac || ') 555-' || lpad(floor(${R(25)} * 10000)::int::text, 4, '0')
                   ELSE '+' || c2.intl_cc || ' ' || c2.intl_prefix || (100 + floor(${R(25)} * 900)::int)::text END END AS mobile,
            CASE WHEN c2.country IN ('DE', 'NL')
                 THEN c2.streets[1 + floor(${R(17)} * array_length(c2.streets, 1))::int] || ' ' || (1 + floor(${R(18)} * 199)::int)::text
                 ELSE (1 + floor(${R(18)} * 4999)::int)::text || ' ' || c2.streets[1 + floor(${R(17)} * array_length(c2.streets, 1))::int] END AS address1,
            CASE WHEN ${R(26)} < 0.15 THEN CASE WHEN c2.kind = 'business' THEN 'Suite ' || (100 + floor(${R(27)} * 800)::int)::text
                                               ELSE 'Apt ' || (1 + floor(${R(27)} * 40)::int)::text END END AS address2,
            c2.zips[1 + floor(${R(19)} * array_length(c2.zips, 1))::int] AS zip,
            c2.first_slug || '.' || c2.last_slug || '.' || c2.s::text || '@${SCALE_EMAIL_DOMAIN}' AS email,
            floor(${R(20)} * 1000)::int AS tpl,
            CASE WHEN c2.status = 'suspended' THEN 2
                 WHEN c2.paymode IN ('DCRD', 'NONE') AND c2.r_beh < 0.15 THEN CASE WHEN c2.r_beh < 0.05 THEN 2 ELSE 1 END
                 ELSE 0 END AS tail_n,
            -- Among those paying by hand: some pay part of the latest invoice, some round it up.
            (c2.status = 'active' AND c2.paymode IN ('DCRD', 'NONE') AND c2.r_beh >= 0.15 AND c2.r_beh < 0.25) AS partial,
            (c2.status = 'active' AND c2.paymode IN ('DCRD', 'NONE') AND c2.r_beh >= 0.25 AND c2.r_beh < 0.32) AS overpay,
            (${R(21)}) AS r_event, (${R(22)}) AS r_signup, (${R(23)}) AS r_start
       FROM c2`,
  );
  step("customers planned");

  // Dates that hang on t0l.
  await run(tx, `ALTER TABLE sc ADD COLUMN signup timestamptz, ADD COLUMN susp_at timestamptz, ADD COLUMN cancel_at timestamptz, ADD COLUMN start_at timestamptz`);
  await run(
    tx,
    `UPDATE sc c SET
       signup = CASE WHEN c.status = 'ordered'
                     THEN ${NOW} - make_interval(days => 1 + floor(c.r_signup * 6)::int, hours => 2 + floor(c.r_event * 8)::int)
                     ELSE ${T("0")} - make_interval(days => 2 + floor(c.r_signup * 9)::int, hours => 5) END,
       susp_at = CASE WHEN c.status = 'suspended' THEN ${T("c.k_count - 1")} + make_interval(days => 15 + floor(c.r_event * 11)::int, hours => 10) END,
       cancel_at = CASE WHEN c.status = 'cancelled' THEN ${T("c.k_count - 1")} + make_interval(days => 10 + floor(c.r_event * 16)::int, hours => 14) END,
       start_at = CASE WHEN c.status = 'ordered' AND c.r_start < 0.5
                       THEN date_trunc('day', ${NOW}) + make_interval(days => 3 + floor(c.r_event * 12)::int, hours => 8) END`,
  );

  const custBase = await reserveIds(tx, "cust_main", "custnum", n);
  const locBase = await reserveIds(tx, "cust_location", "locationnum", n);
  const contactBase = await reserveIds(tx, "contact", "contactnum", n);
  const emailBase = await reserveIds(tx, "contact_email", "contactemailnum", n);

  // cust_main and cust_location refer to each other: both in one statement (checks run at its end).
  await run(
    tx,
    `WITH m AS (
       INSERT INTO cust_main (custnum, agentnum, agent_custid, first, last, company, daytime, mobile, signupdate,
                              bill_locationnum, ship_locationnum, tax, postal_invoice, invoice_terms)
       SELECT ${custBase} + rn, agentnum, '${SCALE_CUSTID_PREFIX}' || lpad(s::text, 7, '0'), first, last, company, daytime, mobile, signup,
              ${locBase} + rn, ${locBase} + rn, CASE WHEN tax_exempt THEN 'Y' END, CASE WHEN postal THEN 'Y' END, invoice_terms
         FROM sc ORDER BY rn
       RETURNING custnum
     )
     INSERT INTO cust_location (locationnum, custnum, address1, address2, city, county, state, zip, country)
     SELECT ${locBase} + rn, ${custBase} + rn, address1, address2, city, county, state, zip, country FROM sc ORDER BY rn`,
  );
  step("customers");

  await run(
    tx,
    `INSERT INTO contact (contactnum, custnum, first, last, selfservice_access, _password, _password_encoding, invoice_dest)
     SELECT ${contactBase} + rn, ${custBase} + rn, first, last, 'Y', ${lit(c.passwordHash)}, 'scrypt', 'Y' FROM sc ORDER BY rn`,
  );
  await run(tx, `INSERT INTO contact_email (contactemailnum, contactnum, emailaddress) SELECT ${emailBase} + rn, ${contactBase} + rn, lower(email) FROM sc ORDER BY rn`);
  await run(
    tx,
    `INSERT INTO cust_main_invoice (custnum, dest)
     SELECT ${custBase} + rn, email FROM sc
     UNION ALL SELECT ${custBase} + rn, 'POST' FROM sc WHERE postal`,
  );
  step("contacts");

  // 2. Packages: 1–3 per customer, each one the customer's agent may sell.
  await run(
    tx,
    `CREATE TEMP TABLE sp ON COMMIT DROP AS
     SELECT (row_number() OVER (ORDER BY x.rn, x.slot) - 1)::int AS prn, x.*, rp.pkgpart, rp.pkg, rp.freq, rp.setup_fee, rp.recur_fee,
            rp.taxclass, rp.pkg_setuptax, rp.pkg_recurtax, rp.svcdb, rp.svcpart
       FROM (
         SELECT c.rn, c.s, v.slot, v.key,
                CASE WHEN v.slot = 1 OR v.key IN ('install', 'router') OR c.status = 'ordered' THEN 0
                     WHEN ${R(30, "c.s * 4 + v.slot")} < 0.6 THEN 0
                     ELSE floor(${R(31, "c.s * 4 + v.slot")} * (c.k_count - 1))::int END AS a
           FROM sc c
           CROSS JOIN LATERAL (VALUES
             (1, CASE c.kind
                   WHEN 'single' THEN (ARRAY['dsl25', 'dsl50', 'fibre300', 'fibre1000'])[1 + floor(${R(40)} * 4)::int]
                   WHEN 'bundle' THEN (ARRAY['dsl50', 'fibre300', 'fibre1000'])[1 + floor(${R(40)} * 3)::int]
                   WHEN 'static' THEN (ARRAY['dsl50', 'fibre300', 'fibre1000'])[1 + floor(${R(40)} * 3)::int]
                   WHEN 'annual' THEN (ARRAY['fibre300Annual', 'fibre1000Annual'])[1 + floor(${R(40)} * 2)::int]
                   WHEN 'dialup' THEN 'dialup'
                   WHEN 'business' THEN CASE WHEN c.is_harbor THEN 'harborBusiness500' WHEN c.is_direct THEN 'fibre1000Annual' ELSE 'fibre1000' END
                 END),
             (2, CASE c.kind
                   WHEN 'single' THEN CASE WHEN ${R(41)} < 0.35 THEN 'install' END
                   WHEN 'bundle' THEN CASE WHEN c.na THEN 'voip' ELSE 'hosting' END
                   WHEN 'annual' THEN CASE WHEN ${R(41)} < 0.3 THEN 'router' END
                   WHEN 'dialup' THEN CASE WHEN ${R(41)} < 0.3 THEN 'hosting' END
                   WHEN 'business' THEN 'staticIp'
                   WHEN 'static' THEN 'staticIp'
                 END),
             (3, CASE WHEN c.kind = 'bundle' AND c.na AND ${R(42)} < 0.6 THEN 'hosting'
                      WHEN c.kind = 'business' THEN 'install' END)
           ) v(slot, key)
          WHERE v.key IS NOT NULL
       ) x
       JOIN ref_pkg rp ON rp.key = x.key`,
  );
  const nPkgs = await count(tx, "sp");
  const pkgBase = await reserveIds(tx, "cust_pkg", "pkgnum", nPkgs);
  await run(tx, `ALTER TABLE sp ADD COLUMN pkgnum int`);
  await run(tx, `UPDATE sp SET pkgnum = ${pkgBase} + prn`);

  // Where the engine would have left each package: set up at its first period, last billed at
  // its latest period start, next bill one period later (one-time charges: no next bill).
  await run(
    tx,
    `INSERT INTO cust_pkg (pkgnum, custnum, pkgpart, order_date, start_date, setup, last_bill, bill, susp, cancel, quantity)
     SELECT p.pkgnum, ${custBase} + p.rn, p.pkgpart,
            CASE WHEN c.status = 'ordered' THEN c.signup + interval '1 hour'
                 WHEN p.a = 0 THEN c.signup + interval '1 hour'
                 ELSE ${T("p.a")} - make_interval(days => 2 + floor(${R(43, "p.pkgnum")} * 8)::int) END,
            CASE WHEN c.status = 'ordered' THEN c.start_at ELSE ${T("p.a")} END,
            CASE WHEN c.status = 'ordered' THEN NULL ELSE ${T("p.a")} END,
            CASE WHEN c.status = 'ordered' THEN NULL
                 WHEN p.freq = 0 THEN ${T("p.a")}
                 ELSE ${T("p.a + ((c.k_count - 1 - p.a) / p.freq) * p.freq")} END,
            CASE WHEN c.status = 'ordered' THEN COALESCE(c.start_at, c.signup + interval '1 hour')
                 WHEN p.freq = 0 THEN NULL
                 ELSE ${T("p.a + ((c.k_count - 1 - p.a) / p.freq + 1) * p.freq")} END,
            c.susp_at, c.cancel_at, 1
       FROM sp p JOIN sc c ON c.rn = p.rn
      ORDER BY p.pkgnum`,
  );
  step("packages");

  // 3. Services (a cancelled package has none: cancelling unprovisions them).
  await run(
    tx,
    `CREATE TEMP TABLE ss ON COMMIT DROP AS
     SELECT (row_number() OVER (ORDER BY p.pkgnum) - 1)::int AS srn, p.pkgnum, p.svcdb, p.svcpart, p.key, c.*
       FROM sp p JOIN sc c ON c.rn = p.rn
      WHERE p.svcdb IS NOT NULL AND c.status <> 'cancelled'`,
  );
  const nSvcs = await count(tx, "ss");
  const svcBase = await reserveIds(tx, "cust_svc", "svcnum", nSvcs);
  await run(tx, `INSERT INTO cust_svc (svcnum, pkgnum, svcpart) SELECT ${svcBase} + srn, pkgnum, svcpart FROM ss ORDER BY srn`);
  await run(
    tx,
    `INSERT INTO svc_acct (svcnum, username, domsvc, _password, _password_encoding, popnum)
     SELECT ${svcBase} + srn, left(first_slug, 8) || '.' || left(last_slug, 10) || s::text, domsvc, ${lit(c.passwordHash)}, 'scrypt',
            CASE WHEN key = 'dialup' THEN popnums[1 + floor(${R(50)} * array_length(popnums, 1))::int] END
       FROM ss WHERE svcdb = 'svc_acct'`,
  );
  await run(
    tx,
    `INSERT INTO svc_phone (svcnum, countrycode, phonenum, pin, phone_name)
     SELECT ${svcBase} + srn, '1', ac || lpad((2000000 + s)::text, 7, '0'), ${lit(c.pinHash)}, 'Home' FROM ss WHERE svcdb = 'svc_phone'`,
  );
  await run(tx, `INSERT INTO svc_domain (svcnum, domain) SELECT ${svcBase} + srn, last_slug || '-' || s::text || '.example' FROM ss WHERE svcdb = 'svc_domain'`);
  await run(
    tx,
    `INSERT INTO svc_external (svcnum, id, title)
     SELECT ${svcBase} + srn, s, '100.' || (64 + (s / 65536) % 64)::text || '.' || ((s / 256) % 256)::text || '.' || (s % 256)::text
       FROM ss WHERE svcdb = 'svc_external'`,
  );
  step("services");

  // 4. Stored payment methods (sealed per customer in TypeScript).
  const paymentMethods = await insertPaymentMethods(tx, custBase, c.vaultKey, c.now);
  step("payment methods");

  // 5. Invoice lines: a line per package per period due, on the customer's billing days.
  await run(
    tx,
    `CREATE TEMP TABLE sl ON COMMIT DROP AS
     SELECT p.rn, k, p.pkgnum, p.freq, p.taxclass, p.pkg_setuptax, p.pkg_recurtax, p.pkg AS itemdesc,
            CASE WHEN k = p.a THEN p.setup_fee ELSE 0 END AS unitsetup,
            CASE WHEN p.freq > 0 THEN p.recur_fee ELSE 0 END AS unitrecur,
            ${T("k")} AS sdate,
            CASE WHEN p.freq > 0 THEN ${T("k + p.freq")} END AS edate
       FROM sp p JOIN sc c ON c.rn = p.rn
       CROSS JOIN LATERAL generate_series(p.a, CASE WHEN p.freq > 0 THEN c.k_count - 1 ELSE p.a END, GREATEST(p.freq, 1)) k
      WHERE c.status <> 'ordered'`,
  );
  await run(tx, `DELETE FROM sl WHERE unitsetup = 0 AND unitrecur = 0`);
  step("invoice lines planned");

  // Invoices: one per customer and billing day with a line, numbered in date order (irn).
  await run(
    tx,
    `CREATE TEMP TABLE si ON COMMIT DROP AS
     SELECT (row_number() OVER (ORDER BY sdate, rn) - 1)::int AS irn, rn, k, sdate AS date
       FROM (SELECT DISTINCT rn, k, sdate FROM sl) x`,
  );
  const nInv = await count(tx, "si");
  const invBase = await reserveIds(tx, "cust_bill", "invnum", nInv);
  step("invoices planned");

  // 6. Taxes, the engine's way: per tax row, on the sum of the taxable lines, rounded half-up;
  //    each line's share truncated, the leftover cents one each to the first lines.
  await run(
    tx,
    `CREATE TEMP TABLE stx ON COMMIT DROP AS
     SELECT x.* FROM (
       SELECT l.rn, l.k, l.pkgnum, r.taxnum, r.taxname, r.rate,
              (CASE WHEN l.pkg_setuptax OR r.setup_exempt THEN 0 ELSE l.unitsetup END
               + CASE WHEN l.pkg_recurtax OR r.recur_exempt THEN 0 ELSE l.unitrecur END) AS taxable
         FROM sl l JOIN sc c ON c.rn = l.rn
         JOIN ref_rate r ON r.place = c.place AND r.taxclass = l.taxclass
        WHERE NOT c.tax_exempt
     ) x WHERE x.taxable <> 0`,
  );
  await run(
    tx,
    `CREATE TEMP TABLE stt ON COMMIT DROP AS
     SELECT * FROM (
       SELECT rn, k, taxnum, taxname, round(sum(taxable) * rate / 100, 2) AS total, sum(trunc(taxable * rate / 100, 2)) AS truncsum
         FROM stx GROUP BY rn, k, taxnum, taxname, rate
     ) t WHERE total <> 0`,
  );
  step("taxes");

  // Every line of every invoice, numbered: the packages' lines in pkgnum order, then one tax
  // line per tax name (as the engine inserts them).
  await run(
    tx,
    `CREATE TEMP TABLE sbp ON COMMIT DROP AS
     SELECT (row_number() OVER (ORDER BY irn, ord, sortkey) - 1)::int AS brn, u.* FROM (
       SELECT i.irn, 0 AS ord, l.pkgnum AS sortkey, l.pkgnum, l.unitsetup AS setup, l.unitrecur AS recur, l.unitsetup, l.unitrecur,
              l.sdate, l.edate, left(l.itemdesc, 80) AS itemdesc, l.freq::text AS freq, 1 AS quantity, NULL::text AS taxname
         FROM sl l JOIN si i ON i.rn = l.rn AND i.k = l.k
       UNION ALL
       SELECT i.irn, 1, min(t.taxnum), NULL, sum(t.total), 0, NULL, NULL, NULL, NULL, left(t.taxname, 80), NULL, NULL, t.taxname
         FROM stt t JOIN si i ON i.rn = t.rn AND i.k = t.k
        GROUP BY i.irn, t.taxname
     ) u`,
  );
  const nLines = await count(tx, "sbp");
  const bpBase = await reserveIds(tx, "cust_bill_pkg", "billpkgnum", nLines);
  step("lines numbered");

  // 7. Money in and out, per invoice: a credit now and then; the payment (auto-pay cards within
  //    the hour, bank debits after three days, the others after 5–25 days); the last one or two
  //    invoices of late payers left open; a few partial payments and overpayments on the latest
  //    invoice; a duplicated card charge refunded three days later.
  const RI = (salt: number) => R(salt, "c.s * 64 + inv.k");
  await run(
    tx,
    `CREATE TEMP TABLE sset ON COMMIT DROP AS
     WITH inv AS (
       SELECT i.irn, i.rn, i.k, i.date, t.charged
         FROM si i JOIN (SELECT irn, sum(setup + recur) AS charged FROM sbp GROUP BY irn) t ON t.irn = i.irn
     ), d AS (
       SELECT inv.*, c.paymode, c.partial, c.overpay,
              inv.k >= c.k_count - c.tail_n AS is_tail, inv.k = c.k_count - 1 AS is_last,
              inv.date + CASE c.paymode WHEN 'CARD' THEN interval '1 hour' WHEN 'CHEK' THEN interval '3 days 2 hours'
                              ELSE make_interval(days => 5 + floor(${RI(60)} * 21)::int, hours => 9 + floor(${RI(61)} * 9)::int) END AS pay_date,
              inv.date + interval '30 minutes' AS credit_date,
              ${RI(62)} AS r_credit, ${RI(63)} AS r_credit_amt, ${RI(64)} AS r_dup
         FROM inv JOIN sc c ON c.rn = inv.rn
     ), e AS (
       SELECT d.*,
              CASE WHEN NOT d.is_tail AND d.r_credit < 0.04 AND d.credit_date <= ${NOW}
                   THEN LEAST(d.charged, (5 + floor(d.r_credit_amt * 16))::numeric(10,2)) ELSE 0 END AS credit_amt
         FROM d
     ), f AS (
       SELECT e.*, e.charged - e.credit_amt AS rest FROM e
     ), g AS (
       SELECT f.*,
              CASE WHEN f.is_tail OR f.rest = 0 OR f.pay_date > ${NOW} THEN 0
                   WHEN f.is_last AND f.partial THEN GREATEST(0.01, trunc(f.rest / 2, 2))
                   WHEN f.is_last AND f.overpay THEN (floor(f.rest / 10) + 1) * 10
                   ELSE f.rest END::numeric(10,2) AS paid,
              (NOT f.is_tail AND NOT f.is_last AND f.rest > 0 AND f.pay_date <= ${NOW} AND f.paymode IN ('CARD', 'CHEK') AND f.r_dup < 0.005) AS dup
         FROM f
     )
     SELECT g.*, LEAST(g.paid, g.rest) AS applied, g.rest - LEAST(g.paid, g.rest) AS owed FROM g`,
  );
  step("payments planned");

  // Payments (and duplicated charges), numbered in date order, with the stored method they used.
  await run(
    tx,
    `CREATE TEMP TABLE spay ON COMMIT DROP AS
     SELECT (row_number() OVER (ORDER BY x.date, x.rn, x.kind) - 1)::int AS prn, x.*, m.paycardtype, m.paymask, m.paydate FROM (
       SELECT irn, rn, pay_date AS date, paid, applied, paymode, 0 AS kind FROM sset WHERE paid > 0
       UNION ALL
       SELECT irn, rn, pay_date + interval '1 minute', rest, 0, paymode, 1 FROM sset WHERE dup
     ) x
     LEFT JOIN (SELECT custnum - ${custBase} AS rn, paycardtype, paymask, paydate FROM cust_payby
                 WHERE custnum BETWEEN ${custBase} AND ${custBase + n - 1} AND weight = 1) m
       ON m.rn = x.rn AND x.paymode <> 'NONE'`,
  );
  const nPay = await count(tx, "spay");
  const payBase = await reserveIds(tx, "cust_pay", "paynum", nPay);
  const nCred = await count(tx, "sset", "credit_amt > 0");
  const credBase = await reserveIds(tx, "cust_credit", "crednum", nCred);
  const nRef = await count(tx, "sset", "dup");
  const refBase = await reserveIds(tx, "cust_refund", "refundnum", nRef);
  await run(
    tx,
    `CREATE TEMP TABLE scred ON COMMIT DROP AS
     SELECT (row_number() OVER (ORDER BY credit_date, rn) - 1)::int AS crn, irn, rn, credit_date AS date, credit_amt AS amount,
            CASE WHEN r_credit_amt < 0.5 THEN 'Service outage credit' ELSE 'Courtesy credit' END AS reason
       FROM sset WHERE credit_amt > 0`,
  );
  await run(
    tx,
    `CREATE TEMP TABLE sref ON COMMIT DROP AS
     SELECT (row_number() OVER (ORDER BY p.date, p.rn) - 1)::int AS frn, p.prn, p.rn, p.date + interval '3 days' AS date, p.paid AS amount,
            p.paymode, p.paymask
       FROM spay p WHERE p.kind = 1`,
  );

  // previous_balance: the balance just before each invoice (all earlier invoices, payments,
  // credits and refunds), as the engine reads it when it bills.
  await run(
    tx,
    `CREATE TEMP TABLE sprev ON COMMIT DROP AS
     SELECT id AS irn, prev FROM (
       SELECT ord, id, COALESCE(sum(amt) OVER (PARTITION BY rn ORDER BY date, ord, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS prev
         FROM (
           SELECT rn, date, 0 AS ord, irn AS id, charged AS amt FROM sset
           UNION ALL SELECT rn, date, 1, prn, -paid FROM spay
           UNION ALL SELECT rn, date, 2, crn, -amount FROM scred
           UNION ALL SELECT rn, date, 3, frn, amount FROM sref
         ) ev
     ) x WHERE ord = 0`,
  );
  step("balances");

  // 8. Write it all, parents before children.
  await run(
    tx,
    `INSERT INTO cust_bill (invnum, custnum, _date, charged, owed, previous_balance, billing_balance)
     SELECT ${invBase} + s.irn, ${custBase} + s.rn, s.date, s.charged, s.owed, p.prev, p.prev
       FROM sset s JOIN sprev p ON p.irn = s.irn ORDER BY s.irn`,
  );
  step("invoices");
  await run(
    tx,
    `INSERT INTO cust_bill_pkg (billpkgnum, invnum, pkgnum, setup, recur, unitsetup, unitrecur, sdate, edate, itemdesc, freq, quantity)
     SELECT ${bpBase} + brn, ${invBase} + irn, pkgnum, setup, recur, unitsetup, unitrecur, sdate, edate, itemdesc, freq, quantity FROM sbp ORDER BY brn`,
  );
  step("invoice lines");
  await run(
    tx,
    `INSERT INTO cust_bill_pkg_tax_location (billpkgnum, taxnum, pkgnum, locationnum, amount, taxable_billpkgnum)
     SELECT ${bpBase} + tl.brn, x.taxnum, x.pkgnum, ${locBase} + x.rn, x.share, ${bpBase} + pl.brn
       FROM (
         SELECT stx.*, trunc(stx.taxable * stx.rate / 100, 2)
                + CASE WHEN row_number() OVER (PARTITION BY stx.rn, stx.k, stx.taxnum ORDER BY stx.pkgnum) <= round((t.total - t.truncsum) * 100) THEN 0.01 ELSE 0 END AS share
           FROM stx JOIN stt t ON t.rn = stx.rn AND t.k = stx.k AND t.taxnum = stx.taxnum
       ) x
       JOIN si i ON i.rn = x.rn AND i.k = x.k
       JOIN sbp tl ON tl.irn = i.irn AND tl.ord = 1 AND tl.taxname = x.taxname
       JOIN sbp pl ON pl.irn = i.irn AND pl.ord = 0 AND pl.pkgnum = x.pkgnum
      WHERE x.share > 0`,
  );
  step("tax details");

  await run(
    tx,
    `INSERT INTO cust_pay (paynum, custnum, _date, paid, payby, paycardtype, paymask, paydate, processor)
     SELECT ${payBase} + prn, ${custBase} + rn, date, paid, CASE paymode WHEN 'NONE' THEN 'BILL' WHEN 'DCRD' THEN 'CARD' ELSE paymode END,
            paycardtype, paymask, paydate, CASE WHEN paymode <> 'NONE' THEN 'test' END
       FROM spay ORDER BY prn`,
  );
  await run(
    tx,
    `INSERT INTO cust_bill_pay (invnum, paynum, amount, _date)
     SELECT ${invBase} + irn, ${payBase} + prn, applied, date FROM spay WHERE kind = 0 AND applied > 0 ORDER BY prn`,
  );
  await run(tx, `INSERT INTO cust_credit (crednum, custnum, _date, amount, reason) SELECT ${credBase} + crn, ${custBase} + rn, date, amount, reason FROM scred ORDER BY crn`);
  await run(tx, `INSERT INTO cust_credit_bill (crednum, invnum, amount, _date) SELECT ${credBase} + crn, ${invBase} + irn, amount, date FROM scred ORDER BY crn`);
  await run(
    tx,
    `INSERT INTO cust_refund (refundnum, custnum, _date, refund, payby, paymask, reason, source_paynum, processor)
     SELECT ${refBase} + frn, ${custBase} + rn, date, amount, CASE paymode WHEN 'CHEK' THEN 'CHEK' ELSE 'CARD' END,
            paymask, 'Duplicate payment', ${payBase} + prn, 'test'
       FROM sref ORDER BY frn`,
  );
  await run(tx, `INSERT INTO cust_pay_refund (paynum, refundnum, amount, _date) SELECT ${payBase} + prn, ${refBase} + frn, amount, date FROM sref ORDER BY frn`);
  step("payments");

  const taxLines = await count(tx, "sbp", "ord = 1");
  for (const t of ["sc", "sp", "ss", "sl", "si", "stx", "stt", "sbp", "sset", "spay", "scred", "sref", "sprev"]) await run(tx, `DROP TABLE ${t}`);
  return {
    customers: n,
    packages: nPkgs,
    services: nSvcs,
    paymentMethods,
    invoices: nInv,
    invoiceLines: nLines - taxLines,
    taxLines,
    payments: nPay,
    credits: nCred,
    refunds: nRef,
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Seeds N scale customers (after the demo catalogue, which it seeds first when the database is
 * empty — see the CLI). Refuses a database that already holds some, but fewer, scale customers;
 * one that holds N or more is left alone ("already-seeded").
 */
export async function seedScale(db: Db, opts: ScaleSeedOptions): Promise<ScaleOutcome> {
  const N = opts.customers;
  if (!Number.isInteger(N) || N < 1 || N > SCALE_MAX_CUSTOMERS) throw new AppError("INVALID_INPUT", `--customers must be a whole number from 1 to ${SCALE_MAX_CUSTOMERS}`);
  const started = Date.now();
  const now = opts.now ?? new Date();
  const tz = opts.timezone ?? (process.env.PORTICO_TIMEZONE || "UTC");
  const chunk = Math.max(100, opts.chunkSize ?? 10_000);
  const progress = opts.onProgress ?? (() => {});
  const rawKey = process.env.PORTICO_VAULT_KEY?.trim();
  const vaultKey =
    opts.vaultKey ??
    (rawKey
      ? parseVaultKey(rawKey)
      : (() => {
          throw new AppError("UNAVAILABLE", "The scale seed stores payment methods sealed by the card vault: set PORTICO_VAULT_KEY (the key the server uses).");
        })());

  if (!(await isDemoSeeded(db))) throw new AppError("CONFLICT", "The scale seed builds on the demo catalogue: seed the demo first (npm run db:seed)");
  const existing = await countScaleCustomers(db);
  if (existing >= N) return { result: "already-seeded", customers: existing };
  if (existing > 0) {
    throw new AppError("CONFLICT", `This database already holds ${existing} scale customers (fewer than ${N}): seed a fresh database instead.`);
  }

  // Hashed once; every scale contact, account and phone shares them.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const pinHash = await hashPassword(DEMO_PIN);
  const refs = await resolveCatalogue(db);

  const totals: ScaleRowCounts = { customers: 0, packages: 0, services: 0, paymentMethods: 0, invoices: 0, invoiceLines: 0, taxLines: 0, payments: 0, credits: 0, refunds: 0 };
  const chunks = Math.ceil(N / chunk);
  const totalSteps = chunks * CHUNK_STEPS + 2;
  let steps = 0;
  let fkPerRow = true;

  await db.transaction(async (tx) => {
    await run(tx, `SELECT pg_advisory_xact_lock(${SCALE_LOCK_KEY})`);
    if ((await countScaleCustomers(tx)) > 0) throw new AppError("CONFLICT", "Another scale seed wrote to this database meanwhile");
    await run(tx, `SET LOCAL work_mem = '256MB'`);
    await run(tx, `SET LOCAL synchronous_commit = off`);
    // Bulk mode where allowed (superuser): foreign keys are not checked row by row during the
    // load (as pg_restore --disable-triggers does); every reference is verified once below.
    const [su] = await queryRows<{ su: boolean }>(tx, sql`SELECT rolsuper AS su FROM pg_roles WHERE rolname = current_user`);
    if (su?.su) {
      await run(tx, `SET LOCAL session_replication_role = replica`);
      fkPerRow = false;
    }
    // Ids are handed out in ranges: nobody else may insert into these tables meanwhile.
    await run(tx, `LOCK TABLE ${TABLES_WRITTEN.join(", ")} IN SHARE ROW EXCLUSIVE MODE`);
    await createReferenceTables(tx, refs);
    progress(++steps / totalSteps, "reference data");

    for (let k = 0; k < chunks; k++) {
      const s0 = k * chunk + 1;
      const s1 = Math.min(N, s0 + chunk - 1);
      const counts = await seedChunk({
        tx,
        s0,
        s1,
        now,
        nowIso: now.toISOString(),
        tz,
        passwordHash,
        pinHash,
        vaultKey,
        step: (label) => progress(++steps / totalSteps, `customers ${s0.toLocaleString("en-US")}–${s1.toLocaleString("en-US")}: ${label}`),
      });
      for (const key of Object.keys(totals) as (keyof ScaleRowCounts)[]) totals[key] += counts[key];
      steps = (k + 1) * CHUNK_STEPS + 1;
    }

    if (!fkPerRow) {
      await run(tx, `SET LOCAL session_replication_role = origin`);
      progress(steps / totalSteps, "checking every reference");
      const t0 = performance.now();
      await verifyForeignKeys(tx);
      if (TRACE) process.stderr.write(`\n[${(performance.now() - t0).toFixed(0).padStart(6)} ms] foreign keys verified\n`);
    }
    await run(tx, `DROP FUNCTION pg_temp.rnd(bigint, int)`);
  });
  progress(++steps / totalSteps, "analyze");
  for (const t of TABLES_WRITTEN) await run(db, `ANALYZE ${t}`);
  progress(1, "done");

  const summary: ScaleSeedSummary = { ...totals, seconds: (Date.now() - started) / 1000, foreignKeysPerRow: fkPerRow };
  return { result: "seeded", summary };
}

const fmt = (n: number) => n.toLocaleString("en-US");

export function formatScaleSummary(s: ScaleSeedSummary): string[] {
  return [
    `Seeded ${fmt(s.customers)} scale customers in ${s.seconds.toFixed(1)} s:`,
    `  ${fmt(s.packages)} packages, ${fmt(s.services)} services, ${fmt(s.paymentMethods)} stored payment methods`,
    `  ${fmt(s.invoices)} invoices with ${fmt(s.invoiceLines)} lines and ${fmt(s.taxLines)} tax lines`,
    `  ${fmt(s.payments)} payments, ${fmt(s.credits)} credits, ${fmt(s.refunds)} refunds`,
    `  foreign keys ${s.foreignKeysPerRow ? "checked row by row" : "checked once after the bulk load"}`,
  ];
}

/**
 * After a bulk load without per-row checks: every foreign key of the tables written is checked
 * once, set-based (what ALTER TABLE … VALIDATE CONSTRAINT does). Any orphan aborts the seed.
 */
async function verifyForeignKeys(tx: DbOrTx): Promise<void> {
  const fks = await queryRows<{ tbl: string; cols: string[]; ftbl: string; fcols: string[]; name: string }>(
    tx,
    sql`SELECT c.conrelid::regclass::text AS tbl, c.confrelid::regclass::text AS ftbl, c.conname AS name,
               ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS cols,
               ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS fcols
          FROM pg_constraint c
         WHERE c.contype = 'f' AND c.conrelid::regclass::text IN (${sql.join(TABLES_WRITTEN.map((t) => sql`${t}`), sql`, `)})`,
  );
  for (const fk of fks) {
    const cols = fk.cols.map((c) => `"${c}"`);
    const fcols = fk.fcols.map((c) => `"${c}"`);
    const on = cols.map((c, i) => `f.${fcols[i]} = t.${c}`).join(" AND ");
    const notNull = cols.map((c) => `t.${c} IS NOT NULL`).join(" AND ");
    const [bad] = await queryRows<{ n: number }>(
      tx,
      sql.raw(`SELECT count(*)::int AS n FROM ${fk.tbl} t WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${fk.ftbl} f WHERE ${on})`),
    );
    if (Number(bad?.n ?? 0) > 0) throw new Error(`scale seed: ${bad!.n} rows of ${fk.tbl} break foreign key ${fk.name}`);
  }
}
