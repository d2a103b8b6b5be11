import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { jsonColumn, queryRows } from "@/lib/db/rows";
import { notFound } from "@/lib/errors";
import { balanceSql } from "@/lib/billing/balance";
import { customerScopeCte, type CustomerScope, type CustomerSession, type ScopeColumns } from "@/lib/auth/sessions";
import type { LocationValues } from "./location-schema";
import {
  CUSTOMER_STATUS_COLOR,
  CUSTOMER_STATUS_LABEL,
  PACKAGE_STATUS_COLOR,
  customerStatus,
  packageStatus,
  type CustomerStatus,
  type PackageStatus,
} from "@/lib/packages/status";

export interface LocationView extends LocationValues {
  locationnum: number;
}

export interface ServiceSummary {
  svcnum: number;
  svcdb: string;
  /** The service definition's name ("Dial-up account"). */
  svc: string;
  /** What identifies it: username@domain, the phone number, the domain. */
  value: string;
}

export interface PackageSummary {
  pkgnum: number;
  pkgpart: number;
  pkg: string;
  freq: string;
  quantity: number;
  setupFeeCents: number;
  recurFeeCents: number;
  orderDate: Date;
  setup: Date | null;
  bill: Date | null;
  susp: Date | null;
  cancel: Date | null;
  status: PackageStatus;
  statusColor: string;
  services: ServiceSummary[];
}

export interface OpenInvoice {
  invnum: number;
  date: Date;
  chargedCents: number;
  owedCents: number;
}

/** Everything the account overview shows, read in one round trip. */
export interface CustomerInfo {
  custnum: number;
  agentnum: number;
  agentName: string;
  first: string;
  last: string;
  company: string;
  daytime: string;
  night: string;
  fax: string;
  mobile: string;
  locale: string;
  /** Masked (Freeside shows "xxx-xx-1234"). */
  ssMasked: string;
  signupdate: Date;
  billLocation: LocationView | null;
  /** Null when the ship address is the bill address. */
  shipLocation: LocationView | null;
  invoiceEmails: string[];
  postalInvoice: boolean;
  balanceCents: number;
  openInvoices: OpenInvoice[];
  lastInvoiceDate: Date | null;
  nextBillDate: Date | null;
  packages: PackageSummary[];
  status: CustomerStatus;
  statusLabel: string;
  statusColor: string;
}

interface Row {
  custnum: number;
  agentnum: number;
  agent_name: string;
  first: string;
  last: string;
  company: string | null;
  daytime: string | null;
  night: string | null;
  fax: string | null;
  mobile: string | null;
  locale: string | null;
  ss: string | null;
  signupdate: string | Date;
  bill_locationnum: number | null;
  ship_locationnum: number | null;
  bill_location: Record<string, unknown> | string | null;
  ship_location: Record<string, unknown> | string | null;
  dests: string[] | string;
  balance: string | number;
  open_invoices: unknown;
  last_invoice_date: string | Date | null;
  packages: unknown;
}


function toDate(v: string | Date | null | undefined): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v : new Date(v);
}

function toLocation(raw: Record<string, unknown> | string | null): LocationView | null {
  if (!raw) return null;
  const r = jsonColumn<Record<string, string | number | null>>(raw);
  const s = (k: string) => (r[k] === null || r[k] === undefined ? "" : String(r[k]).trim());
  return {
    locationnum: Number(r.locationnum),
    address1: s("address1"),
    address2: s("address2"),
    city: s("city"),
    county: s("county"),
    state: s("state"),
    zip: s("zip"),
    country: s("country"),
  };
}

export function maskSs(ss: string | null): string {
  if (!ss) return "";
  const digits = ss.replace(/\D/g, "");
  return digits.length >= 4 ? `xxx-xx-${digits.slice(-4)}` : "xxx-xx-xxxx";
}

/**
 * The customer's account as one aggregated query: cust_main with both locations, invoice
 * destinations, balance, open invoices and non-cancelled-first packages with their services.
 * Every sub-select is driven by the custnum index of its table.
 */
export async function getCustomerInfo(db: DbOrTx, custnum: number): Promise<CustomerInfo> {
  const read = await readCustomerInfo(db, { custnum });
  if (!read) throw notFound("Customer not found");
  return read.info;
}

/**
 * The account of the customer whose session `token` is, and that session, in one statement
 * (the session check is a CTE of the same read); null when the token is not a valid customer
 * session. For the pages and RPC methods that need nothing else first.
 */
export async function getCustomerInfoForSession(db: DbOrTx, token: unknown): Promise<{ session: CustomerSession; info: CustomerInfo } | null> {
  const read = await readCustomerInfo(db, { sessionToken: token });
  return read?.session ? { session: read.session, info: read.info } : null;
}

async function readCustomerInfo(db: DbOrTx, scope: CustomerScope): Promise<{ session: CustomerSession | null; info: CustomerInfo } | null> {
  const prepared = customerScopeCte(scope);
  if (!prepared) return null;
  const rows = await queryRows<Row & ScopeColumns>(
    db,
    sql`WITH ${prepared.cte}
        SELECT ${prepared.columns}, c.custnum, c.agentnum, a.agent AS agent_name, c.first, c.last, c.company, c.daytime, c.night, c.fax,
               c.mobile, c.locale, c.ss, c.signupdate, c.bill_locationnum, c.ship_locationnum,
               (SELECT row_to_json(l) FROM cust_location l WHERE l.locationnum = c.bill_locationnum) AS bill_location,
               (SELECT row_to_json(l) FROM cust_location l WHERE l.locationnum = c.ship_locationnum) AS ship_location,
               (SELECT COALESCE(json_agg(i.dest ORDER BY i.destnum), '[]'::json) FROM cust_main_invoice i
                 WHERE i.custnum = c.custnum) AS dests,
               (${balanceSql(sql`c.custnum`)})::bigint AS balance,
               (SELECT COALESCE(json_agg(json_build_object('invnum', b.invnum, 'date', b._date,
                                 'charged', (b.charged * 100)::bigint, 'owed', (b.owed * 100)::bigint)
                                 ORDER BY b._date, b.invnum), '[]'::json)
                  FROM cust_bill b WHERE b.custnum = c.custnum AND b.owed > 0) AS open_invoices,
               (SELECT max(b._date) FROM cust_bill b WHERE b.custnum = c.custnum) AS last_invoice_date,
               (SELECT COALESCE(json_agg(json_build_object(
                        'pkgnum', p.pkgnum, 'pkgpart', p.pkgpart, 'pkg', pp.pkg, 'freq', pp.freq,
                        'quantity', p.quantity, 'setup_fee', (pp.setup_fee * 100)::bigint,
                        'recur_fee', (pp.recur_fee * 100)::bigint, 'order_date', p.order_date, 'setup', p.setup,
                        'bill', p.bill, 'susp', p.susp, 'cancel', p.cancel,
                        'services', (SELECT COALESCE(json_agg(json_build_object(
                                        'svcnum', s.svcnum, 'svcdb', ps.svcdb, 'svc', ps.svc,
                                        'value', COALESCE(
                                           acct.username || '@' || dom.domain,
                                           acct.username,
                                           CASE WHEN ph.svcnum IS NOT NULL THEN '+' || ph.countrycode || ' ' || ph.phonenum END,
                                           sd.domain,
                                           ext.title, '')) ORDER BY s.svcnum), '[]'::json)
                                     FROM cust_svc s
                                     JOIN part_svc ps ON ps.svcpart = s.svcpart
                                     LEFT JOIN svc_acct acct ON acct.svcnum = s.svcnum
                                     LEFT JOIN svc_domain dom ON dom.svcnum = acct.domsvc
                                     LEFT JOIN svc_phone ph ON ph.svcnum = s.svcnum
                                     LEFT JOIN svc_domain sd ON sd.svcnum = s.svcnum
                                     LEFT JOIN svc_external ext ON ext.svcnum = s.svcnum
                                    WHERE s.pkgnum = p.pkgnum))
                        ORDER BY (p.cancel IS NOT NULL), p.pkgnum), '[]'::json)
                  FROM cust_pkg p JOIN part_pkg pp ON pp.pkgpart = p.pkgpart
                 WHERE p.custnum = c.custnum) AS packages
          FROM scope
          JOIN cust_main c ON c.custnum = scope.custnum
          JOIN agent a ON a.agentnum = c.agentnum`,
  );
  const r = rows[0];
  if (!r) return null;
  const session = await prepared.finish(db, r);

  const packages = jsonColumn<
    {
      pkgnum: number;
      pkgpart: number;
      pkg: string;
      freq: string;
      quantity: number;
      setup_fee: number | string;
      recur_fee: number | string;
      order_date: string;
      setup: string | null;
      bill: string | null;
      susp: string | null;
      cancel: string | null;
      services: ServiceSummary[];
    }[]
  >(r.packages).map((p): PackageSummary => {
    const setup = toDate(p.setup);
    const cancel = toDate(p.cancel);
    const susp = toDate(p.susp);
    const status = packageStatus({ cancel, susp, setup, freq: p.freq });
    return {
      pkgnum: Number(p.pkgnum),
      pkgpart: Number(p.pkgpart),
      pkg: p.pkg,
      freq: p.freq,
      quantity: Number(p.quantity),
      setupFeeCents: Number(p.setup_fee),
      recurFeeCents: Number(p.recur_fee),
      orderDate: toDate(p.order_date)!,
      setup,
      bill: toDate(p.bill),
      susp,
      cancel,
      status,
      statusColor: PACKAGE_STATUS_COLOR[status],
      services: p.services.map((s) => ({ ...s, svcnum: Number(s.svcnum) })),
    };
  });

  const status = customerStatus(packages.map((p) => p.status));
  const bills = packages
    .filter((p) => !p.cancel && !p.susp && p.bill && p.freq !== "0")
    .map((p) => p.bill!.getTime());
  const dests = jsonColumn<string[]>(r.dests);
  const billLocation = toLocation(r.bill_location);
  const shipLocation = r.ship_locationnum && r.ship_locationnum !== r.bill_locationnum ? toLocation(r.ship_location) : null;

  const info: CustomerInfo = {
    custnum: Number(r.custnum),
    agentnum: Number(r.agentnum),
    agentName: r.agent_name,
    first: r.first,
    last: r.last,
    company: r.company ?? "",
    daytime: r.daytime ?? "",
    night: r.night ?? "",
    fax: r.fax ?? "",
    mobile: r.mobile ?? "",
    locale: r.locale ?? "",
    ssMasked: maskSs(r.ss),
    signupdate: toDate(r.signupdate)!,
    billLocation,
    shipLocation,
    invoiceEmails: dests.filter((d) => d !== "POST" && d !== "FAX"),
    postalInvoice: dests.includes("POST"),
    balanceCents: Number(r.balance),
    openInvoices: jsonColumn<{ invnum: number; date: string; charged: number | string; owed: number | string }[]>(r.open_invoices).map((i) => ({
      invnum: Number(i.invnum),
      date: new Date(i.date),
      chargedCents: Number(i.charged),
      owedCents: Number(i.owed),
    })),
    lastInvoiceDate: toDate(r.last_invoice_date),
    nextBillDate: bills.length ? new Date(Math.min(...bills)) : null,
    packages,
    status,
    statusLabel: CUSTOMER_STATUS_LABEL[status],
    statusColor: CUSTOMER_STATUS_COLOR[status],
  };
  return { session, info };
}
