// `npm run db:seed`: applies migrations, then seeds the demo ISP unless it is already there, and
// prints the demo logins. `npm start` runs it with --if-empty.
//
//   npm run db:seed                   DATABASE_URL → PostgreSQL, else PGlite in PGLITE_DIR (.data/pglite)
//   npm run db:seed -- --if-empty     seed only a database with no agents or customers
//   npm run db:seed -- --customers N  the scale seed: the demo (if the database is empty), then N
//                                     ISP-shaped customers with 12–36 months of billing history
//                                     (PostgreSQL; PGlite only up to 5,000). Needs PORTICO_VAULT_KEY
//                                     (or the key `npm start` generated in .data/secrets.json).
import { existsSync, readFileSync } from "node:fs";
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

if (args.customers !== undefined) {
  const { SCALE_PGLITE_MAX } = await import("./scale");
  if (!target.url && args.customers > SCALE_PGLITE_MAX) {
    console.error(
      `The scale seed of more than ${SCALE_PGLITE_MAX.toLocaleString("en-US")} customers needs PostgreSQL: set DATABASE_URL=postgres://… ` +
        `(embedded PGlite runs in one WebAssembly process and is for demos and tests).`,
    );
    process.exit(1);
  }
  // The key the server will open payment methods with: the environment's, else the one `npm start` generated.
  if (!process.env.PORTICO_VAULT_KEY && existsSync(".data/secrets.json")) {
    const saved = JSON.parse(readFileSync(".data/secrets.json", "utf8")) as { vaultKey?: string };
    if (saved.vaultKey) process.env.PORTICO_VAULT_KEY = saved.vaultKey;
  }
}

let exitCode = 0;
const handle = await openDb({ url: target.url, pgliteDir: target.pgliteDir, poolMax: 2, migrate: true });
try {
  if (args.customers === undefined) {
    const outcome = await seedDemoIfNeeded(handle.db, (line) => console.log(line), { ifEmpty: args.ifEmpty });
    if (outcome.result !== "not-empty") {
      console.log("");
      for (const line of formatDemoLogins()) console.log(line);
    }
  } else {
    const { formatScaleSummary, seedScale } = await import("./scale");
    const { createProgressBar } = await import("./progress-bar");
    // The scale seed builds on the demo catalogue; it never goes into a database holding other data.
    const demo = await seedDemoIfNeeded(handle.db, (line) => console.log(line), { ifEmpty: true });
    if (demo.result === "not-empty") {
      exitCode = 1;
    } else {
      const bar = createProgressBar(`Scale seed (${args.customers.toLocaleString("en-US")} customers)`);
      const outcome = await seedScale(handle.db, {
        customers: args.customers,
        onProgress: (f, label) => bar.update(f, label),
      });
      if (outcome.result === "already-seeded") {
        console.log(`The database already holds ${outcome.customers.toLocaleString("en-US")} scale customers: nothing to do.`);
      } else {
        bar.done("done");
        for (const line of formatScaleSummary(outcome.summary)) console.log(line);
        console.log(`Every scale customer logs in with <first>.<last>.<n>@scale.example and the demo password (see the demo logins).`);
      }
    }
  }
} catch (e) {
  console.error("");
  const what = args.customers === undefined ? "Seeding failed; nothing was written:" : "Scale seeding failed; no scale customer was written:";
  console.error(what, e instanceof Error && "code" in e ? e.message : e);
  exitCode = 1;
} finally {
  await handle.close();
}
process.exit(exitCode);
