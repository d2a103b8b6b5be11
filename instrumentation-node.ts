// Validates the environment (a missing secret stops the boot with a clear message) and opens
// the database, applying migrations, before the server answers its first request.
import { getEnv, EnvError } from "./lib/env";
import { getDbHandle } from "./db/client";

try {
  getEnv();
} catch (e) {
  if (e instanceof EnvError) {
    console.error(`\n${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
await getDbHandle();

// Payments and signups a crash of an earlier run left unfinished are settled in the background
// (never charged again; see lib/payments/process-payment.ts settleAtStart): readiness is not delayed.
void (async () => {
  try {
    const { getDb } = await import("./db/client");
    const { settleAtStart } = await import("./lib/payments/process-payment");
    await settleAtStart(await getDb());
  } catch (e) {
    console.error(`[payments] settling unfinished payments at start failed: ${e instanceof Error ? e.message : String(e)}`);
  }
})();
