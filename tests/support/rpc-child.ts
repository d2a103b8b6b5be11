/**
 * A Portico process of its own, for tests that must watch a whole process — crashes
 * (tests/hardening/crash-recovery.test.ts), memory limits and a database that goes away
 * (tests/support/rpc-child-process.ts): run as
 *   node --import ./scripts/support/register.mjs tests/support/rpc-child.ts
 * with DATABASE_URL (and the usual env) set. It serves the real RPC handlers over HTTP
 * (tests/support/rpc-server.ts) and, like the server's start (instrumentation-node.ts), settles in
 * the background what an earlier run left unfinished (settleAtStart). Prints one line
 * `listening <url>` when it answers, then the settle line `[payments] settled at start: …`.
 *
 * CRASH_TEST_RESPONSE_DELAY_MS (tests only): the gateway's answer reaches Portico up to that many
 * milliseconds after the test gateway recorded the charge (a slow network), which widens the window
 * "approved by the processor, not yet recorded by Portico" a SIGKILL is meant to hit;
 * CRASH_TEST_SIGNUP_DELAY_MS: the same, exactly that long, for signups' first charges.
 */
import { startRpcServer } from "./rpc-server";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
const delayMs = Number(process.env.CRASH_TEST_RESPONSE_DELAY_MS ?? "0");
const signupDelayMs = Number(process.env.CRASH_TEST_SIGNUP_DELAY_MS ?? "0");

const srv = await startRpcServer(url);
const { getEnv } = await import("../../lib/env");
const { getGateway } = await import("../../lib/payments/gateway");
const { getDb } = await import("../../db/client");
const db = await getDb();
if (delayMs > 0 || signupDelayMs > 0) {
  const env = getEnv();
  const inner = getGateway(db);
  const slow = Object.create(inner) as typeof inner;
  slow.sale = async (req) => {
    const outcome = await inner.sale(req);
    const wait = req.reference.startsWith("signup-") ? signupDelayMs : Math.floor(Math.random() * delayMs);
    await new Promise((r) => setTimeout(r, wait));
    return outcome;
  };
  (globalThis as Record<symbol, unknown>)[Symbol.for("portico.gateway")] = {
    config: `${env.PORTICO_GATEWAY}:${env.PORTICO_TEST_GATEWAY_TIMEOUT_MS}`,
    gateway: slow,
    byDb: new WeakMap([[db, slow]]),
  };
}
console.log(`listening ${srv.url}`);

const { settleAtStart } = await import("../../lib/payments/process-payment");
void settleAtStart(db).catch((e: unknown) => console.error(`[payments] settle at start failed: ${String(e)}`));
