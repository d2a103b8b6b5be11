import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { createWorld, createTestCustomer, orderTestPackage, TEST_PASSWORD, type World } from "../support/fixtures";
import { login } from "../../lib/auth/login";
import { LOGIN_THROTTLE } from "../../lib/auth/throttle";
import { queryRows } from "../../lib/db/rows";
import { isAppError } from "../../lib/errors";

/**
 * Issue 22 §2–§3: attempts are counted before the password check, atomically, on the identity as
 * the lookup normalises it — so no concurrency and no spelling lets more than the limit through.
 */
let t: TestDb;
let world: World;

before(async () => {
  process.env.AUTH_SECRET ??= "x".repeat(40);
  t = await createTestDb();
  world = await createWorld(t.db);
});
after(async () => t.drop());

/** Failed logins that reached the password check (the others were refused by the throttle first). */
async function checkedFailures(identity: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    t.db,
    sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'login_failed' AND detail->>'identity' = ${identity} AND (detail->>'throttled') IS NULL`,
  );
  return row!.n;
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return isAppError(e) ? e.code : `unexpected: ${String(e)}`;
  }
}

describe("the login throttle cannot be raced", () => {
  test("100 concurrent wrong passwords for one identity from one address: only the limit reach the hash", async () => {
    const who = await createTestCustomer(t.db, world);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => outcome(login(t.db, { email: who.email, password: "wrong-password" }, { ip: "198.51.100.1" }))),
    );
    const invalid = results.filter((r) => r === "INVALID_CREDENTIALS").length;
    const limited = results.filter((r) => r === "RATE_LIMITED").length;
    assert.equal(invalid + limited, 100, `unexpected outcomes: ${results.filter((r) => r.startsWith("unexpected")).join(", ")}`);
    assert.equal(invalid, LOGIN_THROTTLE.identity.maxAttempts);
    assert.equal(await checkedFailures(who.email), LOGIN_THROTTLE.identity.maxAttempts);
    // Every failure left an audit row, throttled or not.
    const [all] = await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'login_failed' AND detail->>'identity' = ${who.email}`);
    assert.equal(all!.n, 100);
    // And the right password is refused while the identity is locked.
    assert.equal(await outcome(login(t.db, { email: who.email, password: TEST_PASSWORD }, { ip: "198.51.100.2" })), "RATE_LIMITED");
  });

  test("concurrent attempts on many identities from one address: at most the address limit reach the hash", async () => {
    const ip = "198.51.100.77";
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) => outcome(login(t.db, { email: `ghost-${i}@example.com`, password: "x" }, { ip }))),
    );
    assert.equal(results.filter((r) => r === "INVALID_CREDENTIALS").length, LOGIN_THROTTLE.address.maxAttempts);
    assert.equal(results.filter((r) => r === "RATE_LIMITED").length, 80 - LOGIN_THROTTLE.address.maxAttempts);
  });

  test("a success gives the address its attempt back and clears the identity", async () => {
    const who = await createTestCustomer(t.db, world);
    const ip = "198.51.100.90";
    for (let i = 0; i < 4; i++) assert.equal(await outcome(login(t.db, { email: who.email, password: "nope" }, { ip })), "INVALID_CREDENTIALS");
    assert.equal(await outcome(login(t.db, { email: who.email, password: TEST_PASSWORD }, { ip })), "ok");
    // The identity starts afresh: four more failures are still checked.
    for (let i = 0; i < 4; i++) assert.equal(await outcome(login(t.db, { email: who.email, password: "nope" }, { ip })), "INVALID_CREDENTIALS");
    const [row] = await queryRows<{ failures: number }>(t.db, sql`SELECT failures FROM login_throttle WHERE key = ${`ip:${ip}`}`);
    assert.equal(row!.failures, 8);
  });
});

describe("one phone line is one identity", () => {
  test("six spellings of one number share one throttle key", async () => {
    const who = await createTestCustomer(t.db, world);
    await orderTestPackage(t.db, who.custnum, world.pkgparts.voip, { service: { svcdb: "svc_phone", phonenum: "4155550199", pin: "2468" } });
    const spellings = ["415-555-0199", "(415)5550199", "4155550199x", "+1 415 555 0199", "1-415-555-0199", "415.555.0199"];
    const results: string[] = [];
    for (const [i, phone] of spellings.entries()) {
      results.push(await outcome(login(t.db, { username: phone, domain: "svc_phone", password: "0000" }, { ip: `203.0.113.${i + 1}` })));
    }
    assert.deepEqual(results, ["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "RATE_LIMITED"]);
    // The right PIN is refused too while the line is locked, whichever way it is written.
    assert.equal(await outcome(login(t.db, { username: "4155550199", domain: "svc_phone", password: "2468" }, { ip: "203.0.113.50" })), "RATE_LIMITED");
  });

  test("the international style the portal displays logs in", async () => {
    const who = await createTestCustomer(t.db, world);
    await orderTestPackage(t.db, who.custnum, world.pkgparts.voip, { service: { svcdb: "svc_phone", phonenum: "4155550188", pin: "1357" } });
    const r = await login(t.db, { username: "+1 415 555 0188", domain: "svc_phone", password: "1357" }, {});
    assert.equal(r.custnum, who.custnum);
  });

  test("a non-existing number is throttled the same way", async () => {
    const spellings = ["212-555-0000", "(212) 555 0000", "+12125550000", "2125550000", "1 212 555 0000", "212.555.0000"];
    const results: string[] = [];
    for (const phone of spellings) results.push(await outcome(login(t.db, { username: phone, domain: "svc_phone", password: "1111" }, {})));
    assert.equal(results[5], "RATE_LIMITED");
  });

  test("e-mail and username@domain spellings count together", async () => {
    const who = await createTestCustomer(t.db, world);
    const upper = who.email.toUpperCase();
    const results: string[] = [];
    for (const email of [who.email, upper, ` ${who.email} `, upper, who.email, who.email]) results.push(await outcome(login(t.db, { email, password: "bad" }, {})));
    assert.equal(results[5], "RATE_LIMITED");
  });
});
