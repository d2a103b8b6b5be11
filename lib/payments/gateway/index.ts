import "server-only";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { TestGateway } from "./test-gateway";
import type { PaymentGateway } from "./types";

export type { PaymentGateway, GatewayOutcome, LookupResult, PaymentInstrument, SaleRequest, FailureStatus } from "./types";

const KEY = Symbol.for("portico.gateway");
type Holder = { [KEY]?: { config: string; gateway: PaymentGateway } };

/**
 * The gateway in use, chosen by PORTICO_GATEWAY (only `test` so far; a real processor's adapter
 * is added here beside it). One instance per process and configuration.
 */
export function getGateway(): PaymentGateway {
  const env = getEnv();
  const config = `${env.PORTICO_GATEWAY}:${env.PORTICO_TEST_GATEWAY_TIMEOUT_MS}`;
  const holder = globalThis as Holder;
  if (holder[KEY]?.config === config) return holder[KEY].gateway;
  let gateway: PaymentGateway;
  switch (env.PORTICO_GATEWAY) {
    case "test":
      // Its ledger is durable, in Portico's own database (table test_gateway_charge).
      gateway = new TestGateway({ timeoutMs: env.PORTICO_TEST_GATEWAY_TIMEOUT_MS, db: getDb });
      break;
  }
  holder[KEY] = { config, gateway };
  return gateway;
}
