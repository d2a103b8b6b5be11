import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { agent } from "../../../db/schema";
import { allowPackagesForAgentType, createAgent } from "../../../lib/agents/create-agent";
import { createAccessNumbers, createPackageDefinition, createPrepaidCards } from "../../../lib/catalog/catalog-admin";
import { createWorld, type World } from "../../support/fixtures";

/**
 * The reference world (tests/support/fixtures.ts) plus what signup needs: packages offered at
 * signup (an account, a dial-up account, a phone line, a hosted domain, a complimentary plan, a
 * card-only plan), access numbers, prepaid card PINs, and the agents' public signup keys.
 */
export interface SignupWorld extends World {
  signup: {
    dsl: number;
    dialup: number;
    voip: number;
    hosting: number;
    comp: number;
    cardOnly: number;
    /** Sold by the agent but not offered at signup. */
    notOffered: number;
  };
  pops: number[];
  signupKey: string;
  otherSignupKey: string;
  partnerAgentnum: number;
}

export const PINS = {
  twentyFive: "PIN-TEST-2500",
  hundred: "PIN-TEST-10000",
  race: "PIN-TEST-RACE",
  spare: "PIN-TEST-SPARE",
  partnerOnly: "PIN-TEST-PARTNER",
} as const;

export async function createSignupWorld(db: Db): Promise<SignupWorld> {
  const world = await createWorld(db);
  return db.transaction(async (tx) => {
    const acct = world.svcparts.acct;
    const dsl = await createPackageDefinition(tx, { pkg: "DSL Signup", comment: "25/5 DSL", freqMonths: 1, setupFeeCents: 4900, recurFeeCents: 3995, signupOffer: true, services: [{ svcpart: acct, primary: true }] });
    const dialup = await createPackageDefinition(tx, { pkg: "Dial-up 56k", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 995, signupOffer: true, services: [{ svcpart: acct, primary: true }] });
    const voip = await createPackageDefinition(tx, { pkg: "VoIP Signup", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 2495, taxclass: "telecom", signupOffer: true, services: [{ svcpart: world.svcparts.phone, primary: true }] });
    const hosting = await createPackageDefinition(tx, { pkg: "Hosting Signup", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 995, signupOffer: true, services: [{ svcpart: world.svcparts.domain, primary: true }] });
    const comp = await createPackageDefinition(tx, { pkg: "Staff Comp", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 5000, payby: ["COMP"], signupOffer: true, services: [{ svcpart: acct, primary: true }] });
    const cardOnly = await createPackageDefinition(tx, { pkg: "Card Only Fibre", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 6995, payby: ["CARD", "DCRD"], promoCode: "FIBREFAST", signupOffer: true, services: [{ svcpart: acct, primary: true }] });
    const notOffered = world.pkgparts.dslMonthly;
    await allowPackagesForAgentType(tx, world.typenum, [dsl, dialup, voip, hosting, comp, cardOnly]);
    const pops = await createAccessNumbers(tx, [
      { city: "Oakland", state: "CA", ac: "510", exch: "555", loc: "0140" },
      { city: "San Francisco", state: "CA", ac: "415", exch: "555", loc: "0141" },
      { city: "Berkeley", state: "CA", ac: "510", exch: "555", loc: "0142" },
      { city: "Seattle", state: "WA", ac: "206", exch: "555", loc: "0145" },
    ]);
    const { agentnum: partnerAgentnum, signupKey } = await createAgent(tx, {
      agent: "Signup Partner",
      typenum: world.typenum,
      signupKey: "signup-partner",
      embedOrigins: ["https://partner.example", "http://localhost:3187"],
      brandColor: "#0f766e",
    });
    await createPrepaidCards(tx, [
      { identifier: PINS.twentyFive, amountCents: 2500 },
      { identifier: PINS.hundred, amountCents: 10000 },
      { identifier: PINS.race, amountCents: 1000 },
      { identifier: PINS.spare, amountCents: 1000 },
      { identifier: PINS.partnerOnly, amountCents: 1000, agentnum: partnerAgentnum },
    ]);
    const [def] = await tx.select({ signupKey: agent.signupKey }).from(agent).where(eq(agent.agentnum, world.agentnum));
    const defaultKey = def?.signupKey ?? "";
    return { ...world, signup: { dsl, dialup, voip, hosting, comp, cardOnly, notOffered }, pops, signupKey: defaultKey, otherSignupKey: signupKey, partnerAgentnum };
  });
}
