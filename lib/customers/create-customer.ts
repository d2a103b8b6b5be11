import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { agent, contact, contactEmail, custLocation, custMain, custMainInvoice } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db/pg-errors";
import type { Location } from "./location-schema";
import { assertValidRegion } from "./regions";

export interface NewContact {
  first: string;
  last: string;
  emails: string[];
  /** Clear text; hashed here. Needed for self-service login. */
  password?: string;
  /** An already-hashed password (seed, bulk import). */
  passwordHash?: string;
  selfservice?: boolean;
  invoiceDest?: boolean;
  title?: string;
}

export interface NewCustomer {
  agentnum: number;
  first: string;
  last: string;
  company?: string;
  daytime?: string;
  night?: string;
  fax?: string;
  mobile?: string;
  ss?: string;
  /** Bill-to address; `null` for customers signed up without one (new_customer_minimal). */
  location: Location | null;
  shipLocation?: Location | null;
  invoiceEmails?: string[];
  postalInvoice?: boolean;
  contacts?: NewContact[];
  referralCustnum?: number | null;
  agentCustid?: string;
  comments?: string;
  complimentary?: boolean;
  poNumber?: string;
  signupdate?: Date;
}

function clean(v: string | undefined | null): string | null {
  return v && v.trim() !== "" ? v.trim() : null;
}

async function insertLocation(tx: DbOrTx, custnum: number, loc: Location): Promise<number> {
  const [row] = await tx
    .insert(custLocation)
    .values({
      custnum,
      address1: loc.address1,
      address2: clean(loc.address2),
      city: loc.city,
      county: clean(loc.county),
      state: clean(loc.state),
      zip: clean(loc.zip),
      country: loc.country,
    })
    .returning({ locationnum: custLocation.locationnum });
  return row!.locationnum;
}

export { insertLocation };

/**
 * Creates a customer with their bill (and ship) location, invoice destinations and contacts.
 * The caller provides the transaction; every check happens before the first insert where it can
 * (agent, regions, unique e-mails), and the unique indexes catch races.
 */
export async function createCustomer(tx: DbOrTx, input: NewCustomer): Promise<{ custnum: number; contactnums: number[] }> {
  const [ag] = await tx.select({ agentnum: agent.agentnum, disabled: agent.disabled }).from(agent).where(eq(agent.agentnum, input.agentnum));
  if (!ag || ag.disabled === "Y") throw new AppError("INVALID_INPUT", `Unknown agent ${input.agentnum}`, { fieldErrors: { agentnum: ["Unknown agent"] } });
  if (input.location) await assertValidRegion(tx, input.location);
  if (input.shipLocation) await assertValidRegion(tx, input.shipLocation, "ship_");

  const [cust] = await tx
    .insert(custMain)
    .values({
      agentnum: input.agentnum,
      first: input.first,
      last: input.last,
      company: clean(input.company),
      daytime: clean(input.daytime),
      night: clean(input.night),
      fax: clean(input.fax),
      mobile: clean(input.mobile),
      ss: clean(input.ss),
      referralCustnum: input.referralCustnum ?? null,
      agentCustid: clean(input.agentCustid),
      comments: clean(input.comments),
      complimentary: input.complimentary ? "Y" : null,
      poNumber: clean(input.poNumber),
      postalInvoice: input.postalInvoice ? "Y" : null,
      signupdate: input.signupdate ?? new Date(),
    })
    .returning({ custnum: custMain.custnum });
  const custnum = cust!.custnum;

  if (input.location) {
    const billLocationnum = await insertLocation(tx, custnum, input.location);
    const shipLocationnum = input.shipLocation ? await insertLocation(tx, custnum, input.shipLocation) : billLocationnum;
    await tx.update(custMain).set({ billLocationnum, shipLocationnum }).where(eq(custMain.custnum, custnum));
  }

  const dests = [...(input.invoiceEmails ?? []), ...(input.postalInvoice ? ["POST"] : [])];
  if (dests.length) await tx.insert(custMainInvoice).values(dests.map((dest) => ({ custnum, dest })));

  const contactnums: number[] = [];
  for (const c of input.contacts ?? []) {
    contactnums.push(await insertContact(tx, custnum, c));
  }
  return { custnum, contactnums };
}

export async function insertContact(tx: DbOrTx, custnum: number, c: NewContact): Promise<number> {
  const passwordHash = c.passwordHash ?? (c.password ? await hashPassword(c.password) : null);
  const [row] = await tx
    .insert(contact)
    .values({
      custnum,
      first: c.first,
      last: c.last,
      title: clean(c.title),
      selfserviceAccess: c.selfservice ? "Y" : null,
      password: passwordHash,
      passwordEncoding: passwordHash ? "scrypt" : null,
      invoiceDest: c.invoiceDest ? "Y" : null,
    })
    .returning({ contactnum: contact.contactnum });
  const contactnum = row!.contactnum;
  if (c.emails.length) {
    try {
      await tx.insert(contactEmail).values(c.emails.map((e) => ({ contactnum, emailaddress: e.toLowerCase() })));
    } catch (e) {
      if (isUniqueViolation(e, "contact_email_emailaddress")) {
        throw new AppError("CONFLICT", "That e-mail address is already in use", { fieldErrors: { emailaddress: ["That e-mail address is already in use"] } });
      }
      throw e;
    }
  }
  return contactnum;
}
