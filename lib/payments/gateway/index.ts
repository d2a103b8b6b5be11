import "server-only";
import { getDb, type Db } from "@/db/client";
import { getEnv } from "@/lib/env";
import { TestGateway } from "./test-gateway";
import type { PaymentGateway } from "./types";

export type { PaymentGateway, GatewayOutcome, LookupResult, PaymentInstrument, SaleRequest, FailureStatus } from "./types";

const KEY = Symbol.for("portico.gateway");
type Holder = { [KEY]?: { config: string; gateway: PaymentGateway; byDb: WeakMap<object, PaymentGateway> } };

function makeGateway(db: Db | (() => Promise<Db>)): PaymentGateway {
  const env = getEnv();
  switch (env.PORTICO_GATEWAY) {
    case "test":
      // Its ledger is durable, in Portico's own database (table test_gateway_charge).
      return new TestGateway({ timeoutMs: env.PORTICO_TEST_GATEWAY_TIMEOUT_MS, db });
  }
}

/**
 * The gateway in use, chosen by PORTICO_GATEWAY (only `test` so far; a real processor's adapter
 * is added here beside it). One instance per process and configuration — and per database pool
 * when one is given: the test gateway keeps its ledger in that pool (a script such as
 * `npm run bill` opens its own), else in the process's database (`getDb()`).
 */
export function getGateway(db?: Db): PaymentGateway {
  const env = getEnv();
  const config = `${env.PORTICO_GATEWAY}:${env.PORTICO_TEST_GATEWAY_TIMEOUT_MS}`;
  const holder = globalThis as Holder;
  if (holder[KEY]?.config !== config) holder[KEY] = { config, gateway: makeGateway(getDb), byDb: new WeakMap() };
  const h = holder[KEY];
  if (!db) return h.gateway;
  let g = h.byDb.get(db);
  if (!g) {
    g = makeGateway(db);
    h.byDb.set(db, g);
  }
  return g;
}
