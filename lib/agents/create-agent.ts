import "server-only";
import { randomBytes } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { agent, agentType, typePkgs } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";

export async function createAgentType(tx: DbOrTx, atype: string, pkgparts: number[] = []): Promise<number> {
  const [row] = await tx.insert(agentType).values({ atype }).returning({ typenum: agentType.typenum });
  if (pkgparts.length) await tx.insert(typePkgs).values(pkgparts.map((pkgpart) => ({ typenum: row!.typenum, pkgpart })));
  return row!.typenum;
}

export async function allowPackagesForAgentType(tx: DbOrTx, typenum: number, pkgparts: number[]): Promise<void> {
  if (pkgparts.length) await tx.insert(typePkgs).values(pkgparts.map((pkgpart) => ({ typenum, pkgpart }))).onConflictDoNothing();
}

export interface NewAgent {
  agent: string;
  typenum: number;
  username?: string;
  password?: string;
  signupDefault?: boolean;
  embedOrigins?: string[];
  companyName?: string;
  companyAddress?: string;
  supportEmail?: string;
  supportPhone?: string;
  brandColor?: string;
  logoUrl?: string;
  /** Public key naming the agent in embed URLs; random when omitted. */
  signupKey?: string;
}

/** Creates an agent (reseller) with its signup settings. The reseller password is hashed. */
export async function createAgent(tx: DbOrTx, input: NewAgent): Promise<{ agentnum: number; signupKey: string }> {
  const signupKey = input.signupKey ?? randomBytes(12).toString("base64url");
  const [row] = await tx
    .insert(agent)
    .values({
      agent: input.agent,
      typenum: input.typenum,
      username: input.username ?? null,
      password: input.password ? await hashPassword(input.password) : null,
      signupDefault: input.signupDefault ? "Y" : null,
      signupKey,
      embedOrigins: input.embedOrigins ?? [],
      companyName: input.companyName ?? input.agent,
      companyAddress: input.companyAddress ?? null,
      supportEmail: input.supportEmail ?? null,
      supportPhone: input.supportPhone ?? null,
      brandColor: input.brandColor ?? null,
      logoUrl: input.logoUrl ?? null,
    })
    .returning({ agentnum: agent.agentnum });
  return { agentnum: row!.agentnum, signupKey };
}
