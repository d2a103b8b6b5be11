import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  char,
  check,
  index,
  integer,
  pgTable,
  serial,
  text,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import { cents, flag, timestamptz } from "./columns";
import { agent, custLocation, custMain, contact } from "./customers";

/**
 * Package definitions. Freeside keeps fees in part_pkg_option; Portico keeps the flat plan's
 * `setup_fee` and `recur_fee` on the row. `freq` is a whole number of months ('0' = one-time).
 * `payby` lists the payment types accepted at signup (NULL = any).
 */
export const partPkg = pgTable(
  "part_pkg",
  {
    pkgpart: serial("pkgpart").primaryKey(),
    pkg: varchar("pkg", { length: 104 }).notNull(),
    comment: varchar("comment", { length: 160 }),
    description: text("description"),
    promoCode: varchar("promo_code", { length: 80 }),
    freq: varchar("freq", { length: 80 }).notNull(),
    plan: varchar("plan", { length: 80 }).notNull().default("flat"),
    setupFee: cents("setup_fee").notNull().default(0),
    recurFee: cents("recur_fee").notNull().default(0),
    setuptax: flag("setuptax"),
    recurtax: flag("recurtax"),
    taxclass: varchar("taxclass", { length: 80 }),
    classnum: integer("classnum"),
    disabled: flag("disabled"),
    agentnum: integer("agentnum").references(() => agent.agentnum),
    payby: text("payby").array(),
    signupOffer: flag("signup_offer"),
  },
  (t) => [
    check("part_pkg_freq_months", sql`${t.freq} ~ '^[0-9]{1,3}$'`),
    check("part_pkg_fees_nonnegative", sql`${t.setupFee} >= 0 AND ${t.recurFee} >= 0`),
    index("part_pkg_agentnum").on(t.agentnum),
  ],
);

/** Service definitions. `svcdb` names the service table (svc_acct, svc_domain, svc_phone, svc_external). */
export const partSvc = pgTable("part_svc", {
  svcpart: serial("svcpart").primaryKey(),
  svc: varchar("svc", { length: 80 }).notNull(),
  svcdb: varchar("svcdb", { length: 80 }).notNull(),
  disabled: flag("disabled"),
  selfserviceAccess: varchar("selfservice_access", { length: 80 }),
});

/** Which services (and how many) a package definition includes. */
export const pkgSvc = pgTable(
  "pkg_svc",
  {
    pkgsvcnum: serial("pkgsvcnum").primaryKey(),
    pkgpart: integer("pkgpart")
      .notNull()
      .references(() => partPkg.pkgpart),
    svcpart: integer("svcpart")
      .notNull()
      .references(() => partSvc.svcpart),
    quantity: integer("quantity").notNull().default(1),
    primarySvc: flag("primary_svc"),
    hidden: flag("hidden"),
  },
  (t) => [uniqueIndex("pkg_svc_pkgpart_svcpart").on(t.pkgpart, t.svcpart)],
);

/** A customer's package. Dates are timestamptz (Freeside: UNIX seconds). */
export const custPkg = pgTable(
  "cust_pkg",
  {
    pkgnum: serial("pkgnum").primaryKey(),
    custnum: integer("custnum")
      .notNull()
      .references(() => custMain.custnum),
    pkgpart: integer("pkgpart")
      .notNull()
      .references(() => partPkg.pkgpart),
    locationnum: integer("locationnum").references(() => custLocation.locationnum),
    contactnum: integer("contactnum").references(() => contact.contactnum),
    orderDate: timestamptz("order_date").notNull().defaultNow(),
    startDate: timestamptz("start_date"),
    setup: timestamptz("setup"),
    bill: timestamptz("bill"),
    lastBill: timestamptz("last_bill"),
    susp: timestamptz("susp"),
    adjourn: timestamptz("adjourn"),
    resume: timestamptz("resume"),
    cancel: timestamptz("cancel"),
    expire: timestamptz("expire"),
    contractEnd: timestamptz("contract_end"),
    changeDate: timestamptz("change_date"),
    changePkgnum: integer("change_pkgnum").references((): AnyPgColumn => custPkg.pkgnum),
    changePkgpart: integer("change_pkgpart"),
    changeLocationnum: integer("change_locationnum"),
    changeCustnum: integer("change_custnum"),
    quantity: integer("quantity").notNull().default(1),
    noAuto: flag("no_auto"),
    waiveSetup: flag("waive_setup"),
  },
  (t) => [
    index("cust_pkg_custnum").on(t.custnum),
    index("cust_pkg_bill_due").on(t.bill).where(sql`${t.cancel} IS NULL`),
    index("cust_pkg_pkgpart").on(t.pkgpart),
    check("cust_pkg_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/** Access numbers (dial-up POPs). */
export const svcAcctPop = pgTable(
  "svc_acct_pop",
  {
    popnum: serial("popnum").primaryKey(),
    city: varchar("city", { length: 80 }).notNull(),
    state: varchar("state", { length: 80 }).notNull(),
    ac: char("ac", { length: 3 }).notNull(),
    exch: char("exch", { length: 3 }).notNull(),
    loc: char("loc", { length: 4 }),
  },
  (t) => [index("svc_acct_pop_state_ac").on(t.state, t.ac)],
);

/** A provisioned service; svc_acct / svc_domain / svc_phone share its svcnum. */
export const custSvc = pgTable(
  "cust_svc",
  {
    svcnum: serial("svcnum").primaryKey(),
    pkgnum: integer("pkgnum").references(() => custPkg.pkgnum),
    svcpart: integer("svcpart")
      .notNull()
      .references(() => partSvc.svcpart),
  },
  (t) => [index("cust_svc_pkgnum").on(t.pkgnum), index("cust_svc_svcpart").on(t.svcpart)],
);

export const svcDomain = pgTable(
  "svc_domain",
  {
    svcnum: integer("svcnum")
      .primaryKey()
      .references(() => custSvc.svcnum, { onDelete: "cascade" }),
    domain: varchar("domain", { length: 80 }).notNull(),
    catchall: integer("catchall"),
    setupDate: timestamptz("setup_date"),
    expirationDate: timestamptz("expiration_date"),
  },
  (t) => [uniqueIndex("svc_domain_domain").on(sql`lower(${t.domain})`)],
);

/** Login accounts. `_password` is a scrypt hash; `username` is unique within its domain. */
export const svcAcct = pgTable(
  "svc_acct",
  {
    svcnum: integer("svcnum")
      .primaryKey()
      .references(() => custSvc.svcnum, { onDelete: "cascade" }),
    username: varchar("username", { length: 64 }).notNull(),
    domsvc: integer("domsvc")
      .notNull()
      .references(() => svcDomain.svcnum),
    password: varchar("_password", { length: 512 }),
    passwordEncoding: varchar("_password_encoding", { length: 80 }),
    secPhrase: varchar("sec_phrase", { length: 80 }),
    popnum: integer("popnum").references(() => svcAcctPop.popnum),
    finger: varchar("finger", { length: 160 }),
    seconds: integer("seconds"),
    upbytes: bigint("upbytes", { mode: "number" }),
    downbytes: bigint("downbytes", { mode: "number" }),
    totalbytes: bigint("totalbytes", { mode: "number" }),
    lastLogin: timestamptz("last_login"),
  },
  (t) => [uniqueIndex("svc_acct_username_domsvc").on(sql`lower(${t.username})`, t.domsvc)],
);

/** Phone numbers. `pin` is a scrypt hash. */
export const svcPhone = pgTable(
  "svc_phone",
  {
    svcnum: integer("svcnum")
      .primaryKey()
      .references(() => custSvc.svcnum, { onDelete: "cascade" }),
    countrycode: varchar("countrycode", { length: 3 }).notNull(),
    phonenum: varchar("phonenum", { length: 25 }).notNull(),
    pin: varchar("pin", { length: 512 }),
    phoneName: varchar("phone_name", { length: 80 }),
    locationnum: integer("locationnum").references(() => custLocation.locationnum),
  },
  (t) => [uniqueIndex("svc_phone_countrycode_phonenum").on(t.countrycode, t.phonenum), index("svc_phone_phonenum").on(t.phonenum)],
);

/** External services (e.g. a static IP block or hosting plan identified elsewhere). */
export const svcExternal = pgTable("svc_external", {
  svcnum: integer("svcnum")
    .primaryKey()
    .references(() => custSvc.svcnum, { onDelete: "cascade" }),
  id: bigint("id", { mode: "number" }),
  title: varchar("title", { length: 255 }),
});

/** Prepaid card PINs: `amount` becomes a credit at signup and the PIN is used up. */
export const prepayCredit = pgTable(
  "prepay_credit",
  {
    prepaynum: serial("prepaynum").primaryKey(),
    identifier: varchar("identifier", { length: 80 }).notNull(),
    amount: cents("amount").notNull(),
    seconds: integer("seconds"),
    agentnum: integer("agentnum").references(() => agent.agentnum),
  },
  (t) => [uniqueIndex("prepay_credit_identifier").on(t.identifier), check("prepay_credit_amount_positive", sql`${t.amount} > 0`)],
);
