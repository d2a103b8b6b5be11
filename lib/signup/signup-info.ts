import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { agent, custMainCounty, partPkg, svcAcctPop, svcDomain } from "@/db/schema";
import type { AccessNumber } from "@/components/access-number-select";
import { AppError } from "@/lib/errors";
import { queryRows } from "@/lib/db/rows";
import { formatCents } from "@/lib/money/cents";
import { defaultDomsvc, sellableByAgentSql } from "@/lib/packages/order-package";
import { freqPretty } from "@/lib/packages/status";
import { FREESIDE_PAYTYPES } from "@/lib/payments/bank";
import { CARD_TYPE_CHOICES } from "@/lib/payments/card";
import {
  DEFAULT_SIGNUP_PAYBYS,
  isDialupPackage,
  isSignupPayby,
  PAYBY_LONGNAME,
  SIGNUP_MSGCAT,
  type SignupPayby,
  type SignupService,
} from "./signup-schema";

/**
 * signup_info and what the signup pages need: which agent a signup belongs to, the packages it
 * offers at signup (with the payment types each accepts and the service it provisions), the
 * regions, the access numbers. Freeside's keys; see DESIGN.md and behaviour.md §2.2.
 */

export const STATE_DEFAULT = "CA";
export const COUNTRY_DEFAULT = "US";

/** The agent a signup belongs to, with its signup settings and branding (never its password). */
export interface SignupAgent {
  agentnum: number;
  agent: string;
  typenum: number;
  signupKey: string | null;
  embedOrigins: string[];
  companyName: string;
  logoUrl: string | null;
  brandColor: string | null;
  supportEmail: string | null;
  supportPhone: string | null;
}

const agentColumns = {
  agentnum: agent.agentnum,
  agent: agent.agent,
  typenum: agent.typenum,
  signupKey: agent.signupKey,
  embedOrigins: agent.embedOrigins,
  companyName: agent.companyName,
  logoUrl: agent.logoUrl,
  brandColor: agent.brandColor,
  supportEmail: agent.supportEmail,
  supportPhone: agent.supportPhone,
};

type AgentRow = { [K in keyof typeof agentColumns]: unknown };

function toSignupAgent(r: AgentRow): SignupAgent {
  const color = typeof r.brandColor === "string" && /^#[0-9a-fA-F]{6}$/.test(r.brandColor) ? r.brandColor : null;
  const logo = typeof r.logoUrl === "string" && /^(https:\/\/|\/)[^\s"'<>]+$/.test(r.logoUrl) ? r.logoUrl : null;
  return {
    agentnum: Number(r.agentnum),
    agent: String(r.agent),
    typenum: Number(r.typenum),
    signupKey: (r.signupKey as string | null) ?? null,
    embedOrigins: Array.isArray(r.embedOrigins) ? (r.embedOrigins as string[]) : [],
    companyName: (r.companyName as string | null) || String(r.agent),
    logoUrl: logo,
    brandColor: color,
    supportEmail: (r.supportEmail as string | null) ?? null,
    supportPhone: (r.supportPhone as string | null) ?? null,
  };
}

export const SIGNUP_NOT_CONFIGURED = "Signup is not configured";

/**
 * Which agent a signup belongs to: the one named (agentnum — a reseller's session or the form's
 * signed token — or the public signup key of an embed), else the agent marked as the signup
 * default. Disabled agents don't exist here. Freeside's errors.
 */
export async function resolveSignupAgent(db: DbOrTx, sel: { agentnum?: number | null; signupKey?: string | null } = {}): Promise<SignupAgent> {
  if (sel.agentnum) {
    const [row] = await db.select(agentColumns).from(agent).where(and(eq(agent.agentnum, sel.agentnum), isNull(agent.disabled)));
    if (!row) throw new AppError("NOT_FOUND", `Self-service agent #${sel.agentnum} does not exist`, { fieldErrors: { agentnum: ["Unknown agent"] } });
    return toSignupAgent(row);
  }
  if (sel.signupKey) {
    const [row] = await db.select(agentColumns).from(agent).where(and(eq(agent.signupKey, sel.signupKey), isNull(agent.disabled)));
    if (!row) throw new AppError("NOT_FOUND", "Unknown signup key");
    return toSignupAgent(row);
  }
  const [row] = await db.select(agentColumns).from(agent).where(and(eq(agent.signupDefault, "Y"), isNull(agent.disabled)));
  if (!row) throw new AppError("UNAVAILABLE", SIGNUP_NOT_CONFIGURED);
  return toSignupAgent(row);
}

/** A package offered at signup. */
export interface SignupPackage {
  pkgpart: number;
  pkg: string;
  comment: string;
  description: string;
  /** Months between charges ('0' = one-time). */
  freq: string;
  freqPretty: string;
  setupCents: number;
  recurCents: number;
  taxclass: string | null;
  setupTaxExempt: boolean;
  recurTaxExempt: boolean;
  /** The payment types this package accepts at signup. */
  payby: SignupPayby[];
  /** The service the signup provisions (the package's primary account, phone or domain service). */
  svcpart: number | null;
  svcdb: SignupService;
  /** A dial-up package: the signup needs an access number (when there are any). */
  accessNumberRequired: boolean;
}

/** The payment types a package accepts at signup: its own list, or the default (never COMP unless listed). */
export function packagePaybys(payby: string[] | null): SignupPayby[] {
  const list = payby && payby.length ? payby.map((p) => p.trim().toUpperCase()) : [...DEFAULT_SIGNUP_PAYBYS];
  return list.filter(isSignupPayby);
}

/**
 * The packages an agent offers at signup (part_pkg.signup_offer = 'Y', enabled, sellable by the
 * agent), by name. `pkgpart` narrows to one.
 */
export async function listSignupPackages(db: DbOrTx, ag: { agentnum: number; typenum: number }, opts: { pkgpart?: number } = {}): Promise<SignupPackage[]> {
  const rows = await db
    .select()
    .from(partPkg)
    .where(and(eq(partPkg.signupOffer, "Y"), sellableByAgentSql(ag.agentnum, ag.typenum), opts.pkgpart ? eq(partPkg.pkgpart, opts.pkgpart) : undefined))
    .orderBy(asc(partPkg.pkg), asc(partPkg.pkgpart));
  if (rows.length === 0) return [];
  const services = await queryRows<{ pkgpart: number; svcpart: number; svcdb: string }>(
    db,
    sql`SELECT DISTINCT ON (ps.pkgpart) ps.pkgpart, ps.svcpart, s.svcdb
          FROM pkg_svc ps JOIN part_svc s ON s.svcpart = ps.svcpart
         WHERE s.disabled IS NULL AND s.svcdb IN ('svc_acct', 'svc_phone', 'svc_domain')
           AND ps.pkgpart IN (${sql.join(
             rows.map((r) => sql`${r.pkgpart}`),
             sql`, `,
           )})
         ORDER BY ps.pkgpart, (ps.primary_svc IS NULL), CASE s.svcdb WHEN 'svc_acct' THEN 0 WHEN 'svc_phone' THEN 1 ELSE 2 END, ps.svcpart`,
  );
  const byPkg = new Map(services.map((s) => [Number(s.pkgpart), { svcpart: Number(s.svcpart), svcdb: s.svcdb as SignupService }]));
  const [pops] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM svc_acct_pop`);
  const havePops = Number(pops?.n ?? 0) > 0;
  rows.sort((a, b) => a.pkg.localeCompare(b.pkg, "en") || a.pkgpart - b.pkgpart);
  return rows.map((r) => {
    const svc = byPkg.get(r.pkgpart);
    const svcdb = svc?.svcdb ?? "";
    return {
      pkgpart: r.pkgpart,
      pkg: r.pkg,
      comment: r.comment ?? "",
      description: r.description ?? "",
      freq: r.freq,
      freqPretty: freqPretty(r.freq),
      setupCents: r.setupFee,
      recurCents: r.recurFee,
      taxclass: r.taxclass,
      setupTaxExempt: r.setuptax === "Y",
      recurTaxExempt: r.recurtax === "Y",
      payby: packagePaybys(r.payby),
      svcpart: svc?.svcpart ?? null,
      svcdb,
      accessNumberRequired: svcdb === "svc_acct" && havePops && isDialupPackage(r),
    };
  });
}

/** Every access number (svc_acct_pop), by state, area code and city. */
export async function listAccessNumbers(db: DbOrTx): Promise<AccessNumber[]> {
  const rows = await db.select().from(svcAcctPop).orderBy(asc(svcAcctPop.state), asc(svcAcctPop.ac), asc(svcAcctPop.city), asc(svcAcctPop.popnum));
  return rows.map((r) => ({ popnum: r.popnum, city: r.city, state: r.state, ac: r.ac.trim(), exch: r.exch.trim(), loc: r.loc?.trim() ?? null }));
}

/** The ISP's default login domain for new accounts (id and name), or null when none is set up. */
export async function defaultSignupDomain(db: DbOrTx): Promise<{ domsvc: number; domain: string } | null> {
  const domsvc = await defaultDomsvc(db);
  if (!domsvc) return null;
  const [row] = await db.select({ domain: svcDomain.domain }).from(svcDomain).where(eq(svcDomain.svcnum, domsvc));
  return row ? { domsvc, domain: row.domain } : null;
}

/** A package as signup_info's part_pkg lists it (Freeside's keys, money as "12.50"; Portico adds the service). */
export function freesidePartPkg(p: SignupPackage): Record<string, unknown> {
  return {
    pkgpart: p.pkgpart,
    pkg: p.pkg,
    comment: p.comment,
    description: p.description,
    freq: p.freq,
    freq_pretty: p.freqPretty,
    plan: "flat",
    setup_fee: formatCents(p.setupCents),
    recur_fee: formatCents(p.recurCents),
    options: { setup_fee: formatCents(p.setupCents), recur_fee: formatCents(p.recurCents) },
    setuptax: p.setupTaxExempt ? "Y" : "",
    recurtax: p.recurTaxExempt ? "Y" : "",
    taxclass: p.taxclass ?? "",
    payby: p.payby,
    svcpart: p.svcpart ?? "",
    signup_service: p.svcdb,
    access_number: p.accessNumberRequired ? 1 : 0,
  };
}

const blank = (v: unknown) => (v === null || v === undefined ? "" : String(v).trim());

/**
 * signup_info: Freeside's keys for the agent the signup belongs to. With `keys`, only those keys.
 * `resellerSession`: called with a reseller's session (Freeside then omits agentnum2part_pkg).
 */
export async function signupInfo(
  db: DbOrTx,
  opts: { agentnum?: number | null; signupKey?: string | null; resellerSession?: boolean; promoCode?: string; keys?: string[] } = {},
): Promise<Record<string, unknown>> {
  const want = opts.keys && opts.keys.length ? new Set(opts.keys) : null;
  const wants = (k: string) => !want || want.has(k);
  const ag = await resolveSignupAgent(db, { agentnum: opts.agentnum, signupKey: opts.signupKey });
  const out: Record<string, unknown> = {};

  let offered = await listSignupPackages(db, ag);
  if (opts.promoCode) {
    // Freeside: a promotional code narrows the offer to the packages carrying it.
    const code = opts.promoCode.trim().toLowerCase();
    const rows = await db.select({ pkgpart: partPkg.pkgpart }).from(partPkg).where(sql`lower(${partPkg.promoCode}) = ${code}`);
    const promo = new Set(rows.map((r) => r.pkgpart));
    offered = offered.filter((p) => promo.has(p.pkgpart));
    if (offered.length === 0) throw new AppError("INVALID_INPUT", "Unknown promotional code");
  }
  if (wants("part_pkg")) out.part_pkg = offered.map(freesidePartPkg);
  if (wants("agent")) {
    const agents = await db.select({ agentnum: agent.agentnum, agent: agent.agent }).from(agent).where(isNull(agent.disabled)).orderBy(asc(agent.agent));
    out.agent = agents;
  }
  if (wants("agentnum2part_pkg") && !opts.resellerSession) {
    const agents = await db.select({ agentnum: agent.agentnum, typenum: agent.typenum }).from(agent).where(isNull(agent.disabled)).orderBy(asc(agent.agentnum));
    const map: Record<string, unknown> = {};
    for (const a of agents) map[String(a.agentnum)] = (await listSignupPackages(db, a)).map(freesidePartPkg);
    out.agentnum2part_pkg = map;
  }
  if (wants("cust_main_county")) {
    const rows = await db.select().from(custMainCounty).orderBy(asc(custMainCounty.country), asc(custMainCounty.state), asc(custMainCounty.county), asc(custMainCounty.taxnum));
    out.cust_main_county = rows.map((r) => ({
      taxnum: r.taxnum,
      district: blank(r.district),
      city: blank(r.city),
      county: blank(r.county),
      state: blank(r.state),
      country: blank(r.country),
      taxclass: blank(r.taxclass),
      exempt_amount: formatCents(r.exemptAmount),
      tax: r.tax.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, ""),
      taxname: blank(r.taxname),
      setuptax: blank(r.setuptax),
      recurtax: blank(r.recurtax),
    }));
  }
  if (wants("svc_acct_pop")) out.svc_acct_pop = (await listAccessNumbers(db)).map((p) => ({ ...p, loc: p.loc ?? "" }));
  const domain = wants("default_domsvc") || wants("default_domain") ? await defaultSignupDomain(db) : null;

  const scalars: Record<string, unknown> = {
    agentnum: ag.agentnum,
    agent_name: ag.agent,
    company_name: ag.companyName,
    logo_url: ag.logoUrl ?? "",
    brand_color: ag.brandColor ?? "",
    security_phrase: 0,
    payby: [...DEFAULT_SIGNUP_PAYBYS],
    payby_longname: DEFAULT_SIGNUP_PAYBYS.map((p) => PAYBY_LONGNAME[p]),
    card_types: CARD_TYPE_CHOICES,
    paytypes: FREESIDE_PAYTYPES,
    cvv_enabled: 1,
    require_cvv: 0,
    stateid_enabled: 0,
    paystate_enabled: 1,
    ship_enabled: 0,
    emailinvoiceonly: 0,
    no_company: 0,
    recommend_daytime: 0,
    recommend_email: 1,
    msgcat: SIGNUP_MSGCAT,
    statedefault: STATE_DEFAULT,
    countrydefault: COUNTRY_DEFAULT,
    signup_service: "svc_acct",
    default_domsvc: domain?.domsvc ?? "",
    default_domain: domain?.domain ?? "",
    "cust_main-require_phone": 0,
  };
  for (const [k, v] of Object.entries(scalars)) if (wants(k)) out[k] = v;
  return out;
}
