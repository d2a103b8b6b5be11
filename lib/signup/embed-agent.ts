import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { agent } from "@/db/schema";
import { cleanEmbedOrigins } from "./embed-policy";

/**
 * The origins allowed to frame an agent's embedded signup, by the agent's public signup key
 * ([] for an unknown key or a disabled agent). proxy.ts calls it for every /embed/* request, so
 * this module stays free of "server-only" (the proxy bundle is not a React server bundle); it
 * reads the database and is server code all the same.
 */
export async function embedOriginsForSignupKey(db: DbOrTx, signupKey: string | null | undefined): Promise<string[]> {
  if (!signupKey || signupKey.length > 64) return [];
  const [row] = await db
    .select({ embedOrigins: agent.embedOrigins })
    .from(agent)
    .where(and(eq(agent.signupKey, signupKey), isNull(agent.disabled)));
  return cleanEmbedOrigins(row?.embedOrigins ?? []);
}
