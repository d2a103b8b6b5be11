// `npm run bench`: builds and starts the production server (scripts/server.mjs, as `npm start`
// runs it) against scale-seeded databases and measures every hot page and RPC method against
// Next.js's own ceiling on this machine (a trivial dynamic page, a trivial route handler), at 1 and
// 8 connections, with autocannon; then a concurrency curve (1–512 connections) on the largest
// dataset, and two server processes behind a Node balancer against one (scale out). Prints the
// tables and the budgets (PASS/FAIL), writes bench/results/latest.{md,json} and appends a row to
// bench/results/history.csv. Exit code: 0 all budgets pass, 1 a budget fails, 2 it could not run.
//
//   npm run bench                                   1,000 and 100,000 customers (seeded when needed)
//   npm run bench -- --customers-large 20000 --duration 5
//   npm run bench -- --single --database-url postgres://…/somedb   that database as it is
//   npm run bench -- --scale-out                    only the scale-out measurement
// Not part of npm test. See bench/README.md.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawn } from "node:child_process";
import { databaseForSize, isPartial, parseBenchArgs, type BenchOptions } from "./lib/options";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);

let opts: BenchOptions;
try {
  opts = parseBenchArgs(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}

// One set of secrets for the seeds and the servers (kept in bench/tmp/, which git ignores), so a
// database seeded by an earlier run still opens its payment methods. Production password cost.
const tmpDir = path.join(root, "bench", "tmp");
mkdirSync(tmpDir, { recursive: true });
const secretsFile = path.join(tmpDir, "secrets.json");
const saved = existsSync(secretsFile) ? (JSON.parse(readFileSync(secretsFile, "utf8")) as { authSecret?: string; vaultKey?: string }) : {};
saved.authSecret ??= randomBytes(32).toString("hex");
saved.vaultKey ??= randomBytes(32).toString("hex");
writeFileSync(secretsFile, JSON.stringify(saved, null, 2), { mode: 0o600 });
Object.assign(process.env, {
  AUTH_SECRET: process.env.AUTH_SECRET || saved.authSecret,
  PORTICO_VAULT_KEY: process.env.PORTICO_VAULT_KEY || saved.vaultKey,
  NEXTAUTH_URL: `http://127.0.0.1:${opts.port}`,
  PORTICO_BENCH: "1",
  NEXT_TELEMETRY_DISABLED: "1",
});
delete process.env.PORTICO_SCRYPT_LOG_N;
delete process.env.PORTICO_SCRYPT_P;
delete process.env.DATABASE_URL;

const { default: postgres } = await import("postgres");
const { openDb } = await import("../db/client");
const { countScaleCustomers } = await import("../db/seed/scale");
const { median, prepareFixtures, timePasswordChecks, timePasswordHash } = await import("./lib/fixtures");
const { buildEndpoints, fetchCsrf } = await import("./lib/endpoints");
const { measure, measureInTurnsWith, measureInterleaved, probe, waitForQuietServer } = await import("./lib/load");
const { buildApp, peaks, rssMiB, startServer } = await import("./lib/server");
const { startBalancer } = await import("./lib/balancer");
const { cpuTimes, stealShare, waitForIdleMachine } = await import("./lib/machine");
const report = await import("./lib/report");
// The server runs with the same Node flags as `npm start` (scripts/support/server-flags.mjs), and
// the run holds the machine-wide lock `npm test`'s build and end-to-end step take.
const { serverNodeFlags } = (await import("../scripts/support/server-flags.mjs" as string)) as { serverNodeFlags: (env?: NodeJS.ProcessEnv) => string[] };
const { withMachineLock } = (await import("../scripts/support/machine-lock.mjs" as string)) as {
  withMachineLock: <T>(fn: () => Promise<T>, log: (line: string) => void) => Promise<T>;
};

const log = (line = "") => console.log(line);
const fmt = (n: number) => n.toLocaleString("en-US");
const CONNECTIONS = [1, 8];
/** The connection count of the req/s budgets, where pages and RPC methods take turns with their baseline. */
const PAIRED_CONNECTIONS = 8;
/** Length of one turn when two measurements are interleaved (measureInterleaved). */
const SLICE_SECONDS = 2;
/**
 * Login at the budgets' connection count: a login takes ≈1 s there, so a 10 s run sees only
 * ≈60–90 of them. It gets LOGIN_SECONDS_FACTOR × --duration, in turns of LOGIN_TURN_SECONDS with
 * HASH_CHECKS_PER_TURN timed password checks on the idle machine after each, and the ceiling comes
 * from those checks (measureLogin).
 */
const LOGIN_SECONDS_FACTOR = 3;
const LOGIN_TURN_SECONDS = 5;
const HASH_CHECKS_PER_TURN = 5;

interface Target {
  label: string;
  url: string;
  customers: number | null;
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

async function ensureSeeded(t: Target): Promise<void> {
  if (t.customers === null) return;
  const u = new URL(t.url);
  const name = u.pathname.slice(1);
  const adminUrl = new URL(t.url);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (!exists) await admin.unsafe(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const h = await openDb({ url: t.url, poolMax: 1, migrate: true });
  let have = 0;
  try {
    have = await countScaleCustomers(h.db).catch(() => 0);
  } finally {
    await h.close();
  }
  if (have >= t.customers) {
    log(`${t.label}: ${redact(t.url)} already holds ${fmt(have)} scale customers`);
    return;
  }
  if (have > 0) throw new Error(`${redact(t.url)} holds ${fmt(have)} scale customers, fewer than ${fmt(t.customers)}: drop it and run again`);
  log(`${t.label}: seeding ${redact(t.url)} with ${fmt(t.customers)} customers…`);
  const started = Date.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ["--import", "./scripts/support/register.mjs", "db/seed/run.ts", "--customers", String(t.customers)], {
      env: { ...process.env, DATABASE_URL: t.url },
      stdio: "inherit",
    });
    child.on("exit", (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`seeding ${t.label} failed (exit ${code})`);
  log(`${t.label}: seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function line(m: { rps: number; p50: number; p99: number; bad: number; refused?: number }): string {
  return `${m.rps.toFixed(1).padStart(8)} req/s  p50 ${m.p50.toFixed(2).padStart(7)} ms  p99 ${m.p99.toFixed(2).padStart(7)} ms${m.bad ? `  (${m.bad} bad)` : ""}${m.refused ? `  (${m.refused} refused)` : ""}`;
}

/** One dataset's measurements, and the endpoints its server answered (with that dataset's sessions). */
interface SizeOutcome {
  target: Target;
  run: import("./lib/report").SizeRun;
  endpoints: import("./lib/endpoints").Endpoint[];
}

async function startServerFor(t: Target, port: number, logName: string, publicUrl = `http://127.0.0.1:${port}`): Promise<import("./lib/server").RunningServer> {
  const env = { ...process.env, DATABASE_URL: t.url, NODE_ENV: "production", NEXTAUTH_URL: publicUrl } as NodeJS.ProcessEnv;
  const nodeArgs = [...serverNodeFlags(env), ...(opts.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${path.join(tmpDir, "prof")}`] : [])];
  return startServer(port, env, path.join(tmpDir, logName), nodeArgs);
}

async function runSize(t: Target, withCurve: boolean): Promise<SizeOutcome> {
  const server = await startServerFor(t, opts.port, `server-${t.customers ?? "single"}.log`);
  const h = await openDb({ url: t.url, poolMax: 2, migrate: false });
  try {
    const rssStart = rssMiB(server.pid);
    const cpuAtStart = cpuTimes();
    const fixtures = await prepareFixtures(h.db, opts.sessions);
    const csrf = await fetchCsrf(server.baseUrl).catch(() => null);
    const all = buildEndpoints({ fixtures, csrf, baseUrl: server.baseUrl });
    const wanted = all.filter((e) => !opts.only || opts.only.includes(e.id) || e.kind === "baseline");
    log(`\n::: ${t.label} — ${fmt(fixtures.customers)} customers, ${fmt(fixtures.invoices)} invoices, ${fixtures.sessions.length} sessions, server RSS ${rssStart} MB`);

    const endpoints: typeof wanted = [];
    const skipped: { id: string; label: string; note: string }[] = [];
    for (const ep of wanted) {
      const p = await probe(server.baseUrl, ep).catch((e: Error) => ({ ok: false, status: 0, note: e.message }));
      if (p.ok) endpoints.push(ep);
      else {
        skipped.push({ id: ep.id, label: ep.label, note: p.note });
        log(`  skip ${ep.label}: ${p.note}`);
      }
    }
    for (const base of ["trivial-page", "trivial-route"]) {
      if (!endpoints.some((e) => e.id === base)) throw new Error(`the baseline ${base} does not answer: the server must run with PORTICO_BENCH=1`);
    }

    if (opts.warmup > 0) {
      log(`  warming up (${opts.warmup} s per endpoint)…`);
      for (const ep of endpoints) await measure(server.baseUrl, [ep], { connections: 8, seconds: opts.warmup });
    }

    const results: Record<string, Record<number, import("./lib/load").Measurement>> = {};
    // The password-hash ceiling is timed next to the login measurement (the server idle), not at
    // start-up; a run without logins times it after its measurements.
    let hashMs = NaN;
    const ceilingText = (checkMs: number) => `${checkMs.toFixed(1)} ms → ceiling ${((os.availableParallelism() * 1000) / checkMs).toFixed(1)} logins/s`;
    const timeHash = async () => {
      hashMs = await timePasswordHash(fixtures.storedHash);
      log(`  one password hash: ${ceilingText(hashMs)}`);
    };
    const record = (ep: (typeof endpoints)[number], c: number, m: import("./lib/load").Measurement) => {
      (results[ep.id] ??= {})[c] = m;
      log(`  ${ep.label.padEnd(36)} @${c}  ${line(m)}`);
    };
    // Every endpoint at one connection, then at the budgets' connection count.
    for (const ep of endpoints) {
      if (ep.kind === "login" && Number.isNaN(hashMs)) await timeHash();
      record(ep, 1, await measure(server.baseUrl, [ep], { connections: 1, seconds: opts.duration, id: ep.id }));
    }
    // At the budgets' connection count each page or RPC method takes turns with its baseline
    // (measureInterleaved: turns of SLICE_SECONDS, alternating, until both have had the full
    // duration), so the ratio compares the two over the same moments.
    const paired: Record<string, number> = {};
    const loginHashMs: Record<string, number> = {};
    for (const ep of endpoints) {
      if (ep.kind === "login") {
        const { measurement, checkMs } = await measureLogin(server.baseUrl, ep, fixtures.storedHash);
        log(`  ${`  password hash (in turns)`.padEnd(36)}     ${ceilingText(checkMs)}`);
        record(ep, PAIRED_CONNECTIONS, measurement);
        loginHashMs[ep.id] = checkMs;
        continue;
      }
      if (ep.kind !== "page" && ep.kind !== "rpc") {
        record(ep, PAIRED_CONNECTIONS, await measure(server.baseUrl, [ep], { connections: PAIRED_CONNECTIONS, seconds: opts.duration, id: ep.id }));
        continue;
      }
      const base = endpoints.find((e) => e.id === ep.baseline)!;
      const [b, m] = await measureInterleaved(
        [
          { id: base.id, baseUrl: server.baseUrl, endpoint: base },
          { id: ep.id, baseUrl: server.baseUrl, endpoint: ep },
        ],
        { connections: PAIRED_CONNECTIONS, seconds: opts.duration, sliceSeconds: SLICE_SECONDS },
      );
      log(`  ${`  ${base.id} (in turns)`.padEnd(36)} @${PAIRED_CONNECTIONS}  ${line(b!)}`);
      record(ep, PAIRED_CONNECTIONS, m!);
      paired[ep.id] = b!.rps;
    }
    if (Number.isNaN(hashMs)) await timeHash();
    const baselinesAgain: typeof results = {};
    for (const ep of endpoints.filter((e) => e.kind === "baseline")) {
      for (const c of CONNECTIONS) {
        const m = await measure(server.baseUrl, [ep], { connections: c, seconds: opts.duration, id: ep.id });
        (baselinesAgain[ep.id] ??= {})[c] = m;
        log(`  ${`${ep.label} (again)`.padEnd(36)} @${c}  ${line(m)}`);
      }
    }
    const rssAfterRun = rssMiB(server.pid);

    let soak: import("./lib/load").Measurement | null = null;
    let rssAfterSoak: number | null = null;
    const mixed = endpoints.filter((e) => e.kind === "page" || e.kind === "rpc");
    if (opts.soak > 0 && mixed.length) {
      log(`  soak: ${opts.soak} s of mixed load over ${mixed.length} endpoints at 8 connections…`);
      soak = await measure(server.baseUrl, mixed, { connections: 8, seconds: opts.soak, id: "soak" });
      rssAfterSoak = rssMiB(server.pid);
      log(`  ${"soak (mixed)".padEnd(36)} @8  ${line(soak)}`);
    }
    log(`  server RSS: ${rssStart} MB at start, ${rssAfterRun} MB after the run${rssAfterSoak !== null ? `, ${rssAfterSoak} MB after the soak` : ""}`);
    // The curve last: 512 connections must not leave its garbage in the figures above.
    const curve = withCurve ? await measureCurve(server.baseUrl, endpoints) : null;
    log(`  server peak RSS (VmHWM) so far: ${server.peakMiB()} MB`);

    const run: import("./lib/report").SizeRun = {
      label: t.customers !== null ? `${fmt(t.customers)} customers` : t.label,
      customers: fixtures.customers,
      scaleCustomers: fixtures.scaleCustomers,
      invoices: fixtures.invoices,
      endpoints: endpoints.map(report.endpointInfo),
      skipped,
      results,
      baselinesAgain,
      paired: { connections: PAIRED_CONNECTIONS, rps: paired },
      hashMs,
      loginHashMs: { connections: PAIRED_CONNECTIONS, ms: loginHashMs },
      cores: os.availableParallelism(),
      rss: { start: rssStart, afterRun: rssAfterRun, afterSoak: rssAfterSoak, soakSeconds: opts.soak },
      soak,
      curve,
      loadAverage: os.loadavg(),
      stealShare: stealShare(cpuAtStart, cpuTimes()),
    };
    return { target: t, run, endpoints };
  } finally {
    await h.close();
    await server.stop();
  }
}

/**
 * Login at PAIRED_CONNECTIONS against the password-hash ceiling, measured in turns: a turn of
 * logins, then — once the machine is idle (the server finishing the logins still in flight) —
 * HASH_CHECKS_PER_TURN timed checks of a stored hash, and so on; the ceiling uses the median of
 * all the checks, so both figures come from the same minutes (a check took 165–255 ms on the same
 * machine on different hours). Throughput is closed-loop (connections ÷ mean latency): a turn
 * that stops with eight ≈1 s logins in flight would otherwise not count work the server did.
 */
async function measureLogin(baseUrl: string, ep: import("./lib/endpoints").Endpoint, storedHash: string) {
  const checks: number[] = [];
  const measurement = await measureInTurnsWith(baseUrl, ep, {
    connections: PAIRED_CONNECTIONS,
    seconds: opts.duration * LOGIN_SECONDS_FACTOR,
    turnSeconds: LOGIN_TURN_SECONDS,
    throughput: "closed-loop",
    between: async () => {
      await waitForIdleMachine();
      checks.push(...(await timePasswordChecks(storedHash, HASH_CHECKS_PER_TURN)));
    },
  });
  return { measurement, checkMs: median(checks) };
}

/** The endpoints of the concurrency curve: the trivial page, a portal page, an RPC method. */
const CURVE_IDS = ["trivial-page", "account", "json-customer_info"];
/**
 * Turns of the curve: longer than SLICE_SECONDS, as every turn opens its connections afresh and
 * 512 of them arrive at once; forwards then backwards, so a steady drift weighs on every count alike.
 */
const CURVE_SLICE_SECONDS = 5;
/** Throughput on the curve and in the scale-out counts completions after the first second of a turn (load.ts, "settled"). */
const SETTLE_SECONDS = 1;
/** The turn and settling time for --duration (turns of at most CURVE_SLICE_SECONDS, settling at most half of one). */
function turns(): { slice: number; settle: number; each: number } {
  const slice = Math.min(CURVE_SLICE_SECONDS, opts.duration);
  return { slice, settle: Math.min(SETTLE_SECONDS, slice / 2), each: Math.max(2, Math.round(opts.duration / slice)) * slice };
}

/**
 * The concurrency curve: each of CURVE_IDS at every count of report.CURVE_CONNECTIONS, the counts
 * taking turns (measureInterleaved: SLICE_SECONDS each, forwards then backwards, until each has
 * had --duration), so the ratios along the curve compare the same minutes. Good answers (2xx) make
 * the throughput; 503s (the server refusing the excess) are counted apart with their latency.
 */
async function measureCurve(baseUrl: string, endpoints: import("./lib/endpoints").Endpoint[]): Promise<import("./lib/report").Curve> {
  const counts = report.CURVE_CONNECTIONS;
  const { slice, settle, each } = turns();
  log(`  concurrency curve: ${counts.join(", ")} connections in turns of ${slice} s, ${each} s each (throughput from the last ${slice - settle} s of each turn)`);
  const rows: import("./lib/report").Curve["rows"] = [];
  let drained = 0;
  for (const id of CURVE_IDS) {
    const ep = endpoints.find((e) => e.id === id);
    if (!ep) continue;
    if (opts.warmup > 0) await measure(baseUrl, [ep], { connections: 32, seconds: opts.warmup });
    const measured = await measureInterleaved(
      counts.map((c) => ({ id: ep.id, baseUrl, endpoint: ep, connections: c })),
      // The polite client (load.ts): a refused connection waits its Retry-After, as real clients do.
      { connections: 8, seconds: opts.duration, sliceSeconds: slice, settleSeconds: settle, client: "polite", beforeTurn: async () => void (drained += await waitForQuietServer(baseUrl)) },
    );
    const points: Record<number, import("./lib/load").Measurement> = {};
    counts.forEach((c, i) => {
      const m = measured[i]!;
      points[c] = m;
      log(`  ${ep.label.padEnd(36)} @${String(c).padEnd(3)} ${line(m)}  slowest ${m.max.toFixed(1)} ms${m.refused ? `, refused p99 ${m.refusedP99.toFixed(1)} ms` : ""}; client ${m.clientCores.toFixed(2)} cores, lag p99 ${m.clientLagP99.toFixed(1)} ms`);
    });
    rows.push({ id: ep.id, label: ep.label, points });
  }
  log(`  (before each turn the server was let finish the last one: ${(drained / 1000).toFixed(1)} s in all)`);
  return { connections: counts, seconds: each, sliceSeconds: slice, rows };
}

/** Connections of the scale-out measurement. */
const SCALE_OUT_CONNECTIONS = 32;

/**
 * Scale out: two server processes (ports P and P+1) on one database, and two balancers
 * (bench/lib/balancer.ts) — one in front of the first process alone (P+3), one round-robin over
 * both (P+2) — so both figures pay for the same proxy hop; /account at SCALE_OUT_CONNECTIONS
 * through each, in turns. Also logs in on one process and uses the session on the other (the
 * sessions live in PostgreSQL).
 */
async function scaleOut(t: Target): Promise<import("./lib/report").ScaleOut> {
  const cores = os.availableParallelism();
  log(`\n::: scale out — two server processes on ${t.label} behind a Node balancer against one, ${SCALE_OUT_CONNECTIONS} connections, ${cores} cores`);
  const publicUrl = `http://127.0.0.1:${opts.port + 2}`;
  const servers: import("./lib/server").RunningServer[] = [];
  const balancers: import("./lib/balancer").Balancer[] = [];
  try {
    servers.push(await startServerFor(t, opts.port, "server-scale-out-a.log", publicUrl));
    servers.push(await startServerFor(t, opts.port + 1, "server-scale-out-b.log", publicUrl));
    const [a, b] = servers as [import("./lib/server").RunningServer, import("./lib/server").RunningServer];
    const backend = (port: number) => ({ host: "127.0.0.1", port });
    const two = await startBalancer([backend(opts.port), backend(opts.port + 1)], opts.port + 2);
    balancers.push(two);
    const one = await startBalancer([backend(opts.port)], opts.port + 3);
    balancers.push(one);
    const h = await openDb({ url: t.url, poolMax: 2, migrate: false });
    let fixtures: import("./lib/fixtures").Fixtures;
    try {
      fixtures = await prepareFixtures(h.db, opts.sessions);
    } finally {
      await h.close();
    }
    const crossChecks = await checkAcross(a.baseUrl, b.baseUrl, publicUrl, fixtures);
    for (const c of crossChecks) log(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}${c.note ? `: ${c.note}` : ""}`);
    const account = (baseUrl: string) => buildEndpoints({ fixtures, csrf: null, baseUrl }).find((e) => e.id === "account")!;
    const sides = [
      { id: "account-one", baseUrl: one.url, endpoint: account(one.url) },
      { id: "account-two", baseUrl: two.url, endpoint: account(two.url) },
    ];
    // Each process warmed up on its own first (the second one has served nothing yet).
    if (opts.warmup > 0) for (const s of [a, b]) await measure(s.baseUrl, [account(s.baseUrl)], { connections: 8, seconds: opts.warmup });
    const before = [...two.counts];
    const { slice, settle, each } = turns();
    const quiet = async () => void (await Promise.all([a, b].map((s) => waitForQuietServer(s.baseUrl))));
    const [m1, m2] = await measureInterleaved(sides, { connections: SCALE_OUT_CONNECTIONS, seconds: opts.duration, sliceSeconds: slice, settleSeconds: settle, beforeTurn: quiet });
    const split = two.counts.map((n, i) => n - before[i]!);
    log(`  ${"/account, one process".padEnd(36)} @${SCALE_OUT_CONNECTIONS}  ${line(m1!)}`);
    log(`  ${"/account, two processes".padEnd(36)} @${SCALE_OUT_CONNECTIONS}  ${line(m2!)}  (split ${split.join("/")})`);
    crossChecks.push({
      name: "every answer through the two-process balancer good",
      ok: m2!.bad === 0 && m2!.requests > 0 && split.every((n) => n > 0),
      note: m2!.bad ? `${m2!.bad} bad answers` : split.some((n) => n === 0) ? "a process got no requests" : "",
    });
    return { cores, connections: SCALE_OUT_CONNECTIONS, seconds: each, sliceSeconds: slice, endpoint: "/account", one: m1!, two: m2!, split, crossChecks };
  } finally {
    for (const bal of balancers) await bal.close();
    for (const s of servers) await s.stop();
  }
}

/** A login on one process and its session used on the other: the web login and /account, the JSON-RPC login and customer_info. */
async function checkAcross(aUrl: string, bUrl: string, publicUrl: string, fixtures: import("./lib/fixtures").Fixtures): Promise<{ name: string; ok: boolean; note: string }[]> {
  const { DEMO_PASSWORD } = await import("../db/seed/demo-logins");
  const checks: { name: string; ok: boolean; note: string }[] = [];
  const check = async (name: string, fn: () => Promise<string>) => {
    try {
      const note = await fn();
      checks.push({ name, ok: note === "", note });
    } catch (e) {
      checks.push({ name, ok: false, note: (e as Error).message });
    }
  };
  const [first, second] = [fixtures.logins[0]!, fixtures.logins[1] ?? fixtures.logins[0]!];
  await check("web login on process A, /account on process B", async () => {
    const csrf = await fetchCsrf(aUrl);
    const body = new URLSearchParams({ csrfToken: csrf.token, email: first.email, password: DEMO_PASSWORD, callbackUrl: `${publicUrl}/account`, json: "true" });
    const login = await fetch(`${aUrl}/api/auth/callback/credentials`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrf.cookie }, body, redirect: "manual" });
    const session = login.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => /^(?:__Host-)?portico\.session=./.test(c));
    if (!session) return `the login answered ${login.status} without a session cookie`;
    const page = await fetch(`${bUrl}/account`, { headers: { cookie: session, accept: "text/html" }, redirect: "manual" });
    const text = await page.text();
    return page.status === 200 && text.includes("Packages and services") ? "" : `/account answered ${page.status}${page.headers.get("location") ? ` → ${page.headers.get("location")}` : ""}`;
  });
  await check("JSON-RPC login on process B, customer_info on process A", async () => {
    const rpc = async (url: string, method: string, params: Record<string, unknown>) => {
      const r = await fetch(`${url}/api/selfservice/jsonrpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
      return (await r.json()) as { result?: { error?: string; session_id?: string; custnum?: number } };
    };
    const login = await rpc(bUrl, "login", { email: second.email, password: DEMO_PASSWORD });
    const token = login.result?.session_id;
    if (!token) return `the login answered ${JSON.stringify(login).slice(0, 120)}`;
    const info = await rpc(aUrl, "customer_info", { session_id: token });
    return info.result?.error === "" ? "" : `customer_info answered ${JSON.stringify(info).slice(0, 120)}`;
  });
  return checks;
}

/**
 * The scale comparison: each endpoint (logins aside) at one connection on the smallest and the
 * largest dataset, two fresh servers running side by side and warmed up alike, measured in turns
 * (measureInterleaved), so p50(large) ÷ p50(small) holds the data's effect and not the machine's
 * drift between the two datasets' runs (which moved even the trivial page by up to 1.4× when each
 * dataset was measured in its own block of minutes) nor one server's history against the other's.
 */
async function compareScale(small: SizeOutcome, large: SizeOutcome): Promise<import("./lib/report").ScaleComparison> {
  log(`\n::: scale — ${small.run.label} and ${large.run.label}, two servers side by side, in turns of ${SLICE_SECONDS} s at 1 connection`);
  const servers = [
    await startServerFor(small.target, opts.port, `server-${small.target.customers}-scale.log`),
    await startServerFor(large.target, opts.port + 1, `server-${large.target.customers}-scale.log`),
  ];
  try {
    return await compareOn(small, large, servers[0]!.baseUrl, servers[1]!.baseUrl);
  } finally {
    for (const s of servers) await s.stop();
  }
}

async function compareOn(small: SizeOutcome, large: SizeOutcome, smallUrl: string, largeUrl: string): Promise<import("./lib/report").ScaleComparison> {
  // Fresh sessions: the smaller dataset's may have gone idle past the portal's limit by now.
  const endpointsOf = async (o: SizeOutcome, baseUrl: string) => {
    const h = await openDb({ url: o.target.url, poolMax: 2, migrate: false });
    try {
      const wanted = new Set(o.endpoints.map((e) => e.id));
      return buildEndpoints({ fixtures: await prepareFixtures(h.db, opts.sessions), csrf: null, baseUrl }).filter((e) => wanted.has(e.id));
    } finally {
      await h.close();
    }
  };
  const smallEndpoints = await endpointsOf(small, smallUrl);
  const measured = (await endpointsOf(large, largeUrl)).filter((ep) => ep.kind !== "login" && smallEndpoints.some((e) => e.id === ep.id));
  // The same endpoint on both servers, each with its own dataset's sessions.
  const bothSides = (ep: import("./lib/endpoints").Endpoint) => [
    { id: ep.id, baseUrl: smallUrl, endpoint: smallEndpoints.find((e) => e.id === ep.id)! },
    { id: ep.id, baseUrl: largeUrl, endpoint: ep },
  ];
  if (opts.warmup > 0) {
    for (const ep of measured) await measureInterleaved(bothSides(ep), { connections: 8, seconds: opts.warmup, sliceSeconds: 1 });
  }
  const rows: import("./lib/report").ScaleComparison["rows"] = [];
  for (const ep of measured) {
    const [a, b] = await measureInterleaved(bothSides(ep), { connections: 1, seconds: opts.duration, sliceSeconds: SLICE_SECONDS });
    rows.push({ id: ep.id, label: ep.label, list: ep.list, small: a!, large: b! });
    log(`  ${ep.label.padEnd(36)} p50 ${a!.p50.toFixed(2).padStart(6)} → ${b!.p50.toFixed(2).padStart(6)} ms  ${(b!.p50 / a!.p50).toFixed(2)}×${ep.list ? "  (list)" : ""}`);
  }
  return { connections: 1, sliceSeconds: SLICE_SECONDS, seconds: opts.duration, rows };
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const flags = serverNodeFlags(process.env).join(" ") || "no extra flags";
  // The server's own settings a run may have been given (scripts/server.mjs reads them from the environment).
  const knobs = ["PORTICO_MAX_CONCURRENCY", "PORTICO_QUEUE_LIMIT", "PORTICO_QUEUE_WAIT_MS", "PGPOOL_MAX"].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
  return `${os.availableParallelism()} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, node ${process.version} (server: ${[flags, ...knobs].join(" ")}${knobs.length ? "" : ", admission defaults"}); autocannon runs on the same machine`;
}

function markdown(runs: import("./lib/report").SizeRun[], scale: import("./lib/report").ScaleComparison | null, out2: import("./lib/report").ScaleOut | null, budgets: import("./lib/report").Budget[], when: string): string {
  const out: string[] = [];
  out.push(`Measured ${when} on ${machine()}. ${opts.duration} s per measurement after a ${opts.warmup} s warm-up; ratios are req/s ÷ the trivial page's (pages) or the trivial route handler's (RPC) at the same connection count — at ${PAIRED_CONNECTIONS} connections the endpoint and its baseline measured in turns of ${SLICE_SECONDS} s, ${opts.duration} s each; the curve's connection counts take turns likewise; the scale table's p50s come from both datasets' servers measured in turns; login is shown against the password-hash ceiling (at ${PAIRED_CONNECTIONS} connections timed in turns with the logins, ${opts.duration * LOGIN_SECONDS_FACTOR} s of logins in turns of ${LOGIN_TURN_SECONDS} s, req/s closed-loop). What each budget means: bench/README.md.`);
  out.push("");
  out.push("**Budgets**");
  out.push("");
  out.push(...report.budgetTable(budgets, true));
  for (const r of runs) {
    out.push("");
    out.push(`**${r.label}** — ${report.describeRun(r)}`);
    out.push("");
    out.push(...report.resultTable(r, CONNECTIONS, true));
    if (r.skipped.length) {
      out.push("");
      out.push(`Skipped: ${r.skipped.map((s) => `${s.label} (${s.note})`).join("; ")}`);
    }
    if (r.curve) {
      out.push("");
      out.push(`**Concurrency curve, ${r.label}** (good = 2xx answers; refused = 503 busy from the server's admission control, after which that connection waits the answer's Retry-After, as real clients do; connection counts in turns of ${r.curve.sliceSeconds} s, ${r.curve.seconds} s each)`);
      out.push("");
      out.push(...report.curveTable(r.curve, true));
    }
  }
  if (runs.length >= 2) {
    const rows = scale ? report.scaleRows(scale) : [];
    out.push("");
    out.push(`**Scale: p50 at ${runs[runs.length - 1]!.label} ÷ p50 at ${runs[0]!.label}** (1 connection; both servers running, measured in turns of ${SLICE_SECONDS} s, ${opts.duration} s each)`);
    out.push("");
    out.push(
      ...report.formatTable(
        ["endpoint", `p50 ms (${runs[0]!.label})`, `p50 ms (${runs[runs.length - 1]!.label})`, "ratio"],
        rows.map((r) => [r.label + (r.list ? " (list)" : ""), r.small.toFixed(2), r.large.toFixed(2), `${r.ratio.toFixed(2)}×`]),
        true,
      ),
    );
  }
  if (out2) {
    out.push("");
    out.push(...scaleOutLines(out2, true));
  }
  return out.join("\n");
}

function scaleOutLines(s: import("./lib/report").ScaleOut, markdown: boolean): string[] {
  const row = (name: string, m: import("./lib/load").Measurement) => [name, (m.rps).toFixed(1), m.p50.toFixed(2), m.p99.toFixed(2), String(m.refused), String(m.bad)];
  return [
    `${markdown ? "**Scale out**" : "Scale out:"} ${s.endpoint} at ${s.connections} connections through a Node balancer (bench/lib/balancer.ts), one process against two on one database, in turns of ${s.sliceSeconds} s, ${s.seconds} s each; ${s.cores} cores; two ÷ one = ${(s.two.rps / s.one.rps).toFixed(2)}×`,
    ...(markdown ? [""] : []),
    ...report.formatTable(["", "good req/s", "p50 ms", "p99 ms", "refused", "errors"], [row("one process", s.one), row(`two processes (split ${s.split.join("/")})`, s.two)], markdown),
  ];
}

function gitCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).trim() !== "";
    return `${head}${dirty ? "+dirty" : ""}`;
  } catch {
    return "";
  }
}

async function main(): Promise<number> {
  const targets: Target[] = opts.single
    ? [{ label: new URL(opts.databaseUrl).pathname.slice(1) || "database", url: opts.databaseUrl, customers: null }]
    : opts.sizes.map((n) => ({ label: `${fmt(n)} customers`, url: databaseForSize(opts.databaseUrl, n), customers: n }));
  const onlyScaleOut = opts.scaleOut === "only";
  const largest = targets[targets.length - 1]!;
  log(`Portico benchmark on ${machine()}`);
  for (const t of onlyScaleOut ? [largest] : targets) await ensureSeeded(t);

  const measured = await withMachineLock(async () => {
    if (!opts.skipBuild) {
      log("next build…");
      const t0 = Date.now();
      await buildApp({ ...process.env, NODE_ENV: "production" }, path.join(tmpDir, "build.log"));
      log(`next build done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    } else if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
      throw new Error("--skip-build but there is no build in .next");
    }
    const outcomes: SizeOutcome[] = [];
    if (!onlyScaleOut) for (const t of targets) outcomes.push(await runSize(t, opts.curve && t === largest));
    const scale = outcomes.length >= 2 ? await compareScale(outcomes[0]!, outcomes[outcomes.length - 1]!) : null;
    const out = opts.scaleOut !== "no" ? await scaleOut(largest) : null;
    return { runs: outcomes.map((o) => o.run), scale, scaleOut: out };
  }, log);
  const { runs, scale } = measured;

  const partial = isPartial(opts);
  let budgets = report.evaluateBudgets(runs, scale, { peaks, scaleOut: measured.scaleOut });
  // A partial run judges only what it measured.
  if (partial) budgets = budgets.filter((b) => b.value !== "not measured");
  for (const r of runs) {
    log(`\n${r.label}: ${report.describeRun(r)}`);
    for (const l of report.resultTable(r, CONNECTIONS, false)) log(`  ${l}`);
    if (r.curve) {
      log(`\nConcurrency curve, ${r.label} (good = 2xx; refused = 503 busy):`);
      for (const l of report.curveTable(r.curve, false)) log(`  ${l}`);
    }
  }
  if (runs.length >= 2) {
    log(`\np50 at ${runs[runs.length - 1]!.label} ÷ p50 at ${runs[0]!.label} (1 connection):`);
    for (const r of scale ? report.scaleRows(scale) : []) {
      log(`  ${r.label.padEnd(36)} ${r.small.toFixed(2).padStart(7)} → ${r.large.toFixed(2).padStart(7)} ms  ${r.ratio.toFixed(2)}×${r.list ? "  (list)" : ""}`);
    }
  }
  if (measured.scaleOut) {
    log("");
    for (const l of scaleOutLines(measured.scaleOut, false)) log(`  ${l}`);
  }
  log("\nBudgets:");
  for (const l of report.budgetTable(budgets, false)) log(`  ${l}`);

  const when = new Date().toISOString();
  // Partial runs (one database, some endpoints, a profile, no curve or scale-out, only the
  // scale-out) go to bench/tmp/results: bench/results holds full runs, and history.csv their figures.
  const outDir = partial ? path.join(tmpDir, "results") : path.resolve(root, opts.outDir);
  mkdirSync(outDir, { recursive: true });
  const md = markdown(runs, scale, measured.scaleOut, budgets, when.slice(0, 10));
  const failed = budgets.filter((b) => b.status === "FAIL").length;
  const json = { when, machine: machine(), commit: gitCommit(), options: { ...opts, databaseUrl: redact(opts.databaseUrl) }, runs, scale, scaleOut: measured.scaleOut, peaks, budgets };
  writeFileSync(path.join(outDir, "latest.json"), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(outDir, "latest.md"), `# Portico benchmark ${when.slice(0, 16).replace("T", " ")} UTC${partial ? " (partial run)" : ""}\n\n${md}\n`);
  log(`\nResults: ${path.relative(root, path.join(outDir, "latest.md"))} and latest.json`);
  if (!partial) {
    const historyFile = path.join(outDir, "history.csv");
    const row = report.historyRow(
      {
        date: when.slice(0, 16).replace("T", " "),
        commit: gitCommit(),
        cores: os.availableParallelism(),
        cpu: os.cpus()[0]?.model ?? "unknown CPU",
        datasets: runs.map((r) => r.customers).join("/"),
        failed,
      },
      budgets,
    );
    writeFileSync(historyFile, report.appendHistory(existsSync(historyFile) ? readFileSync(historyFile, "utf8") : null, row));
    log(`History: a row appended to ${path.relative(root, historyFile)}`);
  }
  log(failed ? `\n${failed} budget(s) FAIL.` : "\nEvery budget PASS.");
  return failed ? 1 : 0;
}

let code = 2;
try {
  code = await main();
} catch (e) {
  console.error(`\nThe benchmark could not run: ${(e as Error).message ?? e}`);
  code = 2;
}
process.exit(code);
