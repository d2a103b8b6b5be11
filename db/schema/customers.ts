import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  numeric,
  pgTable,
  serial,
  text,
  uniqueIndex,
  varchar,
  char,
} from "drizzle-orm/pg-core";
import { cents, flag, timestamptz } from "./columns";

/** Reseller classes; type_pkgs lists the package definitions each class may sell. */
export const agentType = pgTable("agent_type", {
  typenum: serial("typenum").primaryKey(),
  atype: varchar("atype", { length: 80 }).notNull(),
  disabled: flag("disabled"),
});

/**
 * Agents (resellers). Freeside's columns plus Portico's signup settings:
 * the public signup key used by the embed, the origins allowed to frame it, and branding.
 * `_password` is a scrypt hash (Freeside compares plaintext; Portico does not).
 */
export const agent = pgTable(
  "agent",
  {
    agentnum: serial("agentnum").primaryKey(),
    agent: varchar("agent", { length: 80 }).notNull(),
    typenum: integer("typenum")
      .notNull()
      .references(() => agentType.typenum),
    disabled: flag("disabled"),
    username: varchar("username", { length: 80 }),
    password: varchar("_password", { length: 512 }),
    agentCustnum: integer("agent_custnum"),
    invoiceTemplate: varchar("invoice_template", { length: 80 }),
    // Portico: signup and branding
    signupDefault: flag("signup_default"),
    signupKey: varchar("signup_key", { length: 64 }),
    embedOrigins: text("embed_origins").array().notNull().default(sql`'{}'::text[]`),
    companyName: varchar("company_name", { length: 120 }),
    companyAddress: text("company_address"),
    supportEmail: varchar("support_email", { length: 120 }),
    supportPhone: varchar("support_phone", { length: 40 }),
    brandColor: varchar("brand_color", { length: 7 }),
    logoUrl: varchar("logo_url", { length: 300 }),
  },
  (t) => [
    uniqueIndex("agent_username_key").on(sql`lower(${t.username})`),
    uniqueIndex("agent_signup_key_key").on(t.signupKey),
    uniqueIndex("agent_one_signup_default").on(t.signupDefault).where(sql`${t.signupDefault} = 'Y'`),
  ],
);

export const typePkgs = pgTable(
  "type_pkgs",
  {
    typepkgnum: serial("typepkgnum").primaryKey(),
    typenum: integer("typenum")
      .notNull()
      .references(() => agentType.typenum),
    pkgpart: integer("pkgpart").notNull(),
  },
  (t) => [uniqueIndex("type_pkgs_typenum_pkgpart").on(t.typenum, t.pkgpart), index("type_pkgs_pkgpart").on(t.pkgpart)],
);

/** Regions and their tax rates. `tax` is a percentage (8.25 = 8.25 %), exact. */
export const custMainCounty = pgTable(
  "cust_main_county",
  {
    taxnum: serial("taxnum").primaryKey(),
    district: varchar("district", { length: 20 }),
    city: varchar("city", { length: 80 }),
    county: varchar("county", { length: 80 }),
    state: varchar("state", { length: 80 }),
    country: char("country", { length: 2 }).notNull(),
    taxclass: varchar("taxclass", { length: 80 }),
    exemptAmount: cents("exempt_amount").notNull().default(0),
    tax: numeric("tax", { precision: 8, scale: 4 }).notNull().default("0"),
    taxname: varchar("taxname", { length: 80 }),
    setuptax: flag("setuptax"),
    recurtax: flag("recurtax"),
  },
  (t) => [
    index("cust_main_county_region").on(t.country, t.state, t.county, t.city),
    check("cust_main_county_tax_range", sql`${t.tax} >= 0 AND ${t.tax} < 100`),
  ],
);

export const custMain = pgTable(
  "cust_main",
  {
    custnum: serial("custnum").primaryKey(),
    agentnum: integer("agentnum")
      .notNull()
      .references(() => agent.agentnum),
    agentCustid: varchar("agent_custid", { length: 80 }),
    first: varchar("first", { length: 80 }).notNull(),
    last: varchar("last", { length: 160 }).notNull(),
    company: varchar("company", { length: 80 }),
    ss: varchar("ss", { length: 11 }),
    stateid: varchar("stateid", { length: 80 }),
    stateidState: varchar("stateid_state", { length: 80 }),
    daytime: varchar("daytime", { length: 20 }),
    night: varchar("night", { length: 20 }),
    fax: varchar("fax", { length: 20 }),
    mobile: varchar("mobile", { length: 20 }),
    signupdate: timestamptz("signupdate").notNull().defaultNow(),
    billLocationnum: integer("bill_locationnum").references((): AnyPgColumn => custLocation.locationnum),
    shipLocationnum: integer("ship_locationnum").references((): AnyPgColumn => custLocation.locationnum),
    referralCustnum: integer("referral_custnum").references((): AnyPgColumn => custMain.custnum),
    comments: text("comments"),
    tax: flag("tax"),
    locale: varchar("locale", { length: 16 }),
    postalInvoice: flag("postal_invoice"),
    complimentary: flag("complimentary"),
    poNumber: varchar("po_number", { length: 80 }),
    invoiceTerms: varchar("invoice_terms", { length: 80 }),
    creditLimit: cents("credit_limit"),
  },
  (t) => [
    index("cust_main_agentnum").on(t.agentnum),
    uniqueIndex("cust_main_agent_custid").on(t.agentnum, t.agentCustid),
    index("cust_main_last_first").on(sql`lower(${t.last})`, sql`lower(${t.first})`),
    index("cust_main_referral_custnum").on(t.referralCustnum),
  ],
);

export const custLocation = pgTable(
  "cust_location",
  {
    locationnum: serial("locationnum").primaryKey(),
    custnum: integer("custnum").references((): AnyPgColumn => custMain.custnum),
    locationname: varchar("locationname", { length: 80 }),
    address1: varchar("address1", { length: 80 }).notNull(),
    address2: varchar("address2", { length: 80 }),
    city: varchar("city", { length: 80 }),
    county: varchar("county", { length: 80 }),
    state: varchar("state", { length: 80 }),
    zip: varchar("zip", { length: 10 }),
    country: char("country", { length: 2 }).notNull(),
    latitude: numeric("latitude", { precision: 10, scale: 7 }),
    longitude: numeric("longitude", { precision: 10, scale: 7 }),
    district: varchar("district", { length: 20 }),
    disabled: flag("disabled"),
  },
  (t) => [index("cust_location_custnum").on(t.custnum)],
);

/** Invoice destinations: e-mail addresses, or 'POST' for paper. */
export const custMainInvoice = pgTable(
  "cust_main_invoice",
  {
    destnum: serial("destnum").primaryKey(),
    custnum: integer("custnum")
      .notNull()
      .references(() => custMain.custnum, { onDelete: "cascade" }),
    dest: varchar("dest", { length: 80 }).notNull(),
  },
  (t) => [uniqueIndex("cust_main_invoice_custnum_dest").on(t.custnum, sql`lower(${t.dest})`)],
);

/**
 * A customer's contacts. With `selfservice_access = 'Y'` and a password, a contact logs in
 * with any of its e-mail addresses. `_password` is a scrypt hash.
 */
export const contact = pgTable(
  "contact",
  {
    contactnum: serial("contactnum").primaryKey(),
    custnum: integer("custnum")
      .notNull()
      .references(() => custMain.custnum, { onDelete: "cascade" }),
    locationnum: integer("locationnum").references(() => custLocation.locationnum),
    first: varchar("first", { length: 80 }).notNull(),
    last: varchar("last", { length: 80 }).notNull(),
    title: varchar("title", { length: 80 }),
    comment: varchar("comment", { length: 255 }),
    selfserviceAccess: flag("selfservice_access"),
    password: varchar("_password", { length: 512 }),
    passwordEncoding: varchar("_password_encoding", { length: 80 }),
    disabled: flag("disabled"),
    invoiceDest: flag("invoice_dest"),
  },
  (t) => [index("contact_custnum").on(t.custnum)],
);

/** Contact e-mail addresses, unique across all contacts (stored lower-case). */
export const contactEmail = pgTable(
  "contact_email",
  {
    contactemailnum: serial("contactemailnum").primaryKey(),
    contactnum: integer("contactnum")
      .notNull()
      .references(() => contact.contactnum, { onDelete: "cascade" }),
    emailaddress: varchar("emailaddress", { length: 80 }).notNull(),
  },
  (t) => [
    uniqueIndex("contact_email_emailaddress").on(sql`lower(${t.emailaddress})`),
    index("contact_email_contactnum").on(t.contactnum),
  ],
);
