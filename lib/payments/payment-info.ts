import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { custLocation, custMain } from "@/db/schema";
import { getBalanceCents } from "@/lib/billing/balance";
import { listRegions, type Region } from "@/lib/customers/regions";
import { AppError } from "@/lib/errors";
import { formatCents, formatMoneyPretty } from "@/lib/money/cents";
import { FREESIDE_PAYTYPES } from "./bank";
import { CARD_TYPE_CHOICES, parseExpselectDate } from "./card";
import { listPayby, type PaybyView } from "./payby";
import { isBankPayby, isCardPayby, PAYBY_VALUES } from "./payby-schema";

/**
 * payment_info: what a payment page needs, with Freeside's keys: the balance, the stored methods
 * (masked only), card types, account types, states, the customer's address, the default method's
 * masked details, and a fresh one-time key (`payunique`, also as `paybatch`) for the form. The key
 * is random and stored nowhere until a payment uses it.
 */
export interface PaymentInfo {
  balance: string;
  balance_pretty: string;
  money_char: string;
  /** The one-time key for this form (also `paybatch`, for old clients). */
  payunique: string;
  paybatch: string;
  cust_paybys: (PaybyView & { payinfo: string })[];
  hide_payment_fields: boolean[];
  card_types: Record<string, string>;
  paytypes: readonly string[];
  paybys: readonly string[];
  states: string[];
  cust_main_county?: Region[];
  withcvv: boolean;
  require_cvv: boolean;
  onfile_require_cvv: boolean;
  show_paystate: boolean;
  show_ss: boolean;
  show_stateid: boolean;
  save_unchecked: boolean;
  ach_read_only: boolean;
  stateid_label: string;
  stateid_state_label: string;
  credit_card_surcharge_percentage: string;
  credit_card_surcharge_flatfee: string;
  first: string;
  last: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  /** The default (first) method of the requested kind; "" when none. */
  payby: string;
  payname: string;
  custpaybynum: number | "";
  card_type: string;
  /** Masked only. */
  payinfo: string;
  month: string;
  year: string;
  /** Bank account (masked) and routing number, for CHEK. */
  payinfo1: string;
  payinfo2: string;
  paytype: string;
  paystate: string;
}

/** A fresh one-time payment key, Freeside-shaped: "webui-MyAccount-<epoch>-<128 random bits>". */
export function newPaymentKey(now = new Date()): string {
  return `webui-MyAccount-${Math.floor(now.getTime() / 1000)}-${randomBytes(16).toString("hex")}`;
}

export async function paymentInfo(
  db: DbOrTx,
  { custnum, paymentPayby, omitCustMainCounty, now = new Date() }: { custnum: number; paymentPayby?: string; omitCustMainCounty?: boolean; now?: Date },
): Promise<PaymentInfo> {
  const [cust] = await db
    .select({
      first: custMain.first,
      last: custMain.last,
      address1: custLocation.address1,
      address2: custLocation.address2,
      city: custLocation.city,
      state: custLocation.state,
      zip: custLocation.zip,
      country: custLocation.country,
    })
    .from(custMain)
    .leftJoin(custLocation, eq(custLocation.locationnum, custMain.billLocationnum))
    .where(eq(custMain.custnum, custnum));
  if (!cust) throw new AppError("NOT_FOUND", "Customer not found");
  const [balance, methods, regions] = await Promise.all([getBalanceCents(db, custnum), listPayby(db, { custnum }), listRegions(db)]);

  const wantBank = (paymentPayby ?? "").toUpperCase() === "CHEK" || (paymentPayby ?? "").toUpperCase() === "DCHK";
  const def = methods.find((m) => (wantBank ? isBankPayby(m.payby) : isCardPayby(m.payby)));
  const exp = def && isCardPayby(def.payby) ? parseExpselectDate(def.paydate) : null;
  const bank = def && isBankPayby(def.payby) ? def.paymask.split("@") : null;
  const key = newPaymentKey(now);
  const defaultCountry = "US";
  const states = [...new Set(regions.filter((r) => r.country === defaultCountry && r.state).map((r) => r.state))].sort();
  const s = (v: string | null | undefined) => (v ?? "").trim();

  return {
    balance: formatCents(balance),
    balance_pretty: formatMoneyPretty(balance),
    money_char: "$",
    payunique: key,
    paybatch: key,
    cust_paybys: methods.map((m) => ({ ...m, payinfo: m.paymask })),
    hide_payment_fields: methods.map(() => false),
    card_types: { ...CARD_TYPE_CHOICES },
    paytypes: FREESIDE_PAYTYPES,
    paybys: PAYBY_VALUES,
    states,
    ...(omitCustMainCounty ? {} : { cust_main_county: regions }),
    withcvv: true,
    require_cvv: false,
    onfile_require_cvv: false,
    show_paystate: true,
    show_ss: false,
    show_stateid: false,
    save_unchecked: false,
    ach_read_only: false,
    stateid_label: "Driver's license",
    stateid_state_label: "Driver's license state",
    credit_card_surcharge_percentage: "0",
    credit_card_surcharge_flatfee: "0",
    first: cust.first,
    last: cust.last,
    address1: s(cust.address1),
    address2: s(cust.address2),
    city: s(cust.city),
    state: s(cust.state),
    zip: s(cust.zip),
    country: s(cust.country),
    payby: def?.payby ?? "",
    payname: def?.payname ?? "",
    custpaybynum: def?.custpaybynum ?? "",
    card_type: def && isCardPayby(def.payby) ? def.paycardtype : "",
    payinfo: def && isCardPayby(def.payby) ? def.paymask : "",
    month: exp ? String(exp.month) : "",
    year: exp ? String(exp.year) : "",
    payinfo1: bank ? bank[0] ?? "" : "",
    payinfo2: bank ? bank[1] ?? "" : "",
    paytype: def && isBankPayby(def.payby) ? def.paytype : "",
    paystate: def && isBankPayby(def.payby) ? def.paystate : "",
  };
}

/** The name new payment forms start with ("First Last"); the person can change it. */
export async function defaultPayname(db: DbOrTx, { custnum }: { custnum: number }): Promise<string> {
  const [c] = await db.select({ first: custMain.first, last: custMain.last }).from(custMain).where(eq(custMain.custnum, custnum));
  if (!c) throw new AppError("NOT_FOUND", "Customer not found");
  return `${c.first} ${c.last}`.trim();
}
