import { sql } from "drizzle-orm";
import { char, check, index, integer, jsonb, pgTable, serial, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { cents, flag, timestamptz } from "./columns";
import { custMain, custLocation } from "./customers";
import { custPay, custBill } from "./billing";
import { custPkg } from "./packages";

/**
 * Stored payment methods. `payinfo` holds the card or account number encrypted with
 * AES-256-GCM under PORTICO_VAULT_KEY (never in clear); `paymask` is what people see.
 * There is no CVV column: CVV is never stored.
 */
export const custPayby = pgTable(
  "cust_payby",
  {
    custpaybynum: serial("custpaybynum").primaryKey(),
    custnum: integer("custnum")
      .notNull()
      .references(() => custMain.custnum, { onDelete: "cascade" }),
    weight: integer("weight").notNull().default(1),
    payby: char("payby", { length: 4 }).notNull(),
    payinfo: varchar("payinfo", { length: 512 }).notNull(),
    paycardtype: varchar("paycardtype", { length: 80 }),
    paymask: varchar("paymask", { length: 80 }).notNull(),
    paydate: varchar("paydate", { length: 10 }),
    paystartMonth: integer("paystart_month"),
    paystartYear: integer("paystart_year"),
    payissue: varchar("payissue", { length: 2 }),
    payname: varchar("payname", { length: 160 }),
    paystate: varchar("paystate", { length: 80 }),
    paytype: varchar("paytype", { length: 80 }),
    payip: varchar("payip", { length: 45 }),
    locationnum: integer("locationnum").references(() => custLocation.locationnum),
  },
  (t) => [
    index("cust_payby_custnum_weight").on(t.custnum, t.weight),
    check("cust_payby_payby", sql`${t.payby} IN ('CARD','DCRD','CHEK','DCHK')`),
  ],
);

/**
 * One row per payment attempt, keyed uniquely by its one-time key (`payunique`).
 * status: new → pending → captured | declined | error → done. The gateway's answer
 * (auth, order_number) is written here before the cust_pay, so a crash in between is
 * recovered as one payment, never charged again.
 */
export const custPayPending = pgTable(
  "cust_pay_pending",
  {
    paypendingnum: serial("paypendingnum").primaryKey(),
    custnum: integer("custnum").references(() => custMain.custnum),
    paid: cents("paid").notNull(),
    currency: char("currency", { length: 3 }),
    date: timestamptz("_date").notNull().defaultNow(),
    payby: char("payby", { length: 4 }).notNull(),
    paycardtype: varchar("paycardtype", { length: 80 }),
    paymask: varchar("paymask", { length: 80 }),
    paydate: varchar("paydate", { length: 10 }),
    custpaybynum: integer("custpaybynum"),
    payunique: varchar("payunique", { length: 80 }).notNull(),
    pkgnum: integer("pkgnum").references(() => custPkg.pkgnum),
    invnum: integer("invnum").references(() => custBill.invnum),
    status: varchar("status", { length: 80 }).notNull(),
    statustext: text("statustext"),
    failureStatus: varchar("failure_status", { length: 16 }),
    processor: varchar("processor", { length: 80 }),
    auth: varchar("auth", { length: 16 }),
    orderNumber: varchar("order_number", { length: 256 }),
    paynum: integer("paynum").references(() => custPay.paynum),
    manual: flag("manual"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("cust_pay_pending_payunique").on(t.payunique),
    index("cust_pay_pending_custnum").on(t.custnum),
    index("cust_pay_pending_unfinished").on(t.status).where(sql`${t.status} <> 'done'`),
    check("cust_pay_pending_paid_positive", sql`${t.paid} > 0`),
    check(
      "cust_pay_pending_status",
      sql`${t.status} IN ('new','pending','captured','declined','error','done')`,
    ),
  ],
);

/**
 * The built-in test gateway's own ledger (lib/payments/gateway/test-gateway.ts): the "processor's"
 * record of every sale it answered, keyed by Portico's payment reference (cust_pay_pending.payunique).
 * Written by the gateway in its own autocommitted statement before it answers, never inside one of
 * Portico's transactions, so it survives a crash of the app between the approval and its recording,
 * and crash recovery asks it (`lookup`) as it would ask a real processor. No card data.
 */
export const testGatewayCharge = pgTable(
  "test_gateway_charge",
  {
    reference: varchar("reference", { length: 80 }).primaryKey(),
    amount: cents("amount").notNull(),
    status: varchar("status", { length: 16 }).notNull(),
    authCode: varchar("auth_code", { length: 16 }),
    orderNumber: varchar("order_number", { length: 256 }),
    message: text("message"),
    failureStatus: varchar("failure_status", { length: 16 }),
    timedOut: flag("timed_out"),
    voided: timestamptz("voided"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [check("test_gateway_charge_status", sql`${t.status} IN ('approved','declined','error')`)],
);

/**
 * A signup that is charging its first invoice (lib/signup/new-customer.ts): the customer exists
 * but is not yet active. While this row exists the customer cannot log in (its login credentials
 * wait here, not in contact/svc_acct/svc_phone), is not billed or collected, and is hidden from
 * lookups by custnum. Activation moves the credentials into place and deletes the row; a decline
 * deletes the customer (and this row with it). `payunique` is the first payment's key.
 */
export const signupPending = pgTable(
  "signup_pending",
  {
    custnum: integer("custnum")
      .primaryKey()
      .references(() => custMain.custnum, { onDelete: "cascade" }),
    payunique: varchar("payunique", { length: 80 }).notNull(),
    signupKeyHash: varchar("signup_key_hash", { length: 64 }).notNull(),
    /** The self-service contact to enable on activation. */
    contactnum: integer("contactnum"),
    /** The login service (svc_acct / svc_phone) and its credential hash, set on activation. */
    svcnum: integer("svcnum"),
    svcCredential: varchar("svc_credential", { length: 512 }),
    /** The signup's result, written as its audit row on activation. */
    detail: jsonb("detail").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("signup_pending_payunique").on(t.payunique), uniqueIndex("signup_pending_key").on(t.signupKeyHash)],
);
