import type { Db } from "../../db/client";
import { createAgent, createAgentType } from "../../lib/agents/create-agent";
import { createIspDomain, createPackageDefinition, createServiceDefinition, createTaxRegions } from "../../lib/catalog/catalog-admin";
import { createCustomer, type NewCustomer } from "../../lib/customers/create-customer";
import { orderPackage, type ServiceOrder } from "../../lib/packages/order-package";
import { hashPassword } from "../../lib/auth/password";

/**
 * A small, known reference world for integration tests: two agents, a few regions with taxes,
 * service definitions, packages (monthly, yearly, one-time) and the ISP's login domain.
 * Everything is created through lib/ functions, like the demo seed.
 */
export interface World {
  typenum: number;
  agentnum: number;
  otherAgentnum: number;
  svcparts: { acct: number; phone: number; domain: number; external: number };
  domsvc: number;
  pkgparts: { dslMonthly: number; fibreYearly: number; install: number; voip: number; hosting: number; otherAgentOnly: number };
}

export const TEST_PASSWORD = "Test-pass-123";
let cachedHash: Promise<string> | undefined;
/** One hash of TEST_PASSWORD, reused so fixtures don't pay for scrypt each time. */
export function testPasswordHash(): Promise<string> {
  cachedHash ??= hashPassword(TEST_PASSWORD, { logN: 12, p: 1 });
  return cachedHash;
}

export async function createWorld(db: Db): Promise<World> {
  return db.transaction(async (tx) => {
    await createTaxRegions(tx, [
      { country: "US", state: "CA", tax: "7.25", taxname: "CA sales tax" },
      { country: "US", state: "CA", county: "Alameda", tax: "10.25", taxname: "CA sales tax" },
      { country: "US", state: "CA", county: "San Francisco", tax: "8.625", taxname: "CA sales tax", setupExempt: true },
      { country: "US", state: "WA", tax: "6.5", taxname: "WA sales tax" },
      { country: "US", state: "WA", county: "King", tax: "10.1", taxname: "WA sales tax" },
      { country: "US", state: "OR", tax: "0" },
      { country: "CA", state: "ON", tax: "13", taxname: "HST" },
      { country: "CA", state: "BC", tax: "5", taxname: "GST" },
      { country: "CA", state: "BC", tax: "7", taxname: "PST" },
      { country: "GB", tax: "20", taxname: "VAT" },
    ]);
    const acct = await createServiceDefinition(tx, "Internet login", "svc_acct");
    const phone = await createServiceDefinition(tx, "Phone number", "svc_phone");
    const domain = await createServiceDefinition(tx, "Hosted domain", "svc_domain");
    const external = await createServiceDefinition(tx, "Static IP", "svc_external");
    const domsvc = await createIspDomain(tx, domain, "isp.test");

    const dslMonthly = await createPackageDefinition(tx, { pkg: "DSL 25", freqMonths: 1, setupFeeCents: 4900, recurFeeCents: 3995, services: [{ svcpart: acct, primary: true }] });
    const fibreYearly = await createPackageDefinition(tx, { pkg: "Fibre 1G annual", freqMonths: 12, setupFeeCents: 0, recurFeeCents: 89000, services: [{ svcpart: acct, primary: true }] });
    const install = await createPackageDefinition(tx, { pkg: "Installation", freqMonths: 0, setupFeeCents: 9900, recurFeeCents: 0 });
    const voip = await createPackageDefinition(tx, { pkg: "VoIP line", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 2495, taxclass: "telecom", services: [{ svcpart: phone, primary: true }] });
    const hosting = await createPackageDefinition(tx, { pkg: "Domain hosting", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 995, services: [{ svcpart: domain, primary: true }] });

    const typenum = await createAgentType(tx, "Retail", [dslMonthly, fibreYearly, install, voip, hosting]);
    const { agentnum } = await createAgent(tx, { agent: "Test ISP", typenum, signupDefault: true, companyAddress: "1 Test Way\nTestville, CA 94000" });
    const otherType = await createAgentType(tx, "Wholesale", []);
    const { agentnum: otherAgentnum } = await createAgent(tx, { agent: "Other Reseller", typenum: otherType });
    const otherAgentOnly = await createPackageDefinition(tx, { pkg: "Reseller special", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 1000, agentnum: otherAgentnum });

    return {
      typenum,
      agentnum,
      otherAgentnum,
      svcparts: { acct, phone, domain, external },
      domsvc,
      pkgparts: { dslMonthly, fibreYearly, install, voip, hosting, otherAgentOnly },
    };
  });
}

let seq = 0;

export interface CustomerFixture {
  custnum: number;
  email: string;
  contactnum: number;
}

/** A customer in Alameda county, CA, with a self-service contact (TEST_PASSWORD). */
export async function createTestCustomer(db: Db, world: World, overrides: Partial<NewCustomer> = {}): Promise<CustomerFixture> {
  seq += 1;
  const email = `cust${seq}.${Date.now().toString(36)}@example.com`;
  const passwordHash = await testPasswordHash();
  return db.transaction(async (tx) => {
    const { custnum, contactnums } = await createCustomer(tx, {
      agentnum: world.agentnum,
      first: "Test",
      last: `Customer${seq}`,
      location: { address1: `${seq} Main St`, address2: "", city: "Oakland", county: "Alameda", state: "CA", zip: "94607", country: "US" },
      invoiceEmails: [email],
      contacts: [{ first: "Test", last: `Customer${seq}`, emails: [email], passwordHash, selfservice: true, invoiceDest: true }],
      ...overrides,
    });
    return { custnum, email, contactnum: contactnums[0]! };
  });
}

export async function orderTestPackage(db: Db, custnum: number, pkgpart: number, opts: { orderDate?: Date; quantity?: number; service?: ServiceOrder | "none" } = {}) {
  return db.transaction((tx) => orderPackage(tx, { custnum, pkgpart, skipAgentCheck: true, service: opts.service ?? "none", ...opts }));
}
