import { sql } from "drizzle-orm";
import { char, check, index, integer, pgTable, serial, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { cents, flag, timestamptz } from "./columns";
import { custMain, custMainCounty, custLocation } from "./customers";
import { custPkg } from "./packages";

/** Invoices. `charged` always equals the sum of the invoice's lines (setup + recur). */
export const custBill = pgTable(
  "cust_bill",
  {
    invnum: serial("invnum").primaryKey(),
    custnum: integer("custnum")
      .notNull()
      .references(() => custMain.custnum),
    date: timestamptz("_date").notNull(),
    charged: cents("charged").notNull(),
    /** Portico: charged − payments − credits applied to it; kept by applyPaymentsAndCredits. */
    owed: cents("owed").notNull(),
    currency: char("currency", { length: 3 }),
    invoiceTerms: varchar("invoice_terms", { length: 80 }),
    previousBalance: cents("previous_balance"),
    billingBalance: cents("billing_balance"),
    printed: integer("printed").notNull().default(0),
    closed: flag("closed"),
    hide: flag("hide"),
  },
  (t) => [
    index("cust_bill_custnum_date").on(t.custnum, t.date.desc(), t.invnum.desc()),
    index("cust_bill_open").on(t.custnum, t.date, t.invnum).where(sql`${t.owed} > 0`),
    check("cust_bill_charged_nonnegative", sql`${t.charged} >= 0`),
    check("cust_bill_owed_range", sql`${t.owed} >= 0 AND ${t.owed} <= ${t.charged}`),
  ],
);

/**
 * Invoice lines: a package's setup and/or recurring charge for a period (sdate..edate),
 * or a tax line (pkgnum NULL — Freeside's pkgnum 0 — with itemdesc = tax name).
 */
export const custBillPkg = pgTable(
  "cust_bill_pkg",
  {
    billpkgnum: serial("billpkgnum").primaryKey(),
    invnum: integer("invnum")
      .notNull()
      .references(() => custBill.invnum),
    pkgnum: integer("pkgnum").references(() => custPkg.pkgnum),
    setup: cents("setup").notNull().default(0),
    recur: cents("recur").notNull().default(0),
    unitsetup: cents("unitsetup"),
    unitrecur: cents("unitrecur"),
    sdate: timestamptz("sdate"),
    edate: timestamptz("edate"),
    itemdesc: varchar("itemdesc", { length: 80 }),
    itemcomment: varchar("itemcomment", { length: 80 }),
    section: varchar("section", { length: 80 }),
    freq: varchar("freq", { length: 80 }),
    quantity: integer("quantity"),
    hidden: flag("hidden"),
  },
  (t) => [index("cust_bill_pkg_invnum").on(t.invnum), index("cust_bill_pkg_pkgnum").on(t.pkgnum)],
);

/** Per-tax detail of a tax line: which tax row, which taxed line, how much. */
export const custBillPkgTaxLocation = pgTable(
  "cust_bill_pkg_tax_location",
  {
    billpkgtaxlocationnum: serial("billpkgtaxlocationnum").primaryKey(),
    billpkgnum: integer("billpkgnum")
      .notNull()
      .references(() => custBillPkg.billpkgnum),
    taxnum: integer("taxnum")
      .notNull()
      .references(() => custMainCounty.taxnum),
    taxtype: varchar("taxtype", { length: 80 }).notNull().default("FS::cust_main_county"),
    pkgnum: integer("pkgnum").references(() => custPkg.pkgnum),
    locationnum: integer("locationnum").references(() => custLocation.locationnum),
    amount: cents("amount").notNull(),
    taxableBillpkgnum: integer("taxable_billpkgnum").references(() => custBillPkg.billpkgnum),
  },
  (t) => [index("cust_bill_pkg_tax_location_billpkgnum").on(t.billpkgnum)],
);

/**
 * Payments. Portico never stores a full card or account number here: `payinfo` is not a column,
 * only `paymask`. `payunique` is the one-time key of the form or RPC call that made it.
 */
export const custPay = pgTable(
  "cust_pay",
  {
    paynum: serial("paynum").primaryKey(),
    custnum: integer("custnum")
      .notNull()
      .references(() => custMain.custnum),
    date: timestamptz("_date").notNull(),
    paid: cents("paid").notNull(),
    currency: char("currency", { length: 3 }),
    otaker: varchar("otaker", { length: 32 }),
    payby: char("payby", { length: 4 }).notNull(),
    paycardtype: varchar("paycardtype", { length: 80 }),
    paymask: varchar("paymask", { length: 80 }),
    paydate: varchar("paydate", { length: 10 }),
    paybatch: varchar("paybatch", { length: 80 }),
    payunique: varchar("payunique", { length: 80 }),
    closed: flag("closed"),
    pkgnum: integer("pkgnum").references(() => custPkg.pkgnum),
    noAutoApply: flag("no_auto_apply"),
    processor: varchar("processor", { length: 80 }),
    auth: varchar("auth", { length: 16 }),
    orderNumber: varchar("order_number", { length: 256 }),
  },
  (t) => [
    index("cust_pay_custnum_date").on(t.custnum, t.date.desc()),
    uniqueIndex("cust_pay_payunique").on(t.payunique),
    check("cust_pay_paid_positive", sql`${t.paid} > 0`),
  ],
);

export const custCredit = pgTable(
  "cust_credit",
  {
    crednum: serial("crednum").primaryKey(),
    custnum: integer("custnum")
      .notNull()
      .references(() => custMain.custnum),
    date: timestamptz("_date").notNull(),
    amount: cents("amount").notNull(),
    currency: char("currency", { length: 3 }),
    otaker: varchar("otaker", { length: 32 }),
    reason: text("reason"),
    addlinfo: text("addlinfo"),
    closed: flag("closed"),
    pkgnum: integer("pkgnum").references(() => custPkg.pkgnum),
  },
  (t) => [index("cust_credit_custnum_date").on(t.custnum, t.date.desc()), check("cust_credit_amount_positive", sql`${t.amount} > 0`)],
);

export const custRefund = pgTable(
  "cust_refund",
  {
    refundnum: serial("refundnum").primaryKey(),
    custnum: integer("custnum")
      .notNull()
      .references(() => custMain.custnum),
    date: timestamptz("_date").notNull(),
    refund: cents("refund").notNull(),
    currency: char("currency", { length: 3 }),
    otaker: varchar("otaker", { length: 32 }),
    reason: varchar("reason", { length: 80 }),
    payby: char("payby", { length: 4 }).notNull(),
    paymask: varchar("paymask", { length: 80 }),
    paybatch: varchar("paybatch", { length: 80 }),
    closed: flag("closed"),
    sourcePaynum: integer("source_paynum").references(() => custPay.paynum),
    processor: varchar("processor", { length: 80 }),
    auth: varchar("auth", { length: 16 }),
    orderNumber: varchar("order_number", { length: 80 }),
  },
  (t) => [index("cust_refund_custnum_date").on(t.custnum, t.date.desc()), check("cust_refund_refund_positive", sql`${t.refund} > 0`)],
);

/** A payment applied to an invoice. */
export const custBillPay = pgTable(
  "cust_bill_pay",
  {
    billpaynum: serial("billpaynum").primaryKey(),
    invnum: integer("invnum")
      .notNull()
      .references(() => custBill.invnum),
    paynum: integer("paynum")
      .notNull()
      .references(() => custPay.paynum),
    amount: cents("amount").notNull(),
    date: timestamptz("_date").notNull(),
    pkgnum: integer("pkgnum"),
  },
  (t) => [
    index("cust_bill_pay_invnum").on(t.invnum),
    index("cust_bill_pay_paynum").on(t.paynum),
    check("cust_bill_pay_amount_positive", sql`${t.amount} > 0`),
  ],
);

/** A credit applied to an invoice. */
export const custCreditBill = pgTable(
  "cust_credit_bill",
  {
    creditbillnum: serial("creditbillnum").primaryKey(),
    crednum: integer("crednum")
      .notNull()
      .references(() => custCredit.crednum),
    invnum: integer("invnum")
      .notNull()
      .references(() => custBill.invnum),
    amount: cents("amount").notNull(),
    date: timestamptz("_date").notNull(),
    pkgnum: integer("pkgnum"),
  },
  (t) => [
    index("cust_credit_bill_invnum").on(t.invnum),
    index("cust_credit_bill_crednum").on(t.crednum),
    check("cust_credit_bill_amount_positive", sql`${t.amount} > 0`),
  ],
);

/** A refund applied to (paid out of) a payment. */
export const custPayRefund = pgTable(
  "cust_pay_refund",
  {
    payrefundnum: serial("payrefundnum").primaryKey(),
    paynum: integer("paynum")
      .notNull()
      .references(() => custPay.paynum),
    refundnum: integer("refundnum")
      .notNull()
      .references(() => custRefund.refundnum),
    amount: cents("amount").notNull(),
    date: timestamptz("_date").notNull(),
  },
  (t) => [
    index("cust_pay_refund_paynum").on(t.paynum),
    index("cust_pay_refund_refundnum").on(t.refundnum),
    check("cust_pay_refund_amount_positive", sql`${t.amount} > 0`),
  ],
);

/** A refund applied to (paid out of) a credit. */
export const custCreditRefund = pgTable(
  "cust_credit_refund",
  {
    creditrefundnum: serial("creditrefundnum").primaryKey(),
    crednum: integer("crednum")
      .notNull()
      .references(() => custCredit.crednum),
    refundnum: integer("refundnum")
      .notNull()
      .references(() => custRefund.refundnum),
    amount: cents("amount").notNull(),
    date: timestamptz("_date").notNull(),
  },
  (t) => [
    index("cust_credit_refund_crednum").on(t.crednum),
    index("cust_credit_refund_refundnum").on(t.refundnum),
    check("cust_credit_refund_amount_positive", sql`${t.amount} > 0`),
  ],
);
