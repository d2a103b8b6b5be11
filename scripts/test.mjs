#!/usr/bin/env node
// `npm test`: every test, against real PostgreSQL, then the embedded driver, then the browser.
//
//   1. builds a migrated template database once (each test file clones it and drops its copy);
//   2. node:test over tests/**/*.test.ts against PostgreSQL;
//   3. tests/core/ again on PGlite (the embedded driver `npm start` uses by default);
//   4. `next build`, a demo-seeded database, and Playwright in Debian's Chromium (e2e/).
// Exits non-zero on any failure and always drops the databases it made.
//
//   npm test                 everything
//   npm test -- --no-e2e     skip step 4
//   npm test -- --only-e2e   only step 4
//   npm test -- tests/x.test.ts   only those files (no e2e)
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { withMachineLock } from "./support/machine-lock.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);

const args = process.argv.slice(2);
const onlyE2e = args.includes("--only-e2e");
const explicitFiles = onlyE2e ? [] : args.filter((a) => !a.startsWith("--"));
// With --only-e2e, other arguments go to Playwright (spec files, --grep …).
const playwrightArgs = onlyE2e ? args.filter((a) => a !== "--only-e2e") : [];
const runE2e = !args.includes("--no-e2e") && explicitFiles.length === 0 && process.env.PORTICO_SKIP_E2E !== "1";
const runUnit = !onlyE2e;

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const host = new URL(ADMIN_URL).hostname;
if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
  console.error(`npm test refuses to run against a non-local database (${host}).`);
  process.exit(2);
}

const baseEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  TEST_DATABASE_URL: ADMIN_URL,
  AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("hex"),
  PORTICO_VAULT_KEY: process.env.PORTICO_VAULT_KEY ?? randomBytes(32).toString("hex"),
  // Cheaper scrypt in tests (the production cost is tested explicitly); same algorithm. Below the
  // floor lib/env.ts enforces, hence the test-only PORTICO_TEST_WEAK_HASH=1.
  PORTICO_SCRYPT_LOG_N: process.env.PORTICO_SCRYPT_LOG_N ?? "12",
  PORTICO_SCRYPT_P: process.env.PORTICO_SCRYPT_P ?? "1",
  PORTICO_TEST_WEAK_HASH: "1",
};

function dbUrl(name) {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

function run(cmd, cmdArgs, env = baseEnv) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: "inherit", env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) {
      if (entry !== "support") out.push(...findTests(p));
    } else if (entry.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const created = [];
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });

async function createDatabase(name, template) {
  await admin.unsafe(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
  created.push(name);
}

async function dropAll() {
  for (const name of created.reverse()) {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  }
  await admin.end({ timeout: 5 });
}

async function migrateTemplate(name) {
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(dbUrl(name), { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(client), { migrationsFolder: path.join(root, "db", "migrations") });
  } finally {
    await client.end({ timeout: 5 });
  }
}

const results = [];
const tsNode = ["--import", "./scripts/support/register.mjs"];

async function main() {
  const tag = randomBytes(4).toString("hex");
  const template = `portico_tpl_${tag}`;
  await createDatabase(template);
  await migrateTemplate(template);
  const env = { ...baseEnv, PORTICO_TEST_TEMPLATE: template };

  if (runUnit) {
    const files = explicitFiles.length ? explicitFiles : findTests("tests");
    console.log(`\n::: node:test — ${files.length} files against PostgreSQL`);
    results.push(["integration (PostgreSQL)", await run(process.execPath, [...tsNode, "--test", "--test-concurrency=2", ...files], env)]);
    if (!explicitFiles.length) {
      const core = findTests(path.join("tests", "core"));
      console.log(`\n::: node:test — tests/core on PGlite`);
      results.push(["core (PGlite)", await run(process.execPath, [...tsNode, "--test", "--test-concurrency=1", ...core], { ...env, PORTICO_TEST_DRIVER: "pglite" })]);
    }
  }

  if (runE2e) await withMachineLock(() => e2e(env, tag, template), (line) => console.log(`::: ${line}`));
}

async function e2e(env, tag, template) {
  {
    console.log("\n::: next build");
    const buildCode = await run(process.execPath, ["node_modules/next/dist/bin/next", "build"], env);
    results.push(["next build", buildCode]);
    if (buildCode === 0) {
      const e2eDb = `portico_e2e_${tag}`;
      await createDatabase(e2eDb, template);
      const e2eEnv = { ...env, DATABASE_URL: dbUrl(e2eDb), PORTICO_E2E_DATABASE_URL: dbUrl(e2eDb) };
      console.log("\n::: demo seed for e2e");
      const seedCode = await run(process.execPath, [...tsNode, "db/seed/run.ts"], e2eEnv);
      results.push(["e2e seed", seedCode]);
      if (seedCode === 0) {
        console.log("\n::: Playwright (Debian Chromium)");
        mkdirSync("test-results", { recursive: true });
        const report = path.join(root, ".e2e-report.json");
        const code = await run(process.execPath, ["node_modules/@playwright/test/cli.js", "test", "--reporter=list,json", ...playwrightArgs], {
          ...e2eEnv,
          PLAYWRIGHT_JSON_OUTPUT_NAME: report,
        });
        results.push(["e2e (Chromium)", code]);
        if (existsSync(report)) {
          const stats = JSON.parse(readFileSync(report, "utf8")).stats ?? {};
          const failed = stats.unexpected ?? 0;
          console.log(`\ne2e: ${stats.expected ?? 0} passed, ${failed} failed${stats.skipped ? `, ${stats.skipped} skipped` : ""}${stats.flaky ? ` (${stats.flaky} flaky, passed on retry)` : ""}`);
        }
      }
    }
  }
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  console.error("npm test could not run:", e);
  exitCode = 1;
} finally {
  await dropAll();
}
console.log("\n::: summary");
for (const [name, code] of results) {
  console.log(`${code === 0 ? "PASS" : "FAIL"}  ${name}`);
  if (code !== 0) exitCode = 1;
}
if (results.length === 0) exitCode = exitCode || 1;
process.exit(exitCode);
