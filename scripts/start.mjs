#!/usr/bin/env node
// `npm start`: one command from a fresh clone to a running portal.
//
// Without DATABASE_URL it runs on embedded PGlite in .data/pglite. It applies migrations, seeds
// the demo ISP the first time, builds the app if there is no build, and serves on
// http://localhost:3000 (PORT to change; the demo listens on localhost only unless HOST is set).
// With DATABASE_URL it applies migrations and serves on every interface (HOST to narrow it); the
// demo ISP, whose logins are published, is seeded into PostgreSQL only with PORTICO_DEMO=1.
// The server is scripts/server.mjs (Next.js behind the client-address and availability rules).
// Missing secrets (AUTH_SECRET, PORTICO_VAULT_KEY) are generated once into .data/secrets.json
// with a warning: fine for a demo, not for production.
//
//   npm start                 build if needed, serve
//   npm start -- --rebuild    force a fresh `next build`
//   npm start -- --prepare-only   migrations (and the demo seed where it applies), then stop
//   npm run dev               next dev (hot reload) on the same database
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import path from "node:path";
import { serverNodeFlags } from "./support/server-flags.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const args = process.argv.slice(2);
const dev = args.includes("--dev");
const rebuild = args.includes("--rebuild");
const prepareOnly = args.includes("--prepare-only");

// .env without overriding the real environment (Node's own parser; db/seed/env-file.ts does the same).
if (existsSync(".env")) process.loadEnvFile(".env");

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const port = env.PORT ?? "3000";
env.NEXTAUTH_URL ??= `http://localhost:${port}`;

mkdirSync(".data", { recursive: true });
const secretsFile = path.join(".data", "secrets.json");
let secrets = existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, "utf8")) : {};
let generated = false;
if (!env.AUTH_SECRET && !env.NEXTAUTH_SECRET) {
  secrets.authSecret ??= (generated = true, randomBytes(32).toString("hex"));
  env.AUTH_SECRET = secrets.authSecret;
  console.warn("⚠  AUTH_SECRET is not set: using a generated one from .data/secrets.json (set it in production).");
}
if (!env.PORTICO_VAULT_KEY) {
  secrets.vaultKey ??= (generated = true, randomBytes(32).toString("hex"));
  env.PORTICO_VAULT_KEY = secrets.vaultKey;
  console.warn("⚠  PORTICO_VAULT_KEY is not set: card numbers are encrypted with a generated demo key from .data/secrets.json.");
  console.warn("   Set your own 32-byte key in production and keep it out of the data folder's backups.");
}
if (generated) {
  writeFileSync(secretsFile, JSON.stringify(secrets, null, 2));
  chmodSync(secretsFile, 0o600);
}
if (!env.DATABASE_URL) env.PGLITE_DIR ??= path.join(".data", "pglite");
console.log(env.DATABASE_URL ? "Database: PostgreSQL (DATABASE_URL)" : `Database: embedded PGlite in ${env.PGLITE_DIR}`);

function run(cmd, cmdArgs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: "inherit", env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const tsNode = ["--import", "./scripts/support/register.mjs"];
// The demo ISP's logins and passwords are in the README: it goes into the embedded demo database,
// and into PostgreSQL only when asked for. A production database gets its migrations and nothing else.
const seedDemo = !env.DATABASE_URL || env.PORTICO_DEMO === "1";
if (seedDemo) {
  // Migrations and the demo seed (the seed skips itself once the demo ISP exists, and prints the logins).
  if ((await run(process.execPath, [...tsNode, "db/seed/run.ts", "--if-empty"])) !== 0) {
    console.error("Could not prepare the database (see above).");
    process.exit(1);
  }
} else {
  if ((await run(process.execPath, [...tsNode, "db/migrate.ts"])) !== 0) {
    console.error("Could not apply the migrations (see above).");
    process.exit(1);
  }
  console.log("No demo data (PORTICO_DEMO is not 1). An empty database has no agent or catalogue yet: see the README's");
  console.log("“Your own ISP” section to create them, or start with PORTICO_DEMO=1 to try Portico with the demo ISP.");
}

if (prepareOnly) process.exit(0);

const next = path.join("node_modules", "next", "dist", "bin", "next");
if (dev) {
  process.exit(await run(process.execPath, [next, "dev", "-p", port]));
}
if (rebuild || !existsSync(path.join(".next", "BUILD_ID"))) {
  console.log("Building the app (first start only; `npm start -- --rebuild` to rebuild)…");
  if ((await run(process.execPath, [next, "build"])) !== 0) process.exit(1);
}
console.log(`\nPortico on http://localhost:${port}  (Ctrl-C to stop)\n`);
env.PORT = port;
const server = spawn(process.execPath, [...serverNodeFlags(env), path.join("scripts", "server.mjs")], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));
