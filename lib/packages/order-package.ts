import "server-only";
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { agent, custMain, custPkg, custSvc, partPkg, partSvc, pkgSvc, svcAcct, svcAcctPop, svcDomain, svcExternal, svcPhone, typePkgs } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db/pg-errors";
import { domainProblem, passwordProblem, phoneNumberProblem, pinProblem, usernameProblem } from "./service-rules";

export type ServiceOrder =
  | { svcdb: "svc_acct"; svcpart?: number; username: string; domsvc?: number; password: string; passwordHash?: string; secPhrase?: string; popnum?: number | null }
  | { svcdb: "svc_phone"; svcpart?: number; countrycode?: string; phonenum: string; pin?: string; pinHash?: string; phoneName?: string }
  | { svcdb: "svc_domain"; svcpart?: number; domain: string }
  | { svcdb: "svc_external"; svcpart?: number; id?: number; title?: string };

export interface PackageOrder {
  custnum: number;
  pkgpart: number;
  quantity?: number;
  locationnum?: number | null;
  /** When the package was ordered; it is first due then (or at startDate). */
  orderDate?: Date;
  startDate?: Date | null;
  /** The first service, or "none" for a package without one. */
  service?: ServiceOrder | "none";
  /** Staff paths (seed, back-office API) may sell any enabled package; self-service may not. */
  skipAgentCheck?: boolean;
}

function invalid(field: string, message: string): AppError {
  return new AppError("INVALID_INPUT", message, { fieldErrors: { [field]: [message] } });
}

/** Package definitions the customer's agent may sell (type_pkgs or agent-specific), not disabled. */
export function sellableByAgentSql(agentnum: number, typenum: number) {
  return and(
    isNull(partPkg.disabled),
    or(
      eq(partPkg.agentnum, agentnum),
      sql`EXISTS (SELECT 1 FROM ${typePkgs} WHERE ${typePkgs.typenum} = ${typenum} AND ${typePkgs.pkgpart} = ${partPkg.pkgpart})`,
    ),
  );
}

/** The ISP's default login domain: the first svc_domain not attached to any customer package. */
export async function defaultDomsvc(tx: DbOrTx): Promise<number | null> {
  const [row] = await tx
    .select({ svcnum: svcDomain.svcnum })
    .from(svcDomain)
    .innerJoin(custSvc, eq(custSvc.svcnum, svcDomain.svcnum))
    .where(isNull(custSvc.pkgnum))
    .orderBy(asc(svcDomain.svcnum))
    .limit(1);
  return row?.svcnum ?? null;
}

/**
 * Orders a package for a customer and provisions its first service, inside the caller's
 * transaction. The package is due for billing from its order (or start) date.
 */
export async function orderPackage(tx: DbOrTx, order: PackageOrder): Promise<{ pkgnum: number; svcnum: number | null }> {
  const quantity = order.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 999) throw invalid("quantity", "Quantity must be a whole number from 1 to 999");

  const [cust] = await tx
    .select({ custnum: custMain.custnum, agentnum: custMain.agentnum, typenum: agent.typenum, agentName: agent.agent, billLocationnum: custMain.billLocationnum })
    .from(custMain)
    .innerJoin(agent, eq(agent.agentnum, custMain.agentnum))
    .where(eq(custMain.custnum, order.custnum));
  if (!cust) throw new AppError("NOT_FOUND", "Unknown customer");

  const [pkg] = await tx.select().from(partPkg).where(eq(partPkg.pkgpart, order.pkgpart));
  if (!pkg || pkg.disabled === "Y") throw invalid("pkgpart", `Unknown package ${order.pkgpart}`);
  if (!order.skipAgentCheck) {
    const [ok] = await tx
      .select({ pkgpart: partPkg.pkgpart })
      .from(partPkg)
      .where(and(eq(partPkg.pkgpart, pkg.pkgpart), sellableByAgentSql(cust.agentnum, cust.typenum)));
    if (!ok) throw invalid("pkgpart", `agent ${cust.agentnum}:${cust.agentName} can't purchase pkgpart ${pkg.pkgpart}`);
  }

  const orderDate = order.orderDate ?? new Date();
  const [row] = await tx
    .insert(custPkg)
    .values({
      custnum: cust.custnum,
      pkgpart: pkg.pkgpart,
      locationnum: order.locationnum ?? cust.billLocationnum,
      orderDate,
      startDate: order.startDate ?? null,
      bill: order.startDate ?? orderDate,
      quantity,
    })
    .returning({ pkgnum: custPkg.pkgnum });
  const pkgnum = row!.pkgnum;

  let svcnum: number | null = null;
  if (order.service && order.service !== "none") {
    svcnum = await provisionService(tx, { pkgnum, pkgpart: pkg.pkgpart, custnum: cust.custnum, service: order.service });
  }
  return { pkgnum, svcnum };
}

/** Adds a service to a package, checking the package includes it and the identifiers are free. */
export async function provisionService(tx: DbOrTx, args: { pkgnum: number; pkgpart: number; custnum: number; service: ServiceOrder }): Promise<number> {
  const { service } = args;
  const included = await tx
    .select({ svcpart: pkgSvc.svcpart, quantity: pkgSvc.quantity, primary: pkgSvc.primarySvc })
    .from(pkgSvc)
    .innerJoin(partSvc, eq(partSvc.svcpart, pkgSvc.svcpart))
    .where(and(eq(pkgSvc.pkgpart, args.pkgpart), eq(partSvc.svcdb, service.svcdb), isNull(partSvc.disabled)))
    .orderBy(sql`${pkgSvc.primarySvc} IS NULL`, asc(pkgSvc.svcpart));
  const chosen = service.svcpart ? included.find((i) => i.svcpart === service.svcpart) : included[0];
  if (!chosen) throw invalid("svcpart", service.svcpart ? `Unknown svcpart ${service.svcpart}` : `This package does not include a ${serviceNoun(service.svcdb)}`);
  const [{ used } = { used: 0 }] = await tx
    .select({ used: sql<number>`count(*)::int` })
    .from(custSvc)
    .where(and(eq(custSvc.pkgnum, args.pkgnum), eq(custSvc.svcpart, chosen.svcpart)));
  if (used >= chosen.quantity) throw invalid("svcpart", `This package already has its ${serviceNoun(service.svcdb)}`);

  // Validate before inserting anything.
  let insertSvc: (svcnum: number) => Promise<void>;
  switch (service.svcdb) {
    case "svc_acct": {
      const username = service.username.trim().toLowerCase();
      const problem = usernameProblem(username);
      if (problem) throw invalid("username", problem);
      if (!service.passwordHash) {
        const pw = passwordProblem(service.password, { username });
        if (pw) throw invalid("_password", pw);
      }
      const domsvc = service.domsvc ?? (await defaultDomsvc(tx));
      if (!domsvc) throw invalid("domsvc", "No login domain is configured");
      const [dom] = await tx
        .select({ svcnum: svcDomain.svcnum, pkgnum: custSvc.pkgnum, custnum: custPkg.custnum })
        .from(svcDomain)
        .innerJoin(custSvc, eq(custSvc.svcnum, svcDomain.svcnum))
        .leftJoin(custPkg, eq(custPkg.pkgnum, custSvc.pkgnum))
        .where(eq(svcDomain.svcnum, domsvc));
      if (!dom || (dom.pkgnum !== null && dom.custnum !== args.custnum)) throw invalid("domsvc", "Unknown domain");
      if (service.popnum != null) {
        const [pop] = await tx.select({ popnum: svcAcctPop.popnum }).from(svcAcctPop).where(eq(svcAcctPop.popnum, service.popnum));
        if (!pop) throw invalid("popnum", "Unknown access number");
      }
      const [taken] = await tx
        .select({ svcnum: svcAcct.svcnum })
        .from(svcAcct)
        .where(and(sql`lower(${svcAcct.username}) = ${username}`, eq(svcAcct.domsvc, domsvc)));
      if (taken) throw new AppError("CONFLICT", "Username in use", { fieldErrors: { username: ["That username is already taken"] } });
      const passwordHash = service.passwordHash ?? (await hashPassword(service.password));
      insertSvc = async (svcnum) => {
        await tx.insert(svcAcct).values({ svcnum, username, domsvc, password: passwordHash, passwordEncoding: "scrypt", secPhrase: service.secPhrase || null, popnum: service.popnum ?? null });
      };
      break;
    }
    case "svc_phone": {
      const countrycode = (service.countrycode ?? "1").replace(/[^0-9]/g, "") || "1";
      const phonenum = service.phonenum.replace(/[^0-9]/g, "");
      const problem = phoneNumberProblem(countrycode, phonenum);
      if (problem) throw invalid("phonenum", problem);
      if (!service.pinHash && service.pin !== undefined && service.pin !== "") {
        const pp = pinProblem(service.pin);
        if (pp) throw invalid("pin", pp);
      }
      const [taken] = await tx
        .select({ svcnum: svcPhone.svcnum })
        .from(svcPhone)
        .where(and(eq(svcPhone.countrycode, countrycode), eq(svcPhone.phonenum, phonenum)));
      if (taken) throw new AppError("CONFLICT", "Phone number in use", { fieldErrors: { phonenum: ["That phone number is already in use"] } });
      const pinHash = service.pinHash ?? (service.pin ? await hashPassword(service.pin) : null);
      insertSvc = async (svcnum) => {
        await tx.insert(svcPhone).values({ svcnum, countrycode, phonenum, pin: pinHash, phoneName: service.phoneName || null });
      };
      break;
    }
    case "svc_domain": {
      const domain = service.domain.trim().toLowerCase();
      const problem = domainProblem(domain);
      if (problem) throw invalid("domain", problem);
      const [taken] = await tx.select({ svcnum: svcDomain.svcnum }).from(svcDomain).where(sql`lower(${svcDomain.domain}) = ${domain}`);
      if (taken) throw new AppError("CONFLICT", "Domain in use", { fieldErrors: { domain: ["That domain is already hosted here"] } });
      insertSvc = async (svcnum) => {
        await tx.insert(svcDomain).values({ svcnum, domain });
      };
      break;
    }
    case "svc_external": {
      insertSvc = async (svcnum) => {
        await tx.insert(svcExternal).values({ svcnum, id: service.id ?? null, title: service.title?.slice(0, 255) || null });
      };
      break;
    }
  }

  const [cs] = await tx.insert(custSvc).values({ pkgnum: args.pkgnum, svcpart: chosen.svcpart }).returning({ svcnum: custSvc.svcnum });
  try {
    await insertSvc(cs!.svcnum);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", `That ${serviceNoun(service.svcdb)} is already taken`);
    throw e;
  }
  return cs!.svcnum;
}

function serviceNoun(svcdb: string): string {
  switch (svcdb) {
    case "svc_acct":
      return "login account";
    case "svc_phone":
      return "phone number";
    case "svc_domain":
      return "domain";
    default:
      return "service";
  }
}
