// Opens the database named by DATABASE_URL through db/client.ts's openDb (applying migrations),
// but only once told to on stdin ("go"), so a test can start two of these at the same moment.
import { createInterface } from "node:readline";
import { openDb } from "../../../db/client";

const url = process.env.DATABASE_URL!;
console.log("ready");
const rl = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => rl.once("line", () => resolve()));
rl.close();
try {
  const handle = await openDb({ url, poolMax: 1 });
  await handle.close();
  console.log("migrated");
  process.exit(0);
} catch (e) {
  console.log(`failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
