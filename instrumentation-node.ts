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
