// A child process serving Portico's real RPC handlers (tests/support/rpc-server.ts) on a free
// port, for tests that must watch a whole process: memory limits, crashes. Prints
// `listening <url>` once ready. Started by `spawnRpcChild` (tests/support/rpc-child-process.ts).
import { startRpcServer } from "./rpc-server";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("rpc-child: DATABASE_URL is required");
  process.exit(2);
}
const server = await startRpcServer(url);
console.log(`listening ${server.url}`);
process.on("SIGTERM", () => void server.close().finally(() => process.exit(0)));
