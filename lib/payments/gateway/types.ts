import type { Paytype } from "../bank";

/**
 * The payment gateway interface: what Portico asks of any processor. The built-in test gateway
 * (`test-gateway.ts`) implements it; a real processor's adapter sits beside it and is chosen by
 * PORTICO_GATEWAY (`index.ts`).
 *
 * Rules for adapters:
 *  - `reference` is Portico's one-time payment key (cust_pay_pending.payunique). Send it as the
 *    processor's idempotency key / merchant reference, so a repeated request can never charge twice
 *    and `lookup` can find the transaction after a crash.
 *  - Enforce your own network timeout (`timeoutMs`) and answer `{ status: "error", timedOut: true }`
 *    when it passes: Portico never retries a sale on its own.
 *  - Never log or echo the instrument (card number, CVV, account number); messages are the
 *    processor's plain text, without them.
 */
export interface CardInstrument {
  kind: "card";
  /** Digits only. */
  number: string;
  expMonth: number;
  expYear: number;
  /** For this one request only; never stored. */
  cvv?: string;
  name: string;
  /** Freeside's type name ("VISA card", "MasterCard", …). */
  cardType: string;
}

export interface BankInstrument {
  kind: "bank";
  account: string;
  /** 9-digit ABA routing number. */
  routing: string;
  accountType: Paytype | null;
  /** Name on the account / bank name (Freeside's payname for checks). */
  name: string;
  /** Bank state (US state code). */
  state?: string | null;
}

export type PaymentInstrument = CardInstrument | BankInstrument;

export interface SaleRequest {
  reference: string;
  amountCents: number;
  currency: string;
  instrument: PaymentInstrument;
  custnum: number;
  ip?: string | null;
}

export interface RefundRequest {
  reference: string;
  /** The sale's order number, as returned by `sale`. */
  orderNumber: string;
  amountCents: number;
  currency: string;
}

export interface VoidRequest {
  reference: string;
  orderNumber: string;
}

/** Freeside's cust_pay_pending.failure_status values. */
export type FailureStatus = "expired" | "nsf" | "stolen" | "pickup" | "blacklisted" | "declined";

export type GatewayOutcome =
  | { status: "approved"; authCode: string; orderNumber: string }
  | { status: "declined"; message: string; failureStatus: FailureStatus }
  | { status: "error"; message: string; timedOut?: boolean };

export type LookupResult =
  | { kind: "found"; outcome: GatewayOutcome }
  | { kind: "not_found" }
  /** The processor cannot be asked (no lookup API): the outcome stays unknown. */
  | { kind: "unsupported" };

export interface PaymentGateway {
  /** Stored as cust_pay.processor / cust_pay_pending.processor. */
  readonly name: string;
  /** The longest a call may take before the adapter gives up. */
  readonly timeoutMs: number;
  sale(req: SaleRequest): Promise<GatewayOutcome>;
  refund(req: RefundRequest): Promise<GatewayOutcome>;
  void(req: VoidRequest): Promise<GatewayOutcome>;
  /** What became of the sale sent with this reference (crash recovery). */
  lookup(reference: string): Promise<LookupResult>;
}
