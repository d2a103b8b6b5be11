import "server-only";
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { testGatewayCharge } from "@/db/schema";
import type { FailureStatus, GatewayOutcome, LookupResult, PaymentGateway, RefundRequest, SaleRequest, VoidRequest } from "./types";

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
 * the same request always gets the same answer. The gateway keeps no secrets: it remembers only
 * each reference's outcome (as a processor does), so `lookup` can answer after a crash. Given a
 * database (`getGateway()` gives it Portico's own), that memory is durable: the table
 * `test_gateway_charge`, written by the gateway itself in its own autocommitted statement before it
 * answers — the "processor's" record, which survives a crash of the app between an approval and its
 * recording. Made without one (unit tests), it remembers in process memory.
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

/** Where the test gateway remembers what it answered, by reference. */
interface Ledger {
  get(reference: string): Promise<GatewayOutcome | undefined>;
  /** Records the outcome unless the reference is already known; returns the one that counts. */
  put(reference: string, amountCents: number, outcome: GatewayOutcome): Promise<GatewayOutcome>;
  markVoided(reference: string): Promise<void>;
}

const LEDGER_KEY = Symbol.for("portico.testGateway.ledger");
const LEDGER_MAX = 100_000;

/** Process memory (shared by every instance in the process): for a TestGateway made without a database. */
function memoryLedger(): Ledger {
  const g = globalThis as { [LEDGER_KEY]?: Map<string, GatewayOutcome> };
  const l = (g[LEDGER_KEY] ??= new Map());
  return {
    async get(reference) {
      return l.get(reference);
    },
    async put(reference, _amountCents, outcome) {
      const known = l.get(reference);
      if (known) return known;
      l.set(reference, outcome);
      if (l.size > LEDGER_MAX) l.delete(l.keys().next().value as string); // oldest first
      return outcome;
    },
    async markVoided() {},
  };
}

type ChargeRow = typeof testGatewayCharge.$inferSelect;

function outcomeOf(r: ChargeRow): GatewayOutcome {
  if (r.status === "approved") return { status: "approved", authCode: r.authCode ?? "", orderNumber: r.orderNumber ?? "" };
  if (r.status === "declined") return { status: "declined", message: r.message ?? "Declined", failureStatus: (r.failureStatus ?? "declined") as FailureStatus };
  return r.timedOut === "Y" ? { status: "error", message: r.message ?? "", timedOut: true } : { status: "error", message: r.message ?? "" };
}

/** The durable ledger: table test_gateway_charge, one autocommitted statement per write (never a caller's transaction). */
function databaseLedger(getDb: () => Promise<Db>): Ledger {
  const read = async (db: Db, reference: string) => {
    const [row] = await db.select().from(testGatewayCharge).where(eq(testGatewayCharge.reference, reference));
    return row ? outcomeOf(row) : undefined;
  };
  return {
    async get(reference) {
      return read(await getDb(), reference);
    },
    async put(reference, amountCents, o) {
      const db = await getDb();
      const [row] = await db
        .insert(testGatewayCharge)
        .values({
          reference,
          amount: amountCents,
          status: o.status,
          authCode: o.status === "approved" ? o.authCode : null,
          orderNumber: o.status === "approved" ? o.orderNumber : null,
          message: o.status === "approved" ? null : o.message.slice(0, 500),
          failureStatus: o.status === "declined" ? o.failureStatus : null,
          timedOut: o.status === "error" && o.timedOut ? "Y" : null,
        })
        .onConflictDoNothing({ target: testGatewayCharge.reference })
        .returning({ reference: testGatewayCharge.reference });
      if (row) return o;
      return (await read(db, reference)) ?? o;
    },
    async markVoided(reference) {
      const db = await getDb();
      await db.update(testGatewayCharge).set({ voided: sql`now()` }).where(eq(testGatewayCharge.reference, reference));
    },
  };
}

function digest(...parts: (string | number)[]): string {
  return createHash("sha256").update(parts.join("|")).digest("hex").toUpperCase();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TestGateway implements PaymentGateway {
  readonly name = "test";
  readonly timeoutMs: number;

  private readonly ledger: Ledger;

  /**
   * `db`: where the ledger is kept (the pool, or a function giving it); without it, process memory.
   */
  constructor(opts: { timeoutMs?: number; db?: Db | (() => Promise<Db>) } = {}) {
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    const db = opts.db;
    this.ledger = db === undefined ? memoryLedger() : databaseLedger(typeof db === "function" ? db : async () => db);
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
    const known = await this.ledger.get(req.reference);
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
    // The processor records the charge before it answers.
    return this.ledger.put(req.reference, req.amountCents, outcome);
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
    await this.ledger.markVoided(req.reference);
    return {
      status: "approved",
      authCode: digest("void-auth", req.reference, req.orderNumber).slice(0, 6),
      orderNumber: req.orderNumber,
    };
  }

  async lookup(reference: string): Promise<LookupResult> {
    const outcome = await this.ledger.get(reference);
    return outcome ? { kind: "found", outcome } : { kind: "not_found" };
  }
}
