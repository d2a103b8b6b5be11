import "server-only";
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "../client";
import { agent, custPkg, custSvc } from "../schema";
import { allowPackagesForAgentType, createAgent, createAgentType } from "../../lib/agents/create-agent";
import { hashPassword } from "../../lib/auth/password";
import {
  createAccessNumbers,
  createIspDomain,
  createPackageDefinition,
  createPrepaidCards,
  createServiceDefinition,
  createTaxRegions,
} from "../../lib/catalog/catalog-admin";
import { createCustomer, type NewContact } from "../../lib/customers/create-customer";
import { locationSchema } from "../../lib/customers/location-schema";
import { AppError } from "../../lib/errors";
import { orderPackage, type ServiceOrder } from "../../lib/packages/order-package";
import { customerStatus, packageStatus, type CustomerStatus, type PackageStatus } from "../../lib/packages/status";
import { formatMoneyPretty } from "../../lib/money/cents";
import { parseInput } from "../../lib/validation/parse";
import {
  ACCESS_NUMBERS,
  CATALOGUE,
  COMPANIES,
  DEMO_DOMAIN,
  DEMO_EMBED_ORIGINS,
  DEMO_ISP,
  DEMO_MARKER_AGENT,
  DEMO_PARTNER_AGENT,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  PARTNER_DOMAIN,
  PLACES,
  STREETS,
  TAX_REGIONS,
  type PkgKey,
  type Place,
  type SvcKey,
} from "./demo-data";
import { DEMO_AGENT_LOGINS, DEMO_PASSWORD, DEMO_PIN, DEMO_PREPAID_PINS, type DemoLoginName } from "./demo-logins";
import { seedBillingHistory, type HistoryCustomerPlan, type HistoryStats, type PackageFate } from "./history";
import { SeededRandom } from "./random";

/**
 * The deterministic demo seed: the ISP "Northwind Broadband" with two agents (resellers), its
 * regions and taxes, catalogue, access numbers, prepaid cards and 60 customers whose packages are
 * in every status. Everything goes through the same lib/ functions staff and customers use; the
 * whole seed is one transaction (all or nothing).
 *
 * Names, usernames, numbers and domains come from a seeded PRNG, so every run makes the same
 * ones; dates are relative to `now` (default: the real current time) so the data always looks
 * current. Packages are ordered, set up, billed, suspended and cancelled on a timeline by
 * db/seed/history.ts, whose billing is the engine's own (invoices, taxes, payments, credits).
 */
export { DEMO_LOGINS, DEMO_AGENT_LOGINS, DEMO_PASSWORD, DEMO_PIN, DEMO_PREPAID_PINS, demoLoginInput, formatDemoLogins, type DemoLogin, type DemoLoginName } from "./demo-logins";

export const DEMO_RANDOM_SEED = 20261101;
export const DEMO_CUSTOMER_COUNT = 60;
/** Serialises concurrent seeders (two `npm start`s on one database). */
const SEED_LOCK_KEY = 7_270_001;

export type Scenario =
  | "fixed"
  | "active-dsl"
  | "active-fibre"
  | "active-bundle"
  | "active-dialup"
  | "business"
  | "suspended"
  | "cancelled"
  | "ordered"
  | "on-hold"
  | "one-time"
  | "prospect"
  | "mixed";

export interface DemoPackage {
  pkgnum: number;
  pkgpart: number;
  key: PkgKey;
  pkg: string;
  freqMonths: number;
  orderDate: Date;
  startDate: Date | null;
  setup: Date | null;
  lastBill: Date | null;
  bill: Date | null;
  susp: Date | null;
  cancel: Date | null;
  status: PackageStatus;
  /** Services still provisioned (a cancelled package has none). */
  svcnums: number[];
}

export interface DemoCustomer {
  custnum: number;
  agentnum: number;
  agent: string;
  first: string;
  last: string;
  company: string | null;
  /** The primary contact's e-mail. */
  email: string;
  /** Can the primary contact log in to self-service? */
  selfservice: boolean;
  /** Set for the fixed demo logins. */
  login: DemoLoginName | null;
  scenario: Scenario;
  location: { city: string; county: string; state: string; country: string };
  signupdate: Date;
  status: CustomerStatus;
  packages: DemoPackage[];
}

export interface DemoSummary {
  isp: string;
  now: Date;
  agents: { agentnum: number; agent: string; typenum: number; signupKey: string }[];
  svcparts: Record<SvcKey, number>;
  pkgparts: Record<PkgKey, number>;
  domains: { svcnum: number; domain: string }[];
  taxRegions: number;
  accessNumbers: number;
  prepaidCards: number;
  customers: DemoCustomer[];
  /** The year of billing the engine made (db/seed/history.ts). */
  billing: HistoryStats;
  counts: {
    customers: number;
    packages: number;
    services: number;
    packageStatus: Record<PackageStatus, number>;
    customerStatus: Record<CustomerStatus, number>;
  };
}

/** True when the demo ISP is already in the database. */
export async function isDemoSeeded(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select({ agentnum: agent.agentnum }).from(agent).where(eq(agent.agent, DEMO_MARKER_AGENT)).limit(1);
  return Boolean(row);
}

export async function seedDemo(db: Db, opts: { now?: Date } = {}): Promise<DemoSummary> {
  const now = opts.now ?? new Date();
  // Hash the shared demo secrets once; every contact, account and phone reuses the hashes.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const pinHash = await hashPassword(DEMO_PIN);
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`));
    if (await isDemoSeeded(tx)) throw new AppError("CONFLICT", "The demo data is already seeded");
    const rng = new SeededRandom(DEMO_RANDOM_SEED);
    const catalogue = await seedCatalogue(tx, rng);
    const seeded = await seedCustomers(tx, rng, catalogue, { now, passwordHash, pinHash });
    // The packages' lives and a year of billing, by the billing engine (db/seed/history.ts).
    const history = await seedBillingHistory(tx, seeded.map((s) => s.history), { now });
    const customers: DemoCustomer[] = [];
    for (const s of seeded) {
      const packages = await loadDemoPackages(tx, s, history.ordered.get(s.customer.custnum)!);
      customers.push({ ...s.customer, status: customerStatus(packages.map((p) => p.status)), packages });
    }
    return summarise(now, catalogue, customers, history.stats);
  });
}

// ---------------------------------------------------------------------------------------------
// Catalogue: regions, services, domains, access numbers, agents, packages, prepaid cards

interface Catalogue {
  agents: { direct: AgentInfo; partner: AgentInfo };
  svcparts: Record<SvcKey, number>;
  pkgparts: Record<PkgKey, number>;
  domains: { svcnum: number; domain: string }[];
  domsvc: { direct: number; partner: number };
  popsByState: Map<string, number[]>;
  prepaidCards: number;
}

interface AgentInfo {
  agentnum: number;
  agent: string;
  typenum: number;
  signupKey: string;
  domain: string;
}

async function seedCatalogue(tx: Tx, rng: SeededRandom): Promise<Catalogue> {
  await createTaxRegions(tx, TAX_REGIONS);

  const svcparts: Record<SvcKey, number> = {
    acct: await createServiceDefinition(tx, "Internet login", "svc_acct"),
    phone: await createServiceDefinition(tx, "VoIP phone number", "svc_phone"),
    domain: await createServiceDefinition(tx, "Hosted domain", "svc_domain"),
    staticIp: await createServiceDefinition(tx, "Static IP address", "svc_external"),
  };

  // The ISP's own login domains; the first is the default for new accounts.
  const directDomsvc = await createIspDomain(tx, svcparts.domain, DEMO_DOMAIN);
  const partnerDomsvc = await createIspDomain(tx, svcparts.domain, PARTNER_DOMAIN);

  const popnums = await createAccessNumbers(tx, ACCESS_NUMBERS);
  const popsByState = new Map<string, number[]>();
  ACCESS_NUMBERS.forEach((p, i) => popsByState.set(p.state, [...(popsByState.get(p.state) ?? []), popnums[i]!]));

  const directType = await createAgentType(tx, "Direct sales");
  const partnerType = await createAgentType(tx, "Reseller partner");
  const [directLogin, partnerLogin] = DEMO_AGENT_LOGINS;
  const direct = await createAgent(tx, {
    agent: DEMO_MARKER_AGENT,
    typenum: directType,
    username: directLogin.username,
    password: directLogin.password,
    signupDefault: true,
    signupKey: directLogin.signupKey,
    embedOrigins: DEMO_EMBED_ORIGINS,
    companyName: DEMO_ISP,
    companyAddress: "500 Harbor Way, Suite 200\nOakland, CA 94607\nUnited States",
    supportEmail: "support@northwind.example",
    supportPhone: "+1 510 555 0100",
    brandColor: "#0f766e",
  });
  const partner = await createAgent(tx, {
    agent: DEMO_PARTNER_AGENT,
    typenum: partnerType,
    username: partnerLogin.username,
    password: partnerLogin.password,
    signupKey: partnerLogin.signupKey,
    embedOrigins: [...DEMO_EMBED_ORIGINS, "https://www.harbornet.example"],
    companyName: "Harbor Net Partners Ltd.",
    companyAddress: "1201 Western Ave, Floor 3\nSeattle, WA 98101\nUnited States",
    supportEmail: "help@harbornet.example",
    supportPhone: "+1 206 555 0142",
    brandColor: "#1d4ed8",
  });

  const pkgparts = {} as Record<PkgKey, number>;
  for (const d of CATALOGUE) {
    pkgparts[d.key] = await createPackageDefinition(tx, {
      pkg: d.pkg,
      comment: d.comment,
      description: d.description,
      freqMonths: d.freqMonths,
      setupFeeCents: d.setupFeeCents,
      recurFeeCents: d.recurFeeCents,
      taxclass: d.taxclass,
      signupOffer: d.signupOffer,
      agentnum: d.partnerOnly ? partner.agentnum : undefined,
      services: d.service ? [{ svcpart: svcparts[d.service], primary: true }] : [],
    });
  }
  await allowPackagesForAgentType(tx, directType, CATALOGUE.filter((d) => !d.partnerOnly).map((d) => pkgparts[d.key]));
  await allowPackagesForAgentType(tx, partnerType, CATALOGUE.filter((d) => d.partner && !d.partnerOnly).map((d) => pkgparts[d.key]));

  const ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const cards: { identifier: string; amountCents: number; agentnum?: number }[] = DEMO_PREPAID_PINS.map((p) => ({ ...p }));
  for (let i = 0; i < 12; i++) {
    cards.push({
      identifier: `NWB-${rng.chars(4, ALNUM)}-${rng.chars(4, ALNUM)}-${rng.chars(4, ALNUM)}`,
      amountCents: rng.pick([2000, 2500, 5000]),
      agentnum: i % 3 === 0 ? partner.agentnum : undefined,
    });
  }
  await createPrepaidCards(tx, cards);

  return {
    agents: {
      direct: { agentnum: direct.agentnum, agent: DEMO_MARKER_AGENT, typenum: directType, signupKey: direct.signupKey, domain: DEMO_DOMAIN },
      partner: { agentnum: partner.agentnum, agent: DEMO_PARTNER_AGENT, typenum: partnerType, signupKey: partner.signupKey, domain: PARTNER_DOMAIN },
    },
    svcparts,
    pkgparts,
    domains: [
      { svcnum: directDomsvc, domain: DEMO_DOMAIN },
      { svcnum: partnerDomsvc, domain: PARTNER_DOMAIN },
    ],
    domsvc: { direct: directDomsvc, partner: partnerDomsvc },
    popsByState,
    prepaidCards: cards.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Dates (UTC, whole days back from `now`)

function daysAgo(now: Date, days: number, hour = 10): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days, hour, 0, 0));
}

// ---------------------------------------------------------------------------------------------
// Customers

type ServiceSpec =
  | { kind: "acct"; username: string; popnum?: number }
  | { kind: "phone"; phonenum: string; phoneName: string }
  | { kind: "domain"; domain: string }
  | { kind: "staticIp"; octet: number };

interface PackagePlan {
  key: PkgKey;
  orderedDaysAgo: number;
  fate: PackageFate;
  /** Days ago the package was suspended or cancelled (fate suspended / cancelled / on-hold). */
  eventDaysAgo?: number;
  /** A future start date, days from now (fate ordered). */
  startInDays?: number;
  service?: ServiceSpec;
}

interface CustomerSpec {
  scenario: Scenario;
  login: DemoLoginName | null;
  agent: "direct" | "partner";
  first: string;
  last: string;
  company?: string;
  place: Place;
  address1: string;
  address2?: string;
  zip: string;
  email: string;
  selfservice: boolean;
  extraContact?: { first: string; last: string; email: string; title?: string; selfservice: boolean; invoiceDest: boolean };
  postalInvoice: boolean;
  daytime: string;
  mobile?: string;
  signupDaysAgo: number;
  referralIndex?: number;
  comments?: string;
  packages: PackagePlan[];
}

interface SeedSecrets {
  now: Date;
  passwordHash: string;
  pinHash: string;
}

function placeIn(city: string): Place {
  const p = PLACES.find((x) => x.city === city);
  if (!p) throw new Error(`demo seed: unknown place ${city}`);
  return p;
}

/** Lower-case ASCII letters and digits only ("Zoë" → "zoe", "O'Brien" → "obrien", "Müller" → "muller"). */
export function asciiSlug(s: string): string {
  return s
    .replace(/ß/g, "ss")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** Hands out names, e-mails, usernames, numbers and domains that are unique across the seed. */
class Identifiers {
  private readonly names = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly usernames = new Set<string>();
  private readonly phones = new Set<string>();
  private readonly domains = new Set<string>();
  private nextOctet = 10;
  private nextCompany = 0;

  constructor(private readonly rng: SeededRandom) {}

  reserve(kind: "name" | "email" | "username" | "phone" | "domain", value: string): string {
    const set = { name: this.names, email: this.emails, username: this.usernames, phone: this.phones, domain: this.domains }[kind];
    if (set.has(value)) throw new Error(`demo seed: ${kind} ${value} used twice`);
    set.add(value);
    return value;
  }

  personName(): { first: string; last: string } {
    for (;;) {
      const first = this.rng.pick(FIRST_NAMES);
      const last = this.rng.pick(LAST_NAMES);
      const key = `${first} ${last}`;
      if (!this.names.has(key)) {
        this.names.add(key);
        return { first, last };
      }
    }
  }

  company(): string {
    return COMPANIES[this.nextCompany++ % COMPANIES.length]!;
  }

  private unique(set: Set<string>, candidates: string[], fallback: (n: number) => string): string {
    for (const c of candidates) {
      if (!set.has(c)) {
        set.add(c);
        return c;
      }
    }
    for (let n = 2; ; n++) {
      const c = fallback(n);
      if (!set.has(c)) {
        set.add(c);
        return c;
      }
    }
  }

  email(first: string, last: string): string {
    const domain = this.rng.pick(EMAIL_DOMAINS);
    const local = `${asciiSlug(first)}.${asciiSlug(last)}`;
    return this.unique(this.emails, [`${local}@${domain}`], (n) => `${local}${n}@${domain}`);
  }

  rawEmail(email: string): string {
    return this.unique(this.emails, [email], (n) => email.replace("@", `${n}@`));
  }

  username(first: string, last: string): string {
    const f = asciiSlug(first);
    const l = asciiSlug(last);
    return this.unique(this.usernames, [`${f[0]}${l}`.slice(0, 32), `${f}.${l}`.slice(0, 32)], (n) => `${f[0]}${l}${n}`.slice(0, 32));
  }

  /** A fictional North American number: area code + 555-01xx. */
  phone(ac: string): string {
    for (;;) {
      const n = `${ac}55501${String(this.rng.int(0, 99)).padStart(2, "0")}`;
      if (!this.phones.has(n)) {
        this.phones.add(n);
        return n;
      }
    }
  }

  domain(base: string): string {
    const b = base.replace(/^-+|-+$/g, "");
    return this.unique(this.domains, [`${b}.example`], (n) => `${b}${n}.example`);
  }

  staticIpOctet(): number {
    return this.nextOctet++;
  }
}

function formatPhone(place: Place, rng: SeededRandom): string {
  if (place.ac) return `(${place.ac}) 555-01${String(rng.int(0, 99)).padStart(2, "0")}`;
  const intl = place.intl!;
  return `+${intl.cc} ${intl.prefix}${rng.int(100, 999)}`;
}

function streetAddress(place: Place, rng: SeededRandom): string {
  const street = rng.pick(STREETS[place.country] ?? STREETS.US!);
  const number = rng.int(1, 4999);
  return place.country === "DE" || place.country === "NL" ? `${street} ${rng.int(1, 199)}` : `${number} ${street}`;
}

const SCENARIO_MIX: [Scenario, number][] = [
  ["active-dsl", 9],
  ["active-fibre", 10],
  ["active-bundle", 6],
  ["active-dialup", 4],
  ["business", 4],
  ["suspended", 4],
  ["cancelled", 4],
  ["ordered", 4],
  ["on-hold", 1],
  ["one-time", 2],
  ["prospect", 4],
  ["mixed", 3],
];

function fixedCustomers(ids: Identifiers): CustomerSpec[] {
  for (const n of ["Alice Nguyen", "Bob Martinez", "Carol Okafor", "Dave Kowalski", "Erin Tremblay"]) ids.reserve("name", n);
  for (const u of ["alice", "bob", "carol", "dave", "erin"]) ids.reserve("username", u);
  return [
    {
      scenario: "fixed",
      login: "alice",
      agent: "direct",
      first: "Alice",
      last: "Nguyen",
      place: placeIn("Oakland"),
      address1: "1420 Lakeshore Ave",
      address2: "Apt 3",
      zip: "94610",
      email: ids.reserve("email", "alice@example.com"),
      selfservice: true,
      postalInvoice: false,
      daytime: "(510) 555-0142",
      mobile: "(510) 555-0199",
      signupDaysAgo: 430,
      packages: [
        { key: "dsl50", orderedDaysAgo: 430, fate: "active", service: { kind: "acct", username: "alice" } },
        { key: "install", orderedDaysAgo: 430, fate: "active" },
        { key: "voip", orderedDaysAgo: 400, fate: "active", service: { kind: "phone", phonenum: ids.reserve("phone", "5105550142"), phoneName: "Home" } },
        { key: "hosting", orderedDaysAgo: 200, fate: "active", service: { kind: "domain", domain: ids.reserve("domain", "nguyen-family.example") } },
      ],
    },
    {
      scenario: "fixed",
      login: "bob",
      agent: "direct",
      first: "Bob",
      last: "Martinez",
      place: placeIn("Seattle"),
      address1: "4012 Fremont Ave N",
      zip: "98103",
      email: ids.reserve("email", "bob.martinez@example.net"),
      selfservice: true,
      postalInvoice: false,
      daytime: "(206) 555-0123",
      signupDaysAgo: 260,
      packages: [
        { key: "fibre1000", orderedDaysAgo: 260, fate: "active", service: { kind: "acct", username: "bob" } },
        { key: "staticIp", orderedDaysAgo: 200, fate: "active", service: { kind: "staticIp", octet: ids.staticIpOctet() } },
      ],
    },
    {
      scenario: "fixed",
      login: "carol",
      agent: "direct",
      first: "Carol",
      last: "Okafor",
      place: placeIn("San Francisco"),
      address1: "2217 Mission St",
      zip: "94110",
      email: ids.reserve("email", "carol@example.org"),
      selfservice: true,
      postalInvoice: true,
      daytime: "(415) 555-0123",
      signupDaysAgo: 700,
      packages: [
        { key: "fibre300Annual", orderedDaysAgo: 700, fate: "active", service: { kind: "acct", username: "carol" } },
        { key: "voip", orderedDaysAgo: 650, fate: "active", service: { kind: "phone", phonenum: ids.reserve("phone", "4155550123"), phoneName: "Home" } },
      ],
    },
    {
      scenario: "fixed",
      login: "dave",
      agent: "direct",
      first: "Dave",
      last: "Kowalski",
      place: placeIn("Austin"),
      address1: "1808 S Congress Ave",
      zip: "78704",
      email: ids.reserve("email", "dave@example.com"),
      selfservice: true,
      postalInvoice: false,
      daytime: "(512) 555-0177",
      signupDaysAgo: 500,
      comments: "Suspended for non-payment.",
      packages: [
        { key: "dsl25", orderedDaysAgo: 500, fate: "suspended", eventDaysAgo: 12, service: { kind: "acct", username: "dave" } },
        { key: "voip", orderedDaysAgo: 480, fate: "suspended", eventDaysAgo: 12, service: { kind: "phone", phonenum: ids.reserve("phone", "5125550177"), phoneName: "Home" } },
      ],
    },
    {
      scenario: "fixed",
      login: "erin",
      agent: "partner",
      first: "Erin",
      last: "Tremblay",
      place: placeIn("Vancouver"),
      address1: "560 Beatty St",
      address2: "Unit 1204",
      zip: "V6B 2L3",
      email: ids.reserve("email", "erin@example.com"),
      selfservice: true,
      postalInvoice: false,
      daytime: "(604) 555-0188",
      signupDaysAgo: 320,
      packages: [
        { key: "fibre300", orderedDaysAgo: 320, fate: "active", service: { kind: "acct", username: "erin" } },
        { key: "voip", orderedDaysAgo: 300, fate: "active", service: { kind: "phone", phonenum: ids.reserve("phone", "6045550188"), phoneName: "Home" } },
      ],
    },
  ];
}

function generatedCustomer(scenario: Scenario, index: number, rng: SeededRandom, ids: Identifiers, pops: Map<string, number[]>): CustomerSpec {
  const usPlaces = PLACES.filter((p) => p.country === "US" && pops.has(p.state!));
  const place = rng.weighted((scenario === "active-dialup" ? usPlaces : PLACES).map((p) => [p, p.weight] as const));
  const northAmerican = Boolean(place.ac);
  const { first, last } = ids.personName();
  const nearPartner = ["WA", "OR", "BC"].includes(place.state ?? "");
  // Dial-up and annual plans are sold only by Northwind Direct.
  const agentKind: "direct" | "partner" =
    scenario === "active-dialup" || scenario === "one-time" ? "direct" : rng.chance(nearPartner ? 0.6 : 0.2) ? "partner" : "direct";
  const direct = agentKind === "direct";
  const company = scenario === "business" ? ids.company() : undefined;
  const email = ids.email(first, last);
  const username = ids.username(first, last);
  const acct = (popnum?: number): ServiceSpec => ({ kind: "acct", username, ...(popnum ? { popnum } : {}) });
  const phone = (): ServiceSpec => ({ kind: "phone", phonenum: ids.phone(place.ac!), phoneName: rng.pick(["Home", "Kitchen", "Office"]) });
  const domain = (): ServiceSpec => ({ kind: "domain", domain: ids.domain(company ? asciiSlug(company) : `${asciiSlug(last)}-family`) });
  const staticIp = (): ServiceSpec => ({ kind: "staticIp", octet: ids.staticIpOctet() });

  let signupDaysAgo = rng.int(60, 1100);
  const packages: PackagePlan[] = [];
  const add = (p: PackagePlan) => packages.push(p);
  switch (scenario) {
    case "active-dsl":
      add({ key: rng.pick(["dsl25", "dsl50"] as const), orderedDaysAgo: signupDaysAgo, fate: "active", service: acct() });
      if (rng.chance(0.5)) add({ key: "install", orderedDaysAgo: signupDaysAgo, fate: "active" });
      break;
    case "active-fibre": {
      const annual = direct && rng.chance(0.35);
      const key: PkgKey = annual ? rng.pick(["fibre300Annual", "fibre1000Annual"] as const) : rng.pick(["fibre300", "fibre1000"] as const);
      add({ key, orderedDaysAgo: signupDaysAgo, fate: "active", service: acct() });
      if (rng.chance(0.4)) add({ key: "install", orderedDaysAgo: signupDaysAgo, fate: "active" });
      if (direct && rng.chance(0.3)) add({ key: "router", orderedDaysAgo: signupDaysAgo, fate: "active" });
      break;
    }
    case "active-bundle": {
      add({ key: rng.pick(["dsl50", "fibre300", "fibre1000"] as const), orderedDaysAgo: signupDaysAgo, fate: "active", service: acct() });
      if (northAmerican) add({ key: "voip", orderedDaysAgo: signupDaysAgo - rng.int(0, 30), fate: "active", service: phone() });
      add({ key: "hosting", orderedDaysAgo: rng.int(20, signupDaysAgo - 30), fate: "active", service: domain() });
      if (rng.chance(0.5)) add({ key: "staticIp", orderedDaysAgo: rng.int(10, signupDaysAgo - 30), fate: "active", service: staticIp() });
      break;
    }
    case "active-dialup": {
      const popnum = rng.pick(pops.get(place.state!)!);
      add({ key: "dialup", orderedDaysAgo: signupDaysAgo, fate: "active", service: acct(popnum) });
      if (rng.chance(0.3)) add({ key: "hosting", orderedDaysAgo: rng.int(20, signupDaysAgo - 30), fate: "active", service: domain() });
      break;
    }
    case "business":
      add({ key: direct ? "fibre1000Annual" : "harborBusiness500", orderedDaysAgo: signupDaysAgo, fate: "active", service: acct() });
      add({ key: "staticIp", orderedDaysAgo: signupDaysAgo, fate: "active", service: staticIp() });
      add({ key: "install", orderedDaysAgo: signupDaysAgo, fate: "active" });
      add({ key: "hosting", orderedDaysAgo: rng.int(20, signupDaysAgo - 30), fate: "active", service: domain() });
      if (northAmerican && rng.chance(0.5)) add({ key: "voip", orderedDaysAgo: signupDaysAgo, fate: "active", service: phone() });
      break;
    case "suspended": {
      const when = rng.int(5, 40);
      add({ key: rng.pick(["dsl25", "dsl50", "fibre300"] as const), orderedDaysAgo: signupDaysAgo, fate: "suspended", eventDaysAgo: when, service: acct() });
      if (northAmerican && rng.chance(0.4)) add({ key: "voip", orderedDaysAgo: signupDaysAgo, fate: "suspended", eventDaysAgo: when, service: phone() });
      break;
    }
    case "cancelled": {
      const when = rng.int(20, Math.min(300, signupDaysAgo - 40));
      const key: PkgKey = direct && place.country === "US" && rng.chance(0.5) ? "dialup" : rng.pick(["dsl25", "dsl50"] as const);
      const popnum = key === "dialup" ? pops.get(place.state!)?.[0] : undefined;
      add({ key, orderedDaysAgo: signupDaysAgo, fate: "cancelled", eventDaysAgo: when, service: acct(popnum) });
      if (rng.chance(0.4)) add({ key: "hosting", orderedDaysAgo: signupDaysAgo, fate: "cancelled", eventDaysAgo: when, service: domain() });
      break;
    }
    case "ordered": {
      signupDaysAgo = rng.int(1, 6);
      const future = rng.chance(0.5);
      add({ key: rng.pick(["fibre300", "fibre1000"] as const), orderedDaysAgo: signupDaysAgo, fate: "ordered", ...(future ? { startInDays: rng.int(3, 14) } : {}), service: acct() });
      add({ key: "install", orderedDaysAgo: signupDaysAgo, fate: "ordered" });
      break;
    }
    case "on-hold":
      signupDaysAgo = rng.int(10, 30);
      add({ key: "fibre300", orderedDaysAgo: signupDaysAgo, fate: "on-hold", eventDaysAgo: signupDaysAgo - 2, service: acct() });
      break;
    case "one-time":
      signupDaysAgo = rng.int(30, 400);
      add({ key: "install", orderedDaysAgo: signupDaysAgo, fate: "active" });
      if (rng.chance(0.5)) add({ key: "router", orderedDaysAgo: signupDaysAgo, fate: "active" });
      break;
    case "prospect":
      signupDaysAgo = rng.int(1, 90);
      break;
    case "mixed": {
      signupDaysAgo = rng.int(400, 1100);
      const upgraded = rng.int(60, signupDaysAgo - 30);
      // Upgraded from DSL to fibre: the old package is cancelled, its username moves to the new one.
      add({ key: "dsl25", orderedDaysAgo: signupDaysAgo, fate: "cancelled", eventDaysAgo: upgraded, service: acct() });
      add({ key: "fibre1000", orderedDaysAgo: upgraded, fate: "active", service: acct() });
      if (northAmerican) add({ key: "voip", orderedDaysAgo: upgraded, fate: "active", service: phone() });
      add({ key: "hosting", orderedDaysAgo: rng.int(1, 3), fate: "ordered", service: domain() });
      break;
    }
    case "fixed":
      break;
  }

  const extra = company
    ? { first: rng.pick(FIRST_NAMES), last: rng.pick(LAST_NAMES), email: ids.rawEmail(`accounts@${asciiSlug(company)}.example`), title: "Office manager", selfservice: true, invoiceDest: true }
    : rng.chance(0.2)
      ? (() => {
          const partnerFirst = rng.pick(FIRST_NAMES.filter((f) => f !== first));
          return { first: partnerFirst, last, email: ids.email(partnerFirst, last), selfservice: rng.chance(0.5), invoiceDest: false };
        })()
      : undefined;

  return {
    scenario,
    login: null,
    agent: agentKind,
    first,
    last,
    company,
    place,
    address1: streetAddress(place, rng),
    address2: rng.chance(0.2) ? (company ? `Suite ${rng.int(100, 900)}` : `Apt ${rng.int(1, 40)}`) : undefined,
    zip: rng.pick(place.zips),
    email,
    // Most contacts can log in; some prospects and old cancelled customers never set a password.
    selfservice: scenario === "prospect" || scenario === "cancelled" ? rng.chance(0.5) : rng.chance(0.92),
    extraContact: extra,
    postalInvoice: company ? rng.chance(0.5) : rng.chance(0.12),
    daytime: formatPhone(place, rng),
    mobile: rng.chance(0.4) ? formatPhone(place, rng) : undefined,
    signupDaysAgo,
    referralIndex: index > 8 && rng.chance(0.15) ? rng.int(0, index - 1) : undefined,
    packages,
  };
}

function buildCustomerSpecs(rng: SeededRandom, pops: Map<string, number[]>): CustomerSpec[] {
  const ids = new Identifiers(rng);
  const specs = fixedCustomers(ids);
  const scenarios = rng.shuffle(SCENARIO_MIX.flatMap(([s, n]) => Array<Scenario>(n).fill(s)));
  if (specs.length + scenarios.length !== DEMO_CUSTOMER_COUNT) throw new Error("demo seed: customer mix does not add up");
  scenarios.forEach((s, i) => specs.push(generatedCustomer(s, specs.length + i, rng, ids, pops)));
  return specs;
}

/** A customer made by seedCustomers, with the plans for its packages (ordered by the history step). */
interface SeededCustomer {
  customer: Omit<DemoCustomer, "status" | "packages">;
  packages: { pkgpart: number; def: (typeof CATALOGUE)[number]; orderDate: Date; startDate: Date | null }[];
  history: HistoryCustomerPlan;
}

async function seedCustomers(tx: Tx, rng: SeededRandom, cat: Catalogue, secrets: SeedSecrets): Promise<SeededCustomer[]> {
  const { now } = secrets;
  const specs = buildCustomerSpecs(rng, cat.popsByState);
  const byKey = new Map(CATALOGUE.map((d) => [d.key, d]));
  const out: SeededCustomer[] = [];
  let partnerCustid = 1000;

  for (const spec of specs) {
    const ag = cat.agents[spec.agent];
    const location = parseInput(locationSchema, {
      address1: spec.address1,
      address2: spec.address2 ?? "",
      city: spec.place.city,
      county: spec.place.county ?? "",
      state: spec.place.state ?? "",
      zip: spec.zip,
      country: spec.place.country,
    });
    const contacts: NewContact[] = [
      {
        first: spec.first,
        last: spec.last,
        emails: [spec.email],
        ...(spec.selfservice ? { passwordHash: secrets.passwordHash } : {}),
        selfservice: spec.selfservice,
        invoiceDest: true,
      },
    ];
    if (spec.extraContact) {
      const x = spec.extraContact;
      contacts.push({
        first: x.first,
        last: x.last,
        title: x.title,
        emails: [x.email],
        ...(x.selfservice ? { passwordHash: secrets.passwordHash } : {}),
        selfservice: x.selfservice,
        invoiceDest: x.invoiceDest,
      });
    }
    const signupdate = daysAgo(now, spec.signupDaysAgo, 9);
    const { custnum } = await createCustomer(tx, {
      agentnum: ag.agentnum,
      first: spec.first,
      last: spec.last,
      company: spec.company,
      daytime: spec.daytime,
      mobile: spec.mobile,
      location,
      invoiceEmails: [spec.email, ...(spec.extraContact?.invoiceDest ? [spec.extraContact.email] : [])],
      postalInvoice: spec.postalInvoice,
      contacts,
      agentCustid: spec.agent === "partner" ? `HNP-${partnerCustid++}` : undefined,
      referralCustnum: spec.referralIndex !== undefined ? out[spec.referralIndex]?.customer.custnum : undefined,
      comments: spec.comments,
      signupdate,
    });

    const packages: SeededCustomer["packages"] = [];
    const history: HistoryCustomerPlan = { custnum, login: spec.login, scenario: spec.scenario, packages: [] };
    for (const plan of spec.packages) {
      const def = byKey.get(plan.key)!;
      const pkgpart = cat.pkgparts[plan.key];
      const orderDate = daysAgo(now, plan.orderedDaysAgo, 11);
      const startDate = plan.startInDays ? daysAgo(now, -plan.startInDays, 8) : null;
      const service = plan.service ? serviceOrder(plan.service, cat.domsvc[spec.agent], secrets) : "none";
      packages.push({ pkgpart, def, orderDate, startDate });
      history.packages.push({
        freqMonths: def.freqMonths,
        orderDate,
        // Connections went live a couple of days after the order; other packages at once.
        setupLagDays: def.service === "acct" ? 2 : 0,
        fate: plan.fate,
        eventDate: plan.eventDaysAgo !== undefined ? daysAgo(now, plan.eventDaysAgo, 15) : null,
        // Through the agent check, as a customer's order would be: the plan must be sellable by the agent.
        order: () => orderPackage(tx, { custnum, pkgpart, orderDate, startDate, service }),
      });
    }

    out.push({
      packages,
      history,
      customer: {
        custnum,
        agentnum: ag.agentnum,
        agent: ag.agent,
        first: spec.first,
        last: spec.last,
        company: spec.company ?? null,
        email: spec.email,
        selfservice: spec.selfservice,
        login: spec.login,
        scenario: spec.scenario,
        location: { city: location.city, county: location.county, state: location.state, country: location.country },
        signupdate,
      },
    });
  }
  return out;
}

/** The customer's packages as the history left them (dates set by the billing engine). */
async function loadDemoPackages(tx: Tx, s: SeededCustomer, made: { pkgnum: number; svcnum: number | null }[]): Promise<DemoPackage[]> {
  const pkgnums = made.map((m) => m.pkgnum);
  const rows = await tx.select().from(custPkg).where(inArray(custPkg.pkgnum, pkgnums));
  const svcs = await tx.select({ pkgnum: custSvc.pkgnum, svcnum: custSvc.svcnum }).from(custSvc).where(inArray(custSvc.pkgnum, pkgnums)).orderBy(asc(custSvc.svcnum));
  return s.packages.map((p, i) => {
    const pkgnum = made[i]!.pkgnum;
    const row = rows.find((r) => r.pkgnum === pkgnum)!;
    return {
      pkgnum,
      pkgpart: p.pkgpart,
      key: p.def.key,
      pkg: p.def.pkg,
      freqMonths: p.def.freqMonths,
      orderDate: p.orderDate,
      startDate: p.startDate,
      setup: row.setup,
      lastBill: row.lastBill,
      bill: row.bill,
      susp: row.susp,
      cancel: row.cancel,
      status: packageStatus({ cancel: row.cancel, susp: row.susp, setup: row.setup, freq: String(p.def.freqMonths) }),
      svcnums: svcs.filter((x) => x.pkgnum === pkgnum).map((x) => x.svcnum),
    };
  });
}

function serviceOrder(spec: ServiceSpec, domsvc: number, secrets: SeedSecrets): ServiceOrder {
  switch (spec.kind) {
    case "acct":
      return { svcdb: "svc_acct", username: spec.username, domsvc, password: "", passwordHash: secrets.passwordHash, popnum: spec.popnum ?? null };
    case "phone":
      return { svcdb: "svc_phone", countrycode: "1", phonenum: spec.phonenum, pinHash: secrets.pinHash, phoneName: spec.phoneName };
    case "domain":
      return { svcdb: "svc_domain", domain: spec.domain };
    case "staticIp":
      return { svcdb: "svc_external", id: spec.octet, title: `203.0.113.${spec.octet}` };
  }
}

function summarise(now: Date, cat: Catalogue, customers: DemoCustomer[], billing: HistoryStats): DemoSummary {
  const packageStatusCounts: Record<PackageStatus, number> = { active: 0, suspended: 0, cancelled: 0, "not yet billed": 0, "one-time charge": 0, "on hold": 0 };
  const customerStatusCounts: Record<CustomerStatus, number> = { prospect: 0, ordered: 0, active: 0, inactive: 0, suspended: 0, cancelled: 0 };
  let packages = 0;
  let services = 0;
  for (const c of customers) {
    customerStatusCounts[c.status]++;
    for (const p of c.packages) {
      packages++;
      services += p.svcnums.length;
      packageStatusCounts[p.status]++;
    }
  }
  return {
    isp: DEMO_ISP,
    now,
    agents: [cat.agents.direct, cat.agents.partner].map(({ agentnum, agent: name, typenum, signupKey }) => ({ agentnum, agent: name, typenum, signupKey })),
    svcparts: cat.svcparts,
    pkgparts: cat.pkgparts,
    domains: cat.domains,
    taxRegions: TAX_REGIONS.length,
    accessNumbers: ACCESS_NUMBERS.length,
    prepaidCards: cat.prepaidCards,
    customers,
    billing,
    counts: { customers: customers.length, packages, services, packageStatus: packageStatusCounts, customerStatus: customerStatusCounts },
  };
}

/** A short human summary for the terminal. */
export function formatDemoSummary(s: DemoSummary): string[] {
  const ps = Object.entries(s.counts.packageStatus)
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");
  const cs = Object.entries(s.counts.customerStatus)
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");
  return [
    `Seeded the demo ISP ${s.isp}:`,
    `  agents: ${s.agents.map((a) => `${a.agent} (agentnum ${a.agentnum}, signup key ${a.signupKey})`).join("; ")}`,
    `  login domains: ${s.domains.map((d) => d.domain).join(", ")}`,
    `  ${s.taxRegions} tax regions, ${s.accessNumbers} dial-up access numbers, ${Object.keys(s.pkgparts).length} package definitions, ${s.prepaidCards} prepaid cards`,
    `  ${s.counts.customers} customers (${cs})`,
    `  ${s.counts.packages} packages (${ps}), ${s.counts.services} services`,
    `  billing by the engine (a year for the demo logins, three months for the others): ${s.billing.invoices} invoices (${formatMoneyPretty(s.billing.billedCents)}), ${s.billing.payments} payments (${formatMoneyPretty(s.billing.paidCents)}), ${s.billing.credits} credits`,
  ];
}
