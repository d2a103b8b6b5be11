import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, orderTestPackage, type CustomerFixture, type World } from "../support/fixtures";
import { createAgentSession, createCustomerSession, revokeSession } from "../../lib/auth/sessions";
import { getCustomerInfo, getCustomerInfoForSession } from "../../lib/customers/customer-info";
import { billCustomer } from "../../lib/billing/bill-customer";
import { listInvoices, listInvoicesForSession } from "../../lib/billing/list-invoices";
import { hashToken } from "../../lib/auth/tokens";
import { session } from "../../db/schema";

// The reads behind /account, /invoices and RPC customer_info / list_invoices check the session in
// their own statement. They must accept exactly the sessions resolveSession accepts, give the
// same data as the custnum forms, and refresh last_seen_at the same way.

let t: TestDb;
let world: World;
let alice: CustomerFixture;
let bob: CustomerFixture;

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
  alice = await createTestCustomer(t.db, world);
  bob = await createTestCustomer(t.db, world);
  await orderTestPackage(t.db, alice.custnum, world.pkgparts.dslMonthly, { orderDate: new Date("2026-01-01T00:00:00Z") });
  for (let m = 0; m < 3; m++) await billCustomer(t.db, alice.custnum, { asOf: new Date(Date.UTC(2026, m, 1, 6)) });
});
after(() => t.drop());

describe("reads that check the session in the same statement", () => {
  test("a valid session gives its own customer's data, the same as the custnum form", async () => {
    const token = await createCustomerSession(t.db, { custnum: alice.custnum, contactnum: alice.contactnum });
    const loaded = await getCustomerInfoForSession(t.db, token);
    assert.ok(loaded);
    assert.equal(loaded.session.custnum, alice.custnum);
    assert.equal(loaded.session.contactnum, alice.contactnum);
    assert.equal(loaded.session.svcnum, null);
    assert.deepEqual(loaded.info, await getCustomerInfo(t.db, alice.custnum));

    const page = await listInvoicesForSession(t.db, token, { page: 1, pageSize: 2 });
    assert.ok(page);
    assert.equal(page.session.custnum, alice.custnum);
    assert.deepEqual(page.page, await listInvoices(t.db, { custnum: alice.custnum, page: 1, pageSize: 2 }));
    assert.equal(page.page.total, 3);
    assert.equal(page.page.invoices.length, 2);
  });

  test("another customer's session reads that customer only", async () => {
    const token = await createCustomerSession(t.db, { custnum: bob.custnum, contactnum: bob.contactnum });
    const info = await getCustomerInfoForSession(t.db, token);
    assert.equal(info?.info.custnum, bob.custnum);
    const page = await listInvoicesForSession(t.db, token);
    assert.equal(page?.session.custnum, bob.custnum);
    assert.equal(page?.page.total, 0);
    assert.deepEqual(page?.page.invoices, []);
    assert.equal(page?.page.balanceCents, 0);
  });

  test("a page past the end still carries the session and the real total", async () => {
    const token = await createCustomerSession(t.db, { custnum: alice.custnum });
    const page = await listInvoicesForSession(t.db, token, { page: 9, pageSize: 2 });
    assert.equal(page?.session.custnum, alice.custnum);
    assert.equal(page?.page.total, 3);
    assert.deepEqual(page?.page.invoices, []);
  });

  test("missing, malformed, unknown, revoked, expired, idle and agent sessions read nothing", async () => {
    const now = new Date();
    const revoked = await createCustomerSession(t.db, { custnum: alice.custnum });
    await revokeSession(t.db, revoked);
    const expired = await createCustomerSession(t.db, { custnum: alice.custnum });
    const idle = await createCustomerSession(t.db, { custnum: alice.custnum });
    const agent = await createAgentSession(t.db, world.agentnum);
    await t.db.update(session).set({ expiresAt: new Date(now.getTime() - 1000) }).where(eq(session.tokenHash, hashToken(expired)));
    await t.db.update(session).set({ lastSeenAt: new Date(now.getTime() - 24 * 3600_000) }).where(eq(session.tokenHash, hashToken(idle)));
    for (const token of [undefined, "", "nope", "A".repeat(64), "0".repeat(64), revoked, expired, idle, agent, 42, { token: revoked }]) {
      assert.equal(await getCustomerInfoForSession(t.db, token), null, `customer info for ${String(token)}`);
      assert.equal(await listInvoicesForSession(t.db, token), null, `invoices for ${String(token)}`);
    }
  });

  test("use refreshes last_seen_at once it is over a minute old, as every session lookup does", async () => {
    const token = await createCustomerSession(t.db, { custnum: alice.custnum });
    const old = new Date(Date.now() - 5 * 60_000);
    await t.db.update(session).set({ lastSeenAt: old }).where(eq(session.tokenHash, hashToken(token)));
    assert.ok(await getCustomerInfoForSession(t.db, token));
    const [after1] = await t.db.select().from(session).where(eq(session.tokenHash, hashToken(token)));
    assert.ok(after1!.lastSeenAt.getTime() > old.getTime() + 60_000, "refreshed");
    await t.db.update(session).set({ lastSeenAt: old }).where(eq(session.tokenHash, hashToken(token)));
    assert.ok(await listInvoicesForSession(t.db, token));
    const [after2] = await t.db.select().from(session).where(eq(session.tokenHash, hashToken(token)));
    assert.ok(after2!.lastSeenAt.getTime() > old.getTime() + 60_000, "refreshed by the invoice list too");
  });
});
