import "server-only";
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { custLocation, custMain, custMainInvoice } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError, notFound, type FieldErrors } from "@/lib/errors";
import { setFirstPayby } from "@/lib/payments/payby";
import { parseInput } from "@/lib/validation/parse";
import { insertLocation } from "./create-customer";
import { ADDRESS_KEYS, editInfoSchema, type EditInfo } from "./edit-info-schema";
import { locationSchema, type Location } from "./location-schema";
import { assertValidRegion } from "./regions";

type Prefix = "" | "ship_";

const CONTACT_KEYS = ["company", "daytime", "night", "fax", "mobile", "locale"] as const;

function addressGiven(v: EditInfo, prefix: Prefix): boolean {
  return ADDRESS_KEYS.some((k) => v[`${prefix}${k}`] !== undefined);
}

function addressAllEmpty(v: EditInfo, prefix: Prefix): boolean {
  return ADDRESS_KEYS.every((k) => {
    const x = v[`${prefix}${k}`];
    return x === undefined || x === "";
  });
}

async function currentLocation(tx: DbOrTx, locationnum: number | null): Promise<Location | null> {
  if (!locationnum) return null;
  const [l] = await tx.select().from(custLocation).where(eq(custLocation.locationnum, locationnum));
  if (!l) return null;
  return {
    address1: l.address1,
    address2: l.address2 ?? "",
    city: l.city ?? "",
    county: l.county ?? "",
    state: l.state ?? "",
    zip: l.zip ?? "",
    country: l.country.trim(),
  };
}

/** The current address with the given keys laid over it, checked as a whole. */
async function mergedLocation(tx: DbOrTx, v: EditInfo, prefix: Prefix, base: Location | null): Promise<Location> {
  const merged: Record<string, string> = { address1: "", address2: "", city: "", county: "", state: "", zip: "", country: "", ...(base ?? {}) };
  for (const k of ADDRESS_KEYS) {
    const x = v[`${prefix}${k}`];
    if (x !== undefined) merged[k] = x;
  }
  const parsed = locationSchema.safeParse(merged);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) (fieldErrors[`${prefix}${issue.path.join(".")}`] ??= []).push(issue.message);
    throw new AppError("INVALID_INPUT", parsed.error.issues[0]!.message, { fieldErrors });
  }
  await assertValidRegion(tx, parsed.data, prefix);
  return parsed.data;
}

function sameLocation(a: Location | null, b: Location): boolean {
  return !!a && ADDRESS_KEYS.every((k) => (a[k] ?? "") === (b[k] ?? ""));
}

/** Whether edit_info was given a payment method (a non-empty `payby`), as Freeside's edit_info accepts. */
function paybyGiven(input: unknown): boolean {
  if (!input || typeof input !== "object") return false;
  const payby = (input as Record<string, unknown>).payby;
  return payby !== undefined && payby !== null && String(payby).trim() !== "";
}

/**
 * edit_info: changes the customer's contact details, bill (and ship) address and invoice
 * destinations. A key not sent is left alone; an empty value clears an optional field. A changed
 * address becomes a new cust_location (old invoices keep pointing at the old one). With `payby`
 * (and payinfo, paydate, payname…) the customer's first stored payment method is updated, or
 * one is stored (setFirstPayby). Runs in one transaction: any invalid field means nothing is saved.
 */
export async function editCustomerInfo(
  db: Db,
  custnum: number,
  input: unknown,
  meta: { ip?: string | null; contactnum?: number | null } = {},
): Promise<{ changed: string[] }> {
  const v = parseInput(editInfoSchema, input);

  return db.transaction(async (tx) => {
    const [cust] = await tx
      .select({ billLocationnum: custMain.billLocationnum, shipLocationnum: custMain.shipLocationnum })
      .from(custMain)
      .where(eq(custMain.custnum, custnum))
      .for("update");
    if (!cust) throw notFound("Customer not found");

    const changed: string[] = [];
    const set: Partial<typeof custMain.$inferInsert> = {};
    if (v.first !== undefined) set.first = v.first;
    if (v.last !== undefined) set.last = v.last;
    for (const k of CONTACT_KEYS) {
      if (v[k] !== undefined) set[k] = v[k] === "" ? null : v[k];
    }
    changed.push(...Object.keys(set));

    // Bill address.
    const shipFollowsBill = !cust.shipLocationnum || cust.shipLocationnum === cust.billLocationnum;
    const billBefore = await currentLocation(tx, cust.billLocationnum);
    let billLocationnum = cust.billLocationnum;
    if (addressGiven(v, "")) {
      const loc = await mergedLocation(tx, v, "", billBefore);
      if (!sameLocation(billBefore, loc)) {
        billLocationnum = await insertLocation(tx, custnum, loc);
        set.billLocationnum = billLocationnum;
        if (shipFollowsBill && !addressGiven(v, "ship_")) set.shipLocationnum = billLocationnum;
        changed.push("address");
      }
    }

    // Ship address: all-empty ship_* means "same as billing" (Freeside).
    if (addressGiven(v, "ship_")) {
      if (addressAllEmpty(v, "ship_")) {
        if (!shipFollowsBill || set.billLocationnum) {
          set.shipLocationnum = billLocationnum;
          changed.push("ship_address");
        }
      } else {
        const base = shipFollowsBill ? await currentLocation(tx, billLocationnum) : await currentLocation(tx, cust.shipLocationnum);
        const loc = await mergedLocation(tx, v, "ship_", base);
        const billNow = await currentLocation(tx, billLocationnum);
        if (sameLocation(billNow, loc)) {
          set.shipLocationnum = billLocationnum;
        } else if (shipFollowsBill || !sameLocation(await currentLocation(tx, cust.shipLocationnum), loc)) {
          set.shipLocationnum = await insertLocation(tx, custnum, loc);
        }
        if (set.shipLocationnum !== undefined && set.shipLocationnum !== cust.shipLocationnum) changed.push("ship_address");
      }
    }

    // Invoice destinations.
    if (v.invoicing_list !== undefined || v.postal_invoicing !== undefined) {
      const existing = await tx.select({ dest: custMainInvoice.dest }).from(custMainInvoice).where(eq(custMainInvoice.custnum, custnum));
      const emails = v.invoicing_list ? v.invoicing_list.emails : existing.map((d) => d.dest).filter((d) => d !== "POST" && d !== "FAX");
      const postal = v.postal_invoicing ?? (v.invoicing_list ? v.invoicing_list.postal : existing.some((d) => d.dest === "POST"));
      const dests = [...emails, ...(postal ? ["POST"] : [])];
      const before = existing.map((d) => d.dest.toLowerCase()).sort().join(",");
      if (before !== dests.map((d) => d.toLowerCase()).sort().join(",")) {
        await tx.delete(custMainInvoice).where(eq(custMainInvoice.custnum, custnum));
        if (dests.length) await tx.insert(custMainInvoice).values(dests.map((dest) => ({ custnum, dest })));
        changed.push("invoicing_list");
      }
      set.postalInvoice = postal ? "Y" : null;
    }

    if (Object.keys(set).length) {
      await tx.update(custMain).set(set).where(eq(custMain.custnum, custnum));
    }
    if (changed.length) {
      await recordAudit(tx, { action: "edit_info", custnum, contactnum: meta.contactnum ?? null, ip: meta.ip ?? null, detail: { fields: changed } });
    }
    if (paybyGiven(input)) {
      await setFirstPayby(tx, { custnum, input, ip: meta.ip ?? null });
      changed.push("payby");
    }
    return { changed };
  });
}
