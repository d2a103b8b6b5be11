import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { eq, sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { createWorld, createTestCustomer, orderTestPackage, TEST_PASSWORD, testPasswordHash, type World } from "../support/fixtures";
import { login, LOGIN_FAILED_MESSAGE } from "../../lib/auth/login";
import { resolveCustomerSession, revokeSession } from "../../lib/auth/sessions";
import { LOGIN_THROTTLE } from "../../lib/auth/throttle";
import { hashPassword, passwordNeedsRehash, verifyPassword } from "../../lib/auth/password";
import { isAppError } from "../../lib/errors";
import { session, svcAcct, contact } from "../../db/schema";

let t: TestDb;
let world: World;
let custnum: number;
let email: string;

before(async () => {
  process.env.AUTH_SECRET ??= "x".repeat(40);
  t = await createTestDb();
  world = await createWorld(t.db);
  const c = await createTestCustomer(t.db, world);
  custnum = c.custnum;
  email = c.email;
  const passwordHash = await testPasswordHash();
  await orderTestPackage(t.db, custnum, world.pkgparts.dslMonthly, { service: { svcdb: "svc_acct", username: "jdoe", password: "", passwordHash } });
  await orderTestPackage(t.db, custnum, world.pkgparts.voip, { service: { svcdb: "svc_phone", phonenum: "(555) 010-0001", pin: "2468" } });
});
after(async () => t.drop());

async function expectFailure(p: Promise<unknown>, code: string, message?: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAppError(e), `expected AppError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (message) assert.equal(e.message, message);
    return true;
  });
}

describe("login, the three Freeside ways", () => {
  test("email + password of a self-service contact", async () => {
    const r = await login(t.db, { email: email.toUpperCase(), password: TEST_PASSWORD }, { ip: "10.0.0.1" });
    assert.equal(r.custnum, custnum);
    assert.ok(r.contactnum);
    assert.match(r.sessionToken, /^[0-9a-f]{64}$/);
    const s = await resolveCustomerSession(t.db, r.sessionToken);
    assert.equal(s?.custnum, custnum);
    // only the hash is stored
    const rows = await t.db.select().from(session);
    assert.ok(rows.every((row) => row.tokenHash !== r.sessionToken));
  });

  test("username + domain + password of an svc_acct", async () => {
    const r = await login(t.db, { username: "JDoe", domain: "ISP.test", password: TEST_PASSWORD }, {});
    assert.equal(r.custnum, custnum);
    assert.ok(r.svcnum);
  });

  test("username@domain given as the email falls back to the account", async () => {
    const r = await login(t.db, { email: "jdoe@isp.test", password: TEST_PASSWORD }, {});
    assert.equal(r.custnum, custnum);
  });

  test("phone number + PIN with domain svc_phone", async () => {
    const r = await login(t.db, { username: "555-010-0001", domain: "svc_phone", password: "2468" }, {});
    assert.equal(r.custnum, custnum);
    // XML-RPC clients may send the number and the PIN as <int>s.
    const numeric = await login(t.db, { username: 5550100001, domain: "svc_phone", password: 2468 }, {});
    assert.equal(numeric.custnum, custnum);
  });

  test("every failure says the same thing", async () => {
    await expectFailure(login(t.db, { email, password: "wrong" }, {}), "INVALID_CREDENTIALS", LOGIN_FAILED_MESSAGE);
    await expectFailure(login(t.db, { email: "nobody@example.com", password: "x" }, {}), "INVALID_CREDENTIALS", LOGIN_FAILED_MESSAGE);
    await expectFailure(login(t.db, { username: "jdoe", domain: "nope.test", password: "x" }, {}), "INVALID_CREDENTIALS", LOGIN_FAILED_MESSAGE);
    await expectFailure(login(t.db, { username: "5550100001", domain: "svc_phone", password: "0000" }, {}), "INVALID_CREDENTIALS", LOGIN_FAILED_MESSAGE);
  });

  test("bad input is a clear error", async () => {
    await expectFailure(login(t.db, { email, password: "" }, {}), "INVALID_INPUT", "Enter your password");
    await expectFailure(login(t.db, { password: "x" }, {}), "INVALID_INPUT");
    await expectFailure(login(t.db, { email: "a".repeat(300), password: "x" }, {}), "INVALID_INPUT");
  });

  test("a login that meets a hash of another scrypt cost stores it again at the current cost", async () => {
    const old = await hashPassword(TEST_PASSWORD, { logN: 10, p: 1 });
    assert.ok(passwordNeedsRehash(old));
    await t.db.update(svcAcct).set({ password: old }).where(eq(svcAcct.username, "jdoe"));
    // a wrong password changes nothing
    await expectFailure(login(t.db, { username: "jdoe", domain: "isp.test", password: "wrong" }, {}), "INVALID_CREDENTIALS");
    const [before] = await t.db.select({ pw: svcAcct.password }).from(svcAcct).where(eq(svcAcct.username, "jdoe"));
    assert.equal(before!.pw, old);
    const r = await login(t.db, { username: "jdoe", domain: "isp.test", password: TEST_PASSWORD }, {});
    assert.equal(r.custnum, custnum);
    const [after] = await t.db.select({ pw: svcAcct.password }).from(svcAcct).where(eq(svcAcct.username, "jdoe"));
    assert.notEqual(after!.pw, old);
    assert.equal(passwordNeedsRehash(after!.pw!), false);
    assert.ok(await verifyPassword(TEST_PASSWORD, after!.pw));
    // and the new hash logs in
    assert.equal((await login(t.db, { username: "jdoe", domain: "isp.test", password: TEST_PASSWORD }, {})).custnum, custnum);
  });

  test("passwords and PINs are stored only as scrypt hashes", async () => {
    const [acct] = await t.db.select({ pw: svcAcct.password }).from(svcAcct).where(eq(svcAcct.username, "jdoe"));
    assert.match(acct!.pw!, /^\$scrypt\$/);
    const contacts = await t.db.select({ pw: contact.password }).from(contact);
    assert.ok(contacts.every((c) => !c.pw || c.pw.startsWith("$scrypt$")));
    const pins = await t.db.execute(sql`SELECT pin FROM svc_phone`);
    assert.ok(JSON.stringify(pins).includes("$scrypt$") && !JSON.stringify(pins).includes("2468"));
  });
});

describe("sessions", () => {
  test("logout revokes; a revoked or garbage token resolves to nothing", async () => {
    const r = await login(t.db, { email, password: TEST_PASSWORD }, {});
    assert.ok(await revokeSession(t.db, r.sessionToken));
    assert.equal(await resolveCustomerSession(t.db, r.sessionToken), null);
    assert.equal(await resolveCustomerSession(t.db, "nope"), null);
    assert.equal(await resolveCustomerSession(t.db, "f".repeat(64)), null);
  });

  test("absolute and idle expiry", async () => {
    const a = await login(t.db, { email, password: TEST_PASSWORD }, {});
    const b = await login(t.db, { email, password: TEST_PASSWORD }, {});
    const { hashToken } = await import("../../lib/auth/tokens");
    await t.db.update(session).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(session.tokenHash, hashToken(a.sessionToken)));
    await t.db.update(session).set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) }).where(eq(session.tokenHash, hashToken(b.sessionToken)));
    assert.equal(await resolveCustomerSession(t.db, a.sessionToken), null);
    assert.equal(await resolveCustomerSession(t.db, b.sessionToken), null);
  });
});

describe("throttling", () => {
  test("an identity is locked after repeated failures, even with the right password", async () => {
    const who = await createTestCustomer(t.db, world);
    for (let i = 0; i < LOGIN_THROTTLE.identity.maxAttempts; i++) {
      await expectFailure(login(t.db, { email: who.email, password: "wrong" }, { ip: `10.1.0.${i}` }), "INVALID_CREDENTIALS");
    }
    await assert.rejects(login(t.db, { email: who.email, password: TEST_PASSWORD }, { ip: "10.1.1.1" }), (e: unknown) => {
      assert.ok(isAppError(e) && e.code === "RATE_LIMITED");
      assert.match(e.message, /Too many failed login attempts/);
      assert.ok((e.retryAfterSeconds ?? 0) > 0);
      return true;
    });
  });

  test("an address is locked after many failures across identities", async () => {
    for (let i = 0; i < LOGIN_THROTTLE.address.maxAttempts; i++) {
      await expectFailure(login(t.db, { email: `ghost${i}@example.com`, password: "x" }, { ip: "192.0.2.9" }), "INVALID_CREDENTIALS");
    }
    await expectFailure(login(t.db, { email, password: TEST_PASSWORD }, { ip: "192.0.2.9" }), "RATE_LIMITED");
    // another address is unaffected
    const ok = await login(t.db, { email, password: TEST_PASSWORD }, { ip: "192.0.2.10" });
    assert.equal(ok.custnum, custnum);
  });
});
