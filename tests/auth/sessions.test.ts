import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { and, desc, eq, sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, type CustomerFixture, type World } from "../support/fixtures";
import {
  MAX_LIVE_SESSIONS_PER_LOGIN,
  SESSION_NOT_FOUND_MESSAGE,
  createAgentSession,
  createCustomerSession,
  endLoginSession,
  endOtherLoginSessions,
  listLoginSessions,
  resolveCustomerSession,
  resolveSession,
  sessionPublicId,
  type CustomerSession,
} from "../../lib/auth/sessions";
import { hashToken } from "../../lib/auth/tokens";
import { isAppError } from "../../lib/errors";
import { auditLog, session } from "../../db/schema";

// The per-login cap on live sessions (under real concurrency), and the security page's list and
// sign-outs, scoped to the current login: another login's session is "not found", nothing changes.

let t: TestDb;
let world: World;
let alice: CustomerFixture;
let bob: CustomerFixture;

before(async () => {
  process.env.AUTH_SECRET ??= "x".repeat(40);
  t = await createTestDb();
  world = await createWorld(t.db);
  alice = await createTestCustomer(t.db, world);
  bob = await createTestCustomer(t.db, world);
});
after(() => t.drop());

async function liveCount(where: ReturnType<typeof and>): Promise<number> {
  const rows = await t.db
    .select({ n: sql<number>`count(*)::int` })
    .from(session)
    .where(and(where, sql`${session.expiresAt} > now()`, sql`${session.lastSeenAt} > now() - interval '30 minutes'`));
  return Number(rows[0]!.n);
}

async function exists(token: string): Promise<boolean> {
  return (await t.db.select({ k: session.tokenHash }).from(session).where(eq(session.tokenHash, hashToken(token)))).length === 1;
}

async function current(token: string): Promise<CustomerSession> {
  const s = await resolveCustomerSession(t.db, token);
  assert.ok(s, "the session resolves");
  return s;
}

async function expectNotFound(p: Promise<unknown>) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAppError(e), String(e));
    assert.equal(e.code, "NOT_FOUND");
    assert.equal(e.message, SESSION_NOT_FOUND_MESSAGE);
    return true;
  });
}

describe("at most MAX_LIVE_SESSIONS_PER_LOGIN live sessions per login", () => {
  test("the cap is 20", () => assert.equal(MAX_LIVE_SESSIONS_PER_LOGIN, 20));

  test("40 concurrent logins of one identity end with exactly 20 live sessions, the other logins untouched", async () => {
    const c = await createTestCustomer(t.db, world);
    // Another login of the same customer (an account login: svcnum, no contact) and another customer.
    const otherLogin = await createCustomerSession(t.db, { custnum: c.custnum, svcnum: 987_001 });
    const otherCustomer = await createCustomerSession(t.db, { custnum: bob.custnum, contactnum: bob.contactnum });

    const tokens = await Promise.all(
      Array.from({ length: 40 }, (_, i) => createCustomerSession(t.db, { custnum: c.custnum, contactnum: c.contactnum }, { ip: `10.0.0.${i}`, userAgent: "test" })),
    );
    assert.equal(new Set(tokens).size, 40);
    const thisLogin = and(eq(session.custnum, c.custnum), eq(session.contactnum, c.contactnum));
    assert.equal(await liveCount(thisLogin), MAX_LIVE_SESSIONS_PER_LOGIN);
    const resolving = (await Promise.all(tokens.map((tok) => resolveSession(t.db, tok)))).filter(Boolean);
    assert.equal(resolving.length, MAX_LIVE_SESSIONS_PER_LOGIN);
    assert.ok(await resolveSession(t.db, otherLogin), "the customer's other login keeps its session");
    assert.ok(await resolveSession(t.db, otherCustomer), "another customer's session stays");

    // And again, from 20 live: 40 more at once still leaves 20.
    await Promise.all(Array.from({ length: 40 }, () => createCustomerSession(t.db, { custnum: c.custnum, contactnum: c.contactnum })));
    assert.equal(await liveCount(thisLogin), MAX_LIVE_SESSIONS_PER_LOGIN);
  });

  test("the least recently used sessions are the ones ended; the new one always lives", async () => {
    const c = await createTestCustomer(t.db, world);
    const who = { custnum: c.custnum, contactnum: c.contactnum };
    const tokens: string[] = [];
    for (let i = 0; i < MAX_LIVE_SESSIONS_PER_LOGIN; i++) tokens.push(await createCustomerSession(t.db, who));
    // Use order: tokens[0] most recently, then tokens[1] … tokens[19] least recently.
    for (const [i, tok] of tokens.entries()) {
      await t.db.update(session).set({ lastSeenAt: new Date(Date.now() - (i + 1) * 60_000) }).where(eq(session.tokenHash, hashToken(tok)));
    }
    // Dead sessions of the login do not count towards the cap (and are not ended by it).
    const expired = await createCustomerSession(t.db, who);
    await t.db.update(session).set({ expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() }).where(eq(session.tokenHash, hashToken(expired)));

    // Checked on the rows (resolving a session would count as a use and reorder them).
    const newest = await createCustomerSession(t.db, who);
    assert.equal(await exists(newest), true);
    assert.equal(await exists(tokens[19]!), false, "the least recently used one ended");
    for (const tok of tokens.slice(0, 19)) assert.equal(await exists(tok), true);

    const newer = await createCustomerSession(t.db, who);
    assert.equal(await exists(newer), true);
    assert.equal(await exists(tokens[18]!), false);
    assert.equal(await exists(newest), true);
    assert.equal(await exists(tokens[0]!), true);
    assert.equal((await t.db.select().from(session).where(eq(session.tokenHash, hashToken(expired)))).length, 1, "left for the purge");
  });

  test("agent sessions are capped per agent", async () => {
    const tokens = await Promise.all(Array.from({ length: 30 }, () => createAgentSession(t.db, world.otherAgentnum)));
    assert.equal(await liveCount(and(eq(session.kind, "agent"), eq(session.agentnum, world.otherAgentnum))), MAX_LIVE_SESSIONS_PER_LOGIN);
    assert.equal((await Promise.all(tokens.map((tok) => resolveSession(t.db, tok)))).filter(Boolean).length, MAX_LIVE_SESSIONS_PER_LOGIN);
  });
});

describe("the security page's sessions: list and sign out, scoped to the login", () => {
  test("lists this login's live sessions only, without tokens or hashes, this device marked", async () => {
    await t.db.delete(session).where(eq(session.custnum, alice.custnum));
    const phone = await createCustomerSession(t.db, { custnum: alice.custnum, contactnum: alice.contactnum }, { ip: "198.51.100.7", userAgent: "Mozilla/5.0 (iPhone)" });
    const laptop = await createCustomerSession(t.db, { custnum: alice.custnum, contactnum: alice.contactnum }, { ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0" });
    const ended = await createCustomerSession(t.db, { custnum: alice.custnum, contactnum: alice.contactnum });
    await t.db.update(session).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(session.tokenHash, hashToken(ended)));
    await createCustomerSession(t.db, { custnum: alice.custnum, svcnum: 555 }); // another login of alice
    await createCustomerSession(t.db, { custnum: bob.custnum, contactnum: bob.contactnum });

    const me = await current(laptop);
    const list = await listLoginSessions(t.db, me);
    assert.equal(list.length, 2);
    assert.deepEqual(list.map((s) => s.isCurrent).sort(), [false, true]);
    const mine = list.find((s) => s.isCurrent)!;
    assert.equal(mine.ip, "203.0.113.9");
    assert.equal(mine.id, sessionPublicId(hashToken(laptop)));
    assert.match(mine.id, /^[A-Za-z0-9_-]{22}$/);
    const text = JSON.stringify(list);
    for (const tok of [phone, laptop]) {
      assert.ok(!text.includes(tok), "no token");
      assert.ok(!text.includes(hashToken(tok)), "no token hash");
    }
  });

  test("customer B cannot end customer A's session: not found, nothing changed", async () => {
    const a1 = await createCustomerSession(t.db, { custnum: alice.custnum, contactnum: alice.contactnum });
    const a2 = await createCustomerSession(t.db, { custnum: alice.custnum, contactnum: alice.contactnum });
    const aOtherLogin = await createCustomerSession(t.db, { custnum: alice.custnum, svcnum: 556 });
    const b = await createCustomerSession(t.db, { custnum: bob.custnum, contactnum: bob.contactnum });
    const before = await t.db.select().from(session).orderBy(session.tokenHash);
    const auditBefore = (await t.db.select().from(auditLog)).length;

    const bob1 = await current(b);
    await expectNotFound(endLoginSession(t.db, bob1, sessionPublicId(hashToken(a1))));
    // Alice's other login is another login, too.
    await expectNotFound(endLoginSession(t.db, await current(a2), sessionPublicId(hashToken(aOtherLogin))));
    // Missing, malformed and the current session itself: the same answer.
    await expectNotFound(endLoginSession(t.db, bob1, "AAAAAAAAAAAAAAAAAAAAAA"));
    await expectNotFound(endLoginSession(t.db, bob1, "not an id"));
    await expectNotFound(endLoginSession(t.db, bob1, { id: 1 }));
    await expectNotFound(endLoginSession(t.db, bob1, sessionPublicId(hashToken(b))));
    // Not the hash itself either.
    await expectNotFound(endLoginSession(t.db, bob1, hashToken(a1)));

    // Nothing changed (last_seen_at aside: resolving a session may touch it).
    const after = await t.db.select().from(session).orderBy(session.tokenHash);
    assert.deepEqual(
      after.map(({ lastSeenAt: _l, ...r }) => r),
      before.map(({ lastSeenAt: _l, ...r }) => r),
    );
    assert.equal((await t.db.select().from(auditLog)).length, auditBefore);
    for (const tok of [a1, a2, aOtherLogin, b]) assert.ok(await resolveSession(t.db, tok));
  });

  test("a customer signs out one of their other sessions; it no longer resolves; an audit row", async () => {
    const mine = await createCustomerSession(t.db, { custnum: alice.custnum, contactnum: alice.contactnum });
    const other = await createCustomerSession(t.db, { custnum: alice.custnum, contactnum: alice.contactnum });
    const me = await current(mine);
    await endLoginSession(t.db, me, sessionPublicId(hashToken(other)), { ip: "192.0.2.44" });
    assert.equal(await resolveSession(t.db, other), null);
    assert.ok(await resolveSession(t.db, mine));
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.custnum, alice.custnum)).orderBy(desc(auditLog.auditnum)).limit(1);
    assert.equal(row?.action, "logout");
    assert.equal(row?.ip, "192.0.2.44");
    assert.deepEqual(row?.detail, { scope: "one_other_session" });
    // Twice: not found.
    await expectNotFound(endLoginSession(t.db, me, sessionPublicId(hashToken(other))));
  });

  test("sign out everywhere else: every other session of this login ends, this one and other logins stay, an audit row", async () => {
    await t.db.delete(session).where(eq(session.custnum, alice.custnum));
    const who = { custnum: alice.custnum, contactnum: alice.contactnum };
    const mine = await createCustomerSession(t.db, who);
    const others = await Promise.all([createCustomerSession(t.db, who), createCustomerSession(t.db, who), createCustomerSession(t.db, who)]);
    const otherLogin = await createCustomerSession(t.db, { custnum: alice.custnum, svcnum: 557 });
    const bobs = await createCustomerSession(t.db, { custnum: bob.custnum, contactnum: bob.contactnum });

    const ended = await endOtherLoginSessions(t.db, await current(mine), { ip: "192.0.2.45" });
    assert.equal(ended, 3);
    for (const tok of others) assert.equal(await resolveSession(t.db, tok), null);
    assert.ok(await resolveSession(t.db, mine));
    assert.ok(await resolveSession(t.db, otherLogin));
    assert.ok(await resolveSession(t.db, bobs));
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.custnum, alice.custnum)).orderBy(desc(auditLog.auditnum)).limit(1);
    assert.equal(row?.action, "logout");
    assert.equal(row?.contactnum, alice.contactnum);
    assert.deepEqual(row?.detail, { scope: "everywhere_else", sessions_ended: 3 });
    assert.deepEqual((await listLoginSessions(t.db, await current(mine))).map((s) => s.isCurrent), [true]);
  });
});
