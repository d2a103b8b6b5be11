import "server-only";
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { agent, custLocation, custMain } from "@/db/schema";
import { createCustomer } from "@/lib/customers/create-customer";
import { getCustomerInfo, type LocationView } from "@/lib/customers/customer-info";
import { editCustomerInfo } from "@/lib/customers/edit-info";
import { locationSchema, type Location } from "@/lib/customers/location-schema";
import { isUniqueViolation } from "@/lib/db/pg-errors";
import { AppError, type FieldErrors } from "@/lib/errors";
import { isSignupPending } from "@/lib/signup/pending-signup";
import { formatCents } from "@/lib/money/cents";
import { parseInput } from "@/lib/validation/parse";
import {
  CUSTOMER_PAYBY_ACCEPTED,
  PAYMENT_DETAIL_KEYS,
  newCustomerSchema,
  updateCustomerAdminSchema,
  type NewCustomerInput,
} from "./backend-schema";
import { lockCustomer, UNKNOWN_CUSTNUM } from "./insert-money";

/**
 * The back-office API's customers (FS::API new_customer, update_customer, customer_info,
 * location_info), over lib/customers' functions. Card and bank details are not taken here:
 * payment methods go through the card vault (lib/payments); payby BILL (with a PO number as
 * payinfo) and COMP are accepted.
 */

const present = (v: unknown) => v !== undefined && v !== null && !(typeof v === "string" && v.trim() === "");

function checkPayby(input: { payby?: string } & Partial<Record<(typeof PAYMENT_DETAIL_KEYS)[number], unknown>>): { complimentary?: boolean; poNumber?: string } {
  const payby = input.payby ?? "";
  if (payby !== "" && !CUSTOMER_PAYBY_ACCEPTED.includes(payby)) {
    throw new AppError("INVALID_INPUT", `payby ${payby.slice(0, 8)} is not accepted here: card and bank details are added through the card vault, not the back-office API`, {
      fieldErrors: { payby: ["Not accepted by this API"] },
    });
  }
  const details = PAYMENT_DETAIL_KEYS.filter((k) => present(input[k]) && !(k === "payinfo" && payby === "BILL"));
  if (details.length) {
    throw new AppError("INVALID_INPUT", `${details.join(", ")} not accepted: card and bank details are added through the card vault, not the back-office API`, {
      fieldErrors: Object.fromEntries(details.map((k) => [k, ["Not accepted by this API"]])),
    });
  }
  if (payby === "COMP") return { complimentary: true };
  if (payby === "BILL") return { complimentary: false, poNumber: present(input.payinfo) ? String(input.payinfo).trim().slice(0, 80) : undefined };
  return {};
}

const ADDRESS = ["address1", "address2", "city", "county", "state", "zip", "country"] as const;

function parseLocation(raw: Record<string, unknown>, prefix: "" | "ship_"): Location {
  const values = Object.fromEntries(ADDRESS.map((k) => [k, raw[`${prefix}${k}`]]));
  const parsed = locationSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) (fieldErrors[`${prefix}${issue.path.join(".")}`] ??= []).push(issue.message);
    throw new AppError("INVALID_INPUT", `${prefix}${String(parsed.error.issues[0]!.path[0] ?? "address")}: ${parsed.error.issues[0]!.message}`, { fieldErrors });
  }
  return parsed.data;
}

async function defaultAgentnum(tx: DbOrTx): Promise<number> {
  const [a] = await tx.select({ agentnum: agent.agentnum }).from(agent).where(eq(agent.signupDefault, "Y"));
  if (!a) throw new AppError("INVALID_INPUT", "agentnum is required", { fieldErrors: { agentnum: ["agentnum is required"] } });
  return a.agentnum;
}

async function assertCustomerExists(tx: DbOrTx, custnum: number, field: string): Promise<void> {
  const [c] = await tx.select({ custnum: custMain.custnum }).from(custMain).where(eq(custMain.custnum, custnum));
  if (!c || (await isSignupPending(tx, custnum))) throw new AppError("INVALID_INPUT", `Unknown ${field} ${custnum}`, { fieldErrors: { [field]: ["Unknown customer"] } });
}

/** new_customer: the customer, their bill (and ship) location and invoice destinations, in one transaction. */
export async function newCustomer(db: Db, raw: unknown): Promise<{ custnum: number }> {
  const input: NewCustomerInput = parseInput(newCustomerSchema, raw);
  const rawObj = (raw ?? {}) as Record<string, unknown>;
  const pay = checkPayby(input);
  const location = parseLocation({ ...rawObj, country: input.country }, "");
  const shipGiven = ADDRESS.some((k) => k !== "country" && present(rawObj[`ship_${k}`]));
  const shipLocation = shipGiven ? parseLocation({ ...rawObj, ship_country: present(rawObj.ship_country) ? rawObj.ship_country : location.country }, "ship_") : null;
  const dests = input.invoicing_list ?? { emails: [], postal: false };

  try {
    return await db.transaction(async (tx) => {
      const agentnum = input.agentnum ?? (await defaultAgentnum(tx));
      if (input.referral_custnum) await assertCustomerExists(tx, input.referral_custnum, "referral_custnum");
      const { custnum } = await createCustomer(tx, {
        agentnum,
        first: input.first,
        last: input.last,
        company: input.company,
        ss: input.ss,
        daytime: input.daytime,
        night: input.night,
        fax: input.fax,
        mobile: input.mobile,
        location,
        shipLocation,
        invoiceEmails: dests.emails,
        postalInvoice: input.postal_invoicing ?? dests.postal,
        referralCustnum: input.referral_custnum ?? null,
        agentCustid: input.agent_custid,
        comments: input.comments,
        complimentary: pay.complimentary,
        poNumber: pay.poNumber,
      });
      return { custnum };
    });
  } catch (e) {
    if (isUniqueViolation(e, "cust_main_agent_custid")) {
      throw new AppError("CONFLICT", "agent_custid is already used by another customer of this agent", { fieldErrors: { agent_custid: ["Already in use"] } });
    }
    throw e;
  }
}

/**
 * update_customer: a key not passed is left alone, an empty value clears it (a required field
 * cannot be cleared). Contact, address and invoice keys go through edit_info's function; the
 * back-office keys (agentnum, referral_custnum, agent_custid, comments, payby BILL/COMP) are
 * handled here. All in one transaction: any invalid key means nothing changes.
 */
export async function updateCustomer(db: Db, raw: unknown): Promise<{ custnum: number }> {
  const admin = parseInput(updateCustomerAdminSchema, raw);
  const rawObj = { ...((raw ?? {}) as Record<string, unknown>) };
  const pay = checkPayby(admin);
  for (const k of ["secret", "custnum", "agentnum", "referral_custnum", "agent_custid", "comments", "payby", ...PAYMENT_DETAIL_KEYS, "session_id"]) delete rawObj[k];

  try {
    return await db.transaction(async (tx) => {
      await lockCustomer(tx, admin.custnum);
      const set: Partial<typeof custMain.$inferInsert> = {};
      if (admin.agentnum === null) throw new AppError("INVALID_INPUT", "agentnum can't be empty", { fieldErrors: { agentnum: ["agentnum can't be empty"] } });
      if (admin.agentnum !== undefined) {
        const [a] = await tx.select({ agentnum: agent.agentnum, disabled: agent.disabled }).from(agent).where(eq(agent.agentnum, admin.agentnum));
        if (!a || a.disabled === "Y") throw new AppError("INVALID_INPUT", `Unknown agent ${admin.agentnum}`, { fieldErrors: { agentnum: ["Unknown agent"] } });
        set.agentnum = admin.agentnum;
      }
      if (admin.referral_custnum !== undefined) {
        if (admin.referral_custnum === admin.custnum) throw new AppError("INVALID_INPUT", "A customer can't refer themselves", { fieldErrors: { referral_custnum: ["Can't be the customer"] } });
        if (admin.referral_custnum !== null) await assertCustomerExists(tx, admin.referral_custnum, "referral_custnum");
        set.referralCustnum = admin.referral_custnum;
      }
      if (admin.agent_custid !== undefined) set.agentCustid = admin.agent_custid || null;
      if (admin.comments !== undefined) set.comments = admin.comments || null;
      if (pay.complimentary !== undefined) set.complimentary = pay.complimentary ? "Y" : null;
      if (pay.poNumber !== undefined) set.poNumber = pay.poNumber;
      if (Object.keys(set).length) await tx.update(custMain).set(set).where(eq(custMain.custnum, admin.custnum));

      // edit_info's function opens its own transaction: on a transaction handle that is a
      // savepoint, so its changes commit or roll back with ours.
      await editCustomerInfo(tx as unknown as Db, admin.custnum, rawObj);
      return { custnum: admin.custnum };
    });
  } catch (e) {
    if (isUniqueViolation(e, "cust_main_agent_custid")) {
      throw new AppError("CONFLICT", "agent_custid is already used by another customer of this agent", { fieldErrors: { agent_custid: ["Already in use"] } });
    }
    throw e;
  }
}

function addressKeys(prefix: "" | "ship_", l: LocationView | null): Record<string, string> {
  return Object.fromEntries(ADDRESS.map((k) => [`${prefix}${k}`, l ? l[k] : ""]));
}

/** customer_info (FS::API, cust_main->API_getinfo): the keys Freeside's back office returns. */
export async function apiCustomerInfo(db: DbOrTx, custnum: number): Promise<Record<string, unknown>> {
  const [extra] = await db
    .select({ referralCustnum: custMain.referralCustnum, comments: custMain.comments, agentCustid: custMain.agentCustid, poNumber: custMain.poNumber, complimentary: custMain.complimentary })
    .from(custMain)
    .where(eq(custMain.custnum, custnum));
  if (!extra || (await isSignupPending(db, custnum))) throw new AppError("NOT_FOUND", UNKNOWN_CUSTNUM);
  const info = await getCustomerInfo(db, custnum);
  return {
    custnum: info.custnum,
    display_custnum: info.custnum,
    name: `${info.first} ${info.last}`,
    balance: formatCents(info.balanceCents),
    status: info.status,
    statuscolor: info.statusColor,
    first: info.first,
    last: info.last,
    company: info.company,
    daytime: info.daytime,
    night: info.night,
    fax: info.fax,
    mobile: info.mobile,
    agentnum: info.agentnum,
    salesnum: "",
    refnum: "",
    classnum: "",
    usernum: "",
    referral_custnum: extra.referralCustnum ?? "",
    comments: extra.comments ?? "",
    agent_custid: extra.agentCustid ?? "",
    ...addressKeys("", info.billLocation),
    ...addressKeys("ship_", info.shipLocation ?? info.billLocation),
    invoicing_list: info.invoiceEmails.join(", "),
    postal_invoicing: info.postalInvoice,
  };
}

/** location_info (FS::API): every cust_location row of the customer. */
export async function apiLocationInfo(db: DbOrTx, custnum: number): Promise<{ locations: Record<string, unknown>[] }> {
  const [c] = await db.select({ custnum: custMain.custnum }).from(custMain).where(eq(custMain.custnum, custnum));
  if (!c || (await isSignupPending(db, custnum))) throw new AppError("NOT_FOUND", UNKNOWN_CUSTNUM);
  const rows = await db.select().from(custLocation).where(eq(custLocation.custnum, custnum)).orderBy(custLocation.locationnum);
  const s = (v: string | null) => (v ?? "").trim();
  return {
    locations: rows.map((l) => ({
      locationnum: l.locationnum,
      custnum: l.custnum ?? "",
      locationname: s(l.locationname),
      address1: s(l.address1),
      address2: s(l.address2),
      city: s(l.city),
      county: s(l.county),
      state: s(l.state),
      zip: s(l.zip),
      country: s(l.country),
      latitude: l.latitude ?? "",
      longitude: l.longitude ?? "",
      district: s(l.district),
      disabled: s(l.disabled),
    })),
  };
}
