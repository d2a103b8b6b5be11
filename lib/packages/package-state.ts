import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { custPkg, custSvc } from "@/db/schema";
import { AppError } from "@/lib/errors";

async function ownPackage(tx: DbOrTx, custnum: number, pkgnum: number) {
  const [pkg] = await tx
    .select()
    .from(custPkg)
    .where(and(eq(custPkg.pkgnum, pkgnum), eq(custPkg.custnum, custnum)))
    .for("update");
  if (!pkg) throw new AppError("NOT_FOUND", `unknown pkgnum ${pkgnum}`);
  return pkg;
}

/** Suspends a package (it stops billing until unsuspended). */
export async function suspendPackage(tx: DbOrTx, custnum: number, pkgnum: number, when = new Date()): Promise<void> {
  const pkg = await ownPackage(tx, custnum, pkgnum);
  if (pkg.cancel) throw new AppError("CONFLICT", "Can't suspend a cancelled package");
  if (pkg.susp) return;
  await tx.update(custPkg).set({ susp: when }).where(eq(custPkg.pkgnum, pkgnum));
}

export async function unsuspendPackage(tx: DbOrTx, custnum: number, pkgnum: number): Promise<void> {
  const pkg = await ownPackage(tx, custnum, pkgnum);
  if (pkg.cancel) throw new AppError("CONFLICT", "Can't unsuspend a cancelled package");
  await tx.update(custPkg).set({ susp: null, resume: null }).where(and(eq(custPkg.pkgnum, pkgnum), isNull(custPkg.cancel)));
}

/**
 * Cancels a package now: it is no longer billed and its services are unprovisioned (removed),
 * which frees their usernames and numbers, as Freeside does.
 */
export async function cancelPackage(tx: DbOrTx, custnum: number, pkgnum: number, when = new Date()): Promise<void> {
  const pkg = await ownPackage(tx, custnum, pkgnum);
  if (pkg.cancel) return;
  await tx.delete(custSvc).where(eq(custSvc.pkgnum, pkgnum));
  await tx.update(custPkg).set({ cancel: when, expire: null }).where(eq(custPkg.pkgnum, pkgnum));
}
