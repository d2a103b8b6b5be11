import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { eq, inArray } from "drizzle-orm";
import { runNodeScript } from "../support/run-script";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, type CustomerFixture, type World } from "../support/fixtures";
import { createCustomerSession, resolveSession, revokeSession } from "../../lib/auth/sessions";
import { ENDED_SESSION_RETENTION_HOURS, STALE_THROTTLE_AFTER_HOURS, purgeEndedSessions, purgeStaleThrottleRows } from "../../lib/auth/housekeeping";
import { hashToken } from "../../lib/auth/tokens";
import { recordAudit } from "../../lib/audit/record-audit";
import { auditLog, loginThrottle, session } from "../../db/schema";

// Ended sessions and stale login_throttle rows are purged (by `npm run housekeeping` and the daily
// `npm run bill`); live sessions, locked or recent throttle rows and the audit log stay.

const HOUR = 3_600_000;
let t: TestDb;
let world: World;
let alice: CustomerFixture;

before(async () => {
  process.env.AUTH_SECRET ??= "x".repeat(40);
  t = await createTestDb();
  world = await createWorld(t.db);
  alice = await createTestCustomer(t.db, world);
});
after(() => t.drop());

async function sessionAt(fields: { expiresAt?: Date; lastSeenAt?: Date; createdAt?: Date }): Promise<string> {
  const token = await createCustomerSession(t.db, { custnum: alice.custnum, contactnum: alice.contactnum });
  if (Object.keys(fields).length) await t.db.update(session).set(fields).where(eq(session.tokenHash, hashToken(token)));
  return token;
}

async function exists(token: string): Promise<boolean> {
  return (await t.db.select({ k: session.tokenHash }).from(session).where(eq(session.tokenHash, hashToken(token)))).length === 1;
}

async function throttleKeys(): Promise<string[]> {
  return (await t.db.select({ key: loginThrottle.key }).from(loginThrottle)).map((r) => r.key).sort();
}

describe("purgeEndedSessions", () => {
  test("deletes sessions that ended over the retention window ago; live and recently ended ones stay", async () => {
    await t.db.delete(session);
    const now = new Date();
    const ago = (h: number) => new Date(now.getTime() - h * HOUR);
    const live = await sessionAt({});
    const liveOld = await sessionAt({ createdAt: ago(11), lastSeenAt: ago(0.1) }); // long-running, still in use
    const expiredLongAgo = await sessionAt({ createdAt: ago(60), lastSeenAt: ago(50), expiresAt: ago(48) });
    const idleLongAgo = await sessionAt({ createdAt: ago(30), lastSeenAt: ago(ENDED_SESSION_RETENTION_HOURS + 2), expiresAt: new Date(now.getTime() + HOUR) });
    const expiredRecently = await sessionAt({ createdAt: ago(13), lastSeenAt: ago(2), expiresAt: ago(1) });
    const idleRecently = await sessionAt({ lastSeenAt: ago(3) });
    const revoked = await sessionAt({});
    assert.equal(await revokeSession(t.db, revoked), true);
    await recordAudit(t.db, { action: "login", custnum: alice.custnum, detail: { via: "email" } });
    const auditBefore = await t.db.select().from(auditLog);

    assert.equal(await purgeEndedSessions(t.db, { now }), 2);

    assert.equal(await exists(live), true);
    assert.equal(await exists(liveOld), true);
    assert.equal(await exists(expiredLongAgo), false);
    assert.equal(await exists(idleLongAgo), false);
    // Ended, but within the retention window: kept (and still refused).
    assert.equal(await exists(expiredRecently), true);
    assert.equal(await exists(idleRecently), true);
    assert.equal(await resolveSession(t.db, expiredRecently), null);
    assert.equal(await resolveSession(t.db, idleRecently), null);
    // A revoked session is deleted at revocation: nothing left to purge.
    assert.equal(await exists(revoked), false);
    assert.ok(await resolveSession(t.db, live));
    assert.ok(await resolveSession(t.db, liveOld));
    // The audit log is untouched.
    assert.deepEqual(await t.db.select().from(auditLog), auditBefore);
    // Again: nothing more to do.
    assert.equal(await purgeEndedSessions(t.db, { now }), 0);
  });
});

describe("purgeStaleThrottleRows", () => {
  test("deletes unlocked rows of every key kind whose window started over the bound ago; locked and fresh rows stay", async () => {
    await t.db.delete(loginThrottle);
    const now = new Date();
    const ago = (h: number) => new Date(now.getTime() - h * HOUR);
    const stale = ago(STALE_THROTTLE_AFTER_HOURS + 1);
    await t.db.insert(loginThrottle).values([
      // stale: unlocked (never locked, or the lock has passed), window long gone — every kind
      { key: "identity:gone@example.com", failures: 3, windowStart: stale, lockedUntil: null },
      { key: "ip:192.0.2.1", failures: 30, windowStart: stale, lockedUntil: ago(STALE_THROTTLE_AFTER_HOURS) },
      { key: "signup:192.0.2.2", failures: 5, windowStart: ago(24 * 30), lockedUntil: null },
      { key: "username-check:192.0.2.3", failures: 60, windowStart: stale, lockedUntil: null },
      { key: "backend:192.0.2.4", failures: 20, windowStart: stale, lockedUntil: ago(1) },
      // kept: still locked, however old the window
      { key: "identity:locked@example.com", failures: 5, windowStart: stale, lockedUntil: new Date(now.getTime() + 10 * 60_000) },
      { key: "backend:192.0.2.5", failures: 20, windowStart: ago(48), lockedUntil: new Date(now.getTime() + HOUR) },
      // kept: the window is recent (it may still count)
      { key: "identity:fresh@example.com", failures: 2, windowStart: ago(0.1), lockedUntil: null },
      { key: "signup:192.0.2.6", failures: 19, windowStart: ago(0.9), lockedUntil: null },
      { key: "ip:192.0.2.7", failures: 30, windowStart: ago(0.2), lockedUntil: ago(0.1) },
    ]);

    assert.equal(await purgeStaleThrottleRows(t.db, { now }), 5);
    assert.deepEqual(await throttleKeys(), [
      "backend:192.0.2.5",
      "identity:fresh@example.com",
      "identity:locked@example.com",
      "ip:192.0.2.7",
      "signup:192.0.2.6",
    ]);
    // The kept rows are unchanged (counts, windows, locks).
    const kept = await t.db.select().from(loginThrottle).where(inArray(loginThrottle.key, ["identity:fresh@example.com", "signup:192.0.2.6"]));
    assert.deepEqual(Object.fromEntries(kept.map((r) => [r.key, r.failures])), { "identity:fresh@example.com": 2, "signup:192.0.2.6": 19 });
    assert.equal(await purgeStaleThrottleRows(t.db, { now }), 0);
  });

  test("the bound is wider than every throttle window in the code", async () => {
    const { LOGIN_THROTTLE, BACKEND_SECRET_THROTTLE } = await import("../../lib/auth/throttle");
    const { SIGNUP_THROTTLE, USERNAME_CHECK_THROTTLE } = await import("../../lib/signup/throttle");
    const windows = [LOGIN_THROTTLE.identity, LOGIN_THROTTLE.address, BACKEND_SECRET_THROTTLE].flatMap((r) => [r.windowSeconds, r.lockSeconds]);
    windows.push(SIGNUP_THROTTLE.windowSeconds, USERNAME_CHECK_THROTTLE.windowSeconds);
    for (const w of windows) assert.ok(w * 1000 < STALE_THROTTLE_AFTER_HOURS * HOUR, `window ${w}s`);
  });
});

function runScript(script: string, args: string[] = []) {
  return runNodeScript([script, ...args], { DATABASE_URL: t.url! });
}

async function seedGarbage(): Promise<{ live: string; old: string }> {
  await t.db.delete(session);
  await t.db.delete(loginThrottle);
  const now = Date.now();
  const live = await sessionAt({});
  const old = await sessionAt({ createdAt: new Date(now - 72 * HOUR), lastSeenAt: new Date(now - 70 * HOUR), expiresAt: new Date(now - 60 * HOUR) });
  await t.db.insert(loginThrottle).values([
    { key: "identity:stale@example.com", failures: 1, windowStart: new Date(now - 48 * HOUR) },
    { key: "identity:recent@example.com", failures: 1, windowStart: new Date(now - 60_000) },
  ]);
  return { live, old };
}

describe("the scripts", { skip: process.env.PORTICO_TEST_DRIVER === "pglite" ? "needs PostgreSQL (a second process)" : false }, () => {
  test("npm run housekeeping purges and prints a one-line summary; --help explains", async () => {
    const { live, old } = await seedGarbage();
    const run = await runScript("scripts/housekeeping.ts");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal(run.stdout.trim().split("\n").length, 1, run.stdout);
    assert.match(run.stdout, /^Housekeeping: purged 1 ended session\(s\) .* and 1 stale login_throttle row\(s\)/);
    assert.equal(await exists(live), true);
    assert.equal(await exists(old), false);
    assert.deepEqual(await throttleKeys(), ["identity:recent@example.com"]);

    const help = await runScript("scripts/housekeeping.ts", ["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: npm run housekeeping/);
    const bad = await runScript("scripts/housekeeping.ts", ["--nope"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown argument --nope/);
  });

  test("the daily npm run bill purges too", async () => {
    const { live, old } = await seedGarbage();
    const run = await runScript("scripts/bill.ts");
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /Housekeeping: purged 1 ended session\(s\) .* and 1 stale login_throttle row\(s\)/);
    assert.equal(await exists(live), true);
    assert.equal(await exists(old), false);
    assert.deepEqual(await throttleKeys(), ["identity:recent@example.com"]);
    assert.equal((await t.db.select().from(session)).length, 1);
  });
});
