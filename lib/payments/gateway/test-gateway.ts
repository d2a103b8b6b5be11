import "server-only";
import { createHash } from "node:crypto";
import type { GatewayOutcome, LookupResult, PaymentGateway, RefundRequest, SaleRequest, VoidRequest } from "./types";

/**
 * The built-in **test gateway** (PORTICO_GATEWAY=test, the default): a real implementation of the
 * gateway interface that charges nothing. Its answers depend only on the request, using the card
 * numbers the payments world already knows:
 *
 * | card number          | type             | result                                              |
 * |----------------------|------------------|-----------------------------------------------------|
 * | 4111 1111 1111 1111  | Visa             | approved                                            |
 * | 4242 4242 4242 4242  | Visa             | approved                                            |
 * | 5555 5555 5555 4444  | Mastercard       | approved                                            |
 * | 3782 822463 10005    | American Express | approved                                            |
 * | 6011 1111 1111 1117  | Discover         | approved                                            |
 * | 4000 0000 0000 0002  | Visa             | declined ("Card declined")                          |
 * | 4000 0000 0000 0069  | Visa             | declined as expired ("Expired card")                |
 * | 4000 0000 0000 0119  | Visa             | processing error                                    |
 * | 4000 0000 0000 9995  | Visa             | times out after PORTICO_TEST_GATEWAY_TIMEOUT_MS     |
 * | any other valid card |                  | approved                                            |
 *
 * | bank account (any valid ABA routing, e.g. 110000000) | result                           |
 * |------------------------------------------------------|----------------------------------|
 * | 000123456789                                         | approved                         |
 * | 000222222227                                         | declined: insufficient funds     |
 * | 000111111113                                         | declined: account closed         |
 * | 000333333335                                         | processing error                 |
 * | 000444444440                                         | times out                        |
 * | any other account                                    | approved                         |
 *
 * Any expiration date in the future, any name and any CVV are accepted. Authorisation codes and
 * order numbers are derived from the request's reference and amount (never from the number), so
 * the same request always gets the same answer. The gateway keeps no secrets: it remembers, in
 * process memory, only each reference's outcome (as a processor does), so `lookup` can answer
 * after a simulated crash.
 */
export const TEST_CARDS = {
  visa: "4111111111111111",
  visa2: "4242424242424242",
  mastercard: "5555555555554444",
  amex: "378282246310005",
  discover: "6011111111111117",
  declined: "4000000000000002",
  expired: "4000000000000069",
  processingError: "4000000000000119",
  timeout: "4000000000009995",
} as const;

export const TEST_BANK = {
  routing: "110000000",
  approved: "000123456789",
  insufficientFunds: "000222222227",
  accountClosed: "000111111113",
  processingError: "000333333335",
  timeout: "000444444440",
} as const;

type Ledger = Map<string, GatewayOutcome>;
const LEDGER_KEY = Symbol.for("portico.testGateway.ledger");

/** The test gateway's memory of references it has answered (shared by every instance in the process). */
function ledger(): Ledger {
  const g = globalThis as { [LEDGER_KEY]?: Ledger };
  return (g[LEDGER_KEY] ??= new Map());
}

const LEDGER_MAX = 100_000;

function remember(reference: string, outcome: GatewayOutcome): void {
  const l = ledger();
  l.set(reference, outcome);
  if (l.size > LEDGER_MAX) l.delete(l.keys().next().value as string); // oldest first
}

function digest(...parts: (string | number)[]): string {
  return createHash("sha256").update(parts.join("|")).digest("hex").toUpperCase();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TestGateway implements PaymentGateway {
  readonly name = "test";
  readonly timeoutMs: number;

  constructor(opts: { timeoutMs?: number } = {}) {
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  /** The outcome for a request, from the table above. */
  private decide(req: SaleRequest): GatewayOutcome | "timeout" {
    const i = req.instrument;
    if (i.kind === "card") {
      switch (i.number) {
        case TEST_CARDS.declined:
          return { status: "declined", message: "Card declined", failureStatus: "declined" };
        case TEST_CARDS.expired:
          return { status: "declined", message: "Expired card", failureStatus: "expired" };
        case TEST_CARDS.processingError:
          return { status: "error", message: "Processing error at the card processor" };
        case TEST_CARDS.timeout:
          return "timeout";
      }
    } else {
      switch (i.account) {
        case TEST_BANK.insufficientFunds:
          return { status: "declined", message: "Insufficient funds", failureStatus: "nsf" };
        case TEST_BANK.accountClosed:
          return { status: "declined", message: "Account closed", failureStatus: "declined" };
        case TEST_BANK.processingError:
          return { status: "error", message: "Processing error at the ACH processor" };
        case TEST_BANK.timeout:
          return "timeout";
      }
    }
    return {
      status: "approved",
      authCode: digest("auth", req.reference, req.amountCents).slice(0, 6),
      orderNumber: `TEST-${digest("order", req.reference, req.amountCents).slice(0, 16)}`,
    };
  }

  async sale(req: SaleRequest): Promise<GatewayOutcome> {
    const known = ledger().get(req.reference);
    if (known) return known; // idempotent by reference, like a real processor
    const d = this.decide(req);
    let outcome: GatewayOutcome;
    if (d === "timeout") {
      await sleep(this.timeoutMs);
      outcome = { status: "error", message: "The payment gateway did not respond in time", timedOut: true };
    } else {
      await sleep(5); // a processor is never instantaneous; lets concurrent callers interleave
      outcome = d;
    }
    remember(req.reference, outcome);
    return outcome;
  }

  async refund(req: RefundRequest): Promise<GatewayOutcome> {
    if (!req.orderNumber.startsWith("TEST-")) return { status: "error", message: "Unknown transaction" };
    if (!(req.amountCents > 0)) return { status: "error", message: "Invalid refund amount" };
    return {
      status: "approved",
      authCode: digest("refund-auth", req.reference, req.orderNumber, req.amountCents).slice(0, 6),
      orderNumber: `TEST-R-${digest("refund", req.reference, req.orderNumber, req.amountCents).slice(0, 14)}`,
    };
  }

  async void(req: VoidRequest): Promise<GatewayOutcome> {
    if (!req.orderNumber.startsWith("TEST-")) return { status: "error", message: "Unknown transaction" };
    return {
      status: "approved",
      authCode: digest("void-auth", req.reference, req.orderNumber).slice(0, 6),
      orderNumber: req.orderNumber,
    };
  }

  async lookup(reference: string): Promise<LookupResult> {
    const outcome = ledger().get(reference);
    return outcome ? { kind: "found", outcome } : { kind: "not_found" };
  }
}
