import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { custSvc, svcAcct, svcDomain } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { usernameProblem } from "@/lib/packages/service-rules";
import { defaultDomsvc } from "@/lib/packages/order-package";

/**
 * check_username: is a login name free in a domain (the ISP's default login domain unless one is
 * named)? The signup form asks it live; the reseller API has it too. A name the rules refuse
 * (lib/packages/service-rules, the same rules the form applies) is not available, with the reason.
 * Only the ISP's own domains (not a customer's hosted domain) can be asked about.
 */
export interface UsernameCheck {
  available: boolean;
  /** Why not, when the name itself breaks a rule or is taken. */
  problem: string | null;
  domsvc: number;
  domain: string;
}

export const UNKNOWN_DOMAIN = "Unknown domain";

async function ispDomain(db: DbOrTx, sel: { domain?: string; domsvc?: number }): Promise<{ domsvc: number; domain: string }> {
  let where;
  if (sel.domsvc) where = eq(svcDomain.svcnum, sel.domsvc);
  else if (sel.domain) where = sql`lower(${svcDomain.domain}) = ${sel.domain.trim().toLowerCase()}`;
  else {
    const d = await defaultDomsvc(db);
    if (!d) throw new AppError("NOT_FOUND", UNKNOWN_DOMAIN);
    where = eq(svcDomain.svcnum, d);
  }
  const [row] = await db
    .select({ domsvc: svcDomain.svcnum, domain: svcDomain.domain, pkgnum: custSvc.pkgnum })
    .from(svcDomain)
    .innerJoin(custSvc, eq(custSvc.svcnum, svcDomain.svcnum))
    .where(where);
  if (!row || row.pkgnum !== null) throw new AppError("NOT_FOUND", UNKNOWN_DOMAIN);
  return { domsvc: row.domsvc, domain: row.domain };
}

export async function checkUsername(db: DbOrTx, input: { username?: string; domain?: string; domsvc?: number }): Promise<UsernameCheck> {
  const dom = await ispDomain(db, input);
  const username = (input.username ?? "").trim().toLowerCase();
  const problem = usernameProblem(username);
  if (problem) return { available: false, problem, ...dom };
  const [taken] = await db
    .select({ svcnum: svcAcct.svcnum })
    .from(svcAcct)
    .where(and(sql`lower(${svcAcct.username}) = ${username}`, eq(svcAcct.domsvc, dom.domsvc)))
    .limit(1);
  return taken ? { available: false, problem: "That username is already taken", ...dom } : { available: true, problem: null, ...dom };
}
