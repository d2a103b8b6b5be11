import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { custMainCounty, custPkg, custSvc, partPkg, partSvc, pkgSvc, prepayCredit, svcAcctPop, svcDomain } from "@/db/schema";
import { AppError } from "@/lib/errors";

/**
 * Staff-side catalogue set-up: service and package definitions, tax regions, the ISP's own
 * domains, access numbers, prepaid PINs. Used by the demo seed, the scale seed and tests.
 */
export async function createServiceDefinition(tx: DbOrTx, svc: string, svcdb: "svc_acct" | "svc_domain" | "svc_phone" | "svc_external"): Promise<number> {
  const [row] = await tx.insert(partSvc).values({ svc, svcdb }).returning({ svcpart: partSvc.svcpart });
  return row!.svcpart;
}

export interface NewPackageDefinition {
  pkg: string;
  comment?: string;
  description?: string;
  /** Months between charges; 0 = one-time. */
  freqMonths: number;
  setupFeeCents: number;
  recurFeeCents: number;
  taxclass?: string;
  setupTaxExempt?: boolean;
  recurTaxExempt?: boolean;
  agentnum?: number;
  payby?: string[];
  signupOffer?: boolean;
  promoCode?: string;
  disabled?: boolean;
  services?: { svcpart: number; quantity?: number; primary?: boolean }[];
}

export async function createPackageDefinition(tx: DbOrTx, d: NewPackageDefinition): Promise<number> {
  const [row] = await tx
    .insert(partPkg)
    .values({
      pkg: d.pkg,
      comment: d.comment ?? null,
      description: d.description ?? null,
      freq: String(d.freqMonths),
      setupFee: d.setupFeeCents,
      recurFee: d.recurFeeCents,
      taxclass: d.taxclass ?? null,
      setuptax: d.setupTaxExempt ? "Y" : null,
      recurtax: d.recurTaxExempt ? "Y" : null,
      agentnum: d.agentnum ?? null,
      payby: d.payby ?? null,
      signupOffer: d.signupOffer ? "Y" : null,
      promoCode: d.promoCode ?? null,
      disabled: d.disabled ? "Y" : null,
    })
    .returning({ pkgpart: partPkg.pkgpart });
  const pkgpart = row!.pkgpart;
  for (const s of d.services ?? []) {
    await tx.insert(pkgSvc).values({ pkgpart, svcpart: s.svcpart, quantity: s.quantity ?? 1, primarySvc: s.primary ? "Y" : null });
  }
  return pkgpart;
}

export interface NewTaxRegion {
  country: string;
  state?: string;
  county?: string;
  city?: string;
  taxclass?: string;
  /** Percent as a decimal string, e.g. "8.25". */
  tax?: string;
  taxname?: string;
  /** This tax does not apply to setup / recurring charges. */
  setupExempt?: boolean;
  recurExempt?: boolean;
}

export async function createTaxRegions(tx: DbOrTx, regions: NewTaxRegion[]): Promise<void> {
  if (!regions.length) return;
  await tx.insert(custMainCounty).values(
    regions.map((r) => ({
      country: r.country,
      state: r.state ?? null,
      county: r.county ?? null,
      city: r.city ?? null,
      taxclass: r.taxclass ?? null,
      tax: r.tax ?? "0",
      taxname: r.taxname ?? null,
      setuptax: r.setupExempt ? "Y" : null,
      recurtax: r.recurExempt ? "Y" : null,
    })),
  );
}

/** One of the ISP's own domains (a domain service not attached to a customer package). */
export async function createIspDomain(tx: DbOrTx, svcpart: number, domain: string): Promise<number> {
  const [cs] = await tx.insert(custSvc).values({ svcpart, pkgnum: null }).returning({ svcnum: custSvc.svcnum });
  await tx.insert(svcDomain).values({ svcnum: cs!.svcnum, domain: domain.toLowerCase() });
  return cs!.svcnum;
}

export async function createAccessNumbers(tx: DbOrTx, pops: { city: string; state: string; ac: string; exch: string; loc?: string }[]): Promise<number[]> {
  if (!pops.length) return [];
  const rows = await tx
    .insert(svcAcctPop)
    .values(pops.map((p) => ({ city: p.city, state: p.state, ac: p.ac, exch: p.exch, loc: p.loc ?? null })))
    .returning({ popnum: svcAcctPop.popnum });
  return rows.map((r) => r.popnum);
}

export async function createPrepaidCards(tx: DbOrTx, cards: { identifier: string; amountCents: number; agentnum?: number }[]): Promise<void> {
  if (!cards.length) return;
  await tx.insert(prepayCredit).values(cards.map((c) => ({ identifier: c.identifier, amount: c.amountCents, agentnum: c.agentnum ?? null })));
}

/**
 * Records that a customer's package was set up (installed and first billed) at `setup`, with its
 * last and next bill dates. The billing engine sets these itself when it bills; staff imports and
 * the demo seed use this for packages whose earlier history lives outside Portico.
 * Scoped by custnum: another customer's pkgnum is NOT_FOUND; a cancelled package is a CONFLICT.
 * `bill`: undefined leaves the next bill date as it is.
 */
export async function markPackageSetUp(
  tx: DbOrTx,
  custnum: number,
  pkgnum: number,
  dates: { setup: Date; lastBill?: Date | null; bill?: Date | null },
): Promise<void> {
  const [pkg] = await tx
    .select({ pkgnum: custPkg.pkgnum, cancel: custPkg.cancel })
    .from(custPkg)
    .where(and(eq(custPkg.pkgnum, pkgnum), eq(custPkg.custnum, custnum)))
    .for("update");
  if (!pkg) throw new AppError("NOT_FOUND", `unknown pkgnum ${pkgnum}`);
  if (pkg.cancel) throw new AppError("CONFLICT", "Can't set up a cancelled package");
  await tx
    .update(custPkg)
    .set({
      setup: dates.setup,
      lastBill: dates.lastBill ?? null,
      ...(dates.bill !== undefined ? { bill: dates.bill } : {}),
    })
    .where(and(eq(custPkg.pkgnum, pkgnum), eq(custPkg.custnum, custnum), isNull(custPkg.cancel)));
}
