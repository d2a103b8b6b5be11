import "server-only";
import type { DbOrTx } from "@/db/client";
import type { AccessNumber } from "@/components/access-number-select";
import { listRegions, type Region } from "@/lib/customers/regions";
import { formatMoneyPretty } from "@/lib/money/cents";
import { quoteFirstInvoice } from "./quote";
import {
  COUNTRY_DEFAULT,
  defaultSignupDomain,
  listAccessNumbers,
  listSignupPackages,
  resolveSignupAgent,
  STATE_DEFAULT,
  type SignupAgent,
} from "./signup-info";
import type { SignupPayby, SignupService } from "./signup-schema";

/**
 * What the /signup and /embed/signup pages render: plain data (DTOs) for the client form — the
 * agent's name and branding (never its password, key or origins), the packages with their prices,
 * the regions, the access numbers and the login domain.
 */
export interface SignupPagePackage {
  pkgpart: number;
  pkg: string;
  comment: string;
  description: string;
  freq: string;
  freqPretty: string;
  setupCents: number;
  recurCents: number;
  setupPretty: string;
  recurPretty: string;
  payby: SignupPayby[];
  svcdb: SignupService;
  accessNumberRequired: boolean;
}

export interface SignupBranding {
  agentnum: number;
  companyName: string;
  logoUrl: string | null;
  brandColor: string | null;
  supportEmail: string | null;
  supportPhone: string | null;
}

export interface SignupPageData {
  branding: SignupBranding;
  packages: SignupPagePackage[];
  pops: AccessNumber[];
  regions: Region[];
  loginDomain: string;
  countryDefault: string;
  stateDefault: string;
}

export function brandingOf(ag: SignupAgent): SignupBranding {
  return {
    agentnum: ag.agentnum,
    companyName: ag.companyName,
    logoUrl: ag.logoUrl,
    brandColor: ag.brandColor,
    supportEmail: ag.supportEmail,
    supportPhone: ag.supportPhone,
  };
}

export async function loadSignupPage(db: DbOrTx, ag: SignupAgent): Promise<SignupPageData> {
  const [packages, pops, regions, domain] = await Promise.all([listSignupPackages(db, ag), listAccessNumbers(db), listRegions(db), defaultSignupDomain(db)]);
  return {
    branding: brandingOf(ag),
    packages: packages.map((p) => ({
      pkgpart: p.pkgpart,
      pkg: p.pkg,
      comment: p.comment,
      description: p.description,
      freq: p.freq,
      freqPretty: p.freqPretty,
      setupCents: p.setupCents,
      recurCents: p.recurCents,
      setupPretty: formatMoneyPretty(p.setupCents),
      recurPretty: formatMoneyPretty(p.recurCents),
      payby: p.payby,
      svcdb: p.svcdb,
      accessNumberRequired: p.accessNumberRequired,
    })),
    pops,
    regions,
    loginDomain: domain?.domain ?? "",
    countryDefault: COUNTRY_DEFAULT,
    stateDefault: STATE_DEFAULT,
  };
}

/** The first invoice of each signup package at an address (what the form shows before submitting). */
export interface SignupQuoteView {
  pkgpart: number;
  setupPretty: string;
  recurPretty: string;
  taxes: { name: string; pretty: string }[];
  taxPretty: string;
  totalPretty: string;
  totalCents: number;
}

export async function quoteSignupPackages(
  db: DbOrTx,
  agentnum: number,
  loc: { country: string; state?: string; county?: string; city?: string },
): Promise<SignupQuoteView[]> {
  const ag = await resolveSignupAgent(db, { agentnum });
  const out: SignupQuoteView[] = [];
  for (const p of await listSignupPackages(db, ag)) {
    const q = await quoteFirstInvoice(db, p, loc);
    out.push({
      pkgpart: p.pkgpart,
      setupPretty: formatMoneyPretty(q.setupCents),
      recurPretty: formatMoneyPretty(q.recurCents),
      taxes: q.taxes.map((t) => ({ name: t.name, pretty: formatMoneyPretty(t.cents) })),
      taxPretty: formatMoneyPretty(q.taxCents),
      totalPretty: formatMoneyPretty(q.totalCents),
      totalCents: q.totalCents,
    });
  }
  return out;
}
