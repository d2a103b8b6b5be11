// `npm run db:seed`: applies migrations, then seeds the demo ISP unless it is already there, and
// prints the demo logins. `npm start` runs it with --if-empty.
//
//   npm run db:seed                   DATABASE_URL → PostgreSQL, else PGlite in PGLITE_DIR (.data/pglite)
//   npm run db:seed -- --if-empty     seed only a database with no agents or customers
//   npm run db:seed -- --customers N  the scale seed (issue 7)
import { databaseFromEnv, loadDotEnv } from "./env-file";

// .env first: modules below read settings (e.g. PORTICO_SCRYPT_LOG_N) when they load.
loadDotEnv();
const { openDb } = await import("../client");
const { formatDemoLogins } = await import("./demo-logins");
const { parseSeedArgs, seedDemoIfNeeded } = await import("./cli");
const args = parseSeedArgs(process.argv.slice(2));
if (!args.ok) {
  console.error(args.message);
  process.exit(args.exitCode);
}

const target = databaseFromEnv();
console.log(`Database: ${target.label}`);
let exitCode = 0;
const handle = await openDb({ url: target.url, pgliteDir: target.pgliteDir, poolMax: 2, migrate: true });
try {
  const outcome = await seedDemoIfNeeded(handle.db, (line) => console.log(line), { ifEmpty: args.ifEmpty });
  if (outcome.result !== "not-empty") {
    console.log("");
    for (const line of formatDemoLogins()) console.log(line);
  }
} catch (e) {
  console.error("Seeding failed; nothing was written:", e);
  exitCode = 1;
} finally {
  await handle.close();
}
process.exit(exitCode);
