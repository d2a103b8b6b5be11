import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { eq, sql } from "drizzle-orm";
import * as schema from "../../db/schema";
import { session } from "../../db/schema";
import type { Db } from "../../db/client";
import { createTestDb, type TestDb } from "../support/db";
import { seedDemo } from "../../db/seed/demo";
import { seedScale } from "../../db/seed/scale";
import { createAgentSession, createCustomerSession, revokeSession } from "../../lib/auth/sessions";
import { hashToken } from "../../lib/auth/tokens";
import { getBalanceCents, getNextBillDate } from "../../lib/billing/balance";
import { billingHistory, billingHistoryForSession, type HistoryPage } from "../../lib/billing/billing-history";
import { getInvoice, getInvoiceForSession } from "../../lib/billing/invoice";
import { listInvoices, listInvoicesForSession } from "../../lib/billing/list-invoices";
import { queryRows } from "../../lib/db/rows";
import { recordRefund } from "../../lib/billing/record-payment";
import { isAppError } from "../../lib/errors";

// /billing/history, /invoices/N (and its PDF) and RPC billing_history / invoice / invoice_pdf read
// through billingHistoryForSession and getInvoiceForSession: the session is checked inside the
// read's one statement. On the scale seed's customers (years of invoices, payments, credits and
// refunds) they must give exactly what the custnum forms give, the history must equal one worked
// out from the tables by hand, an invalid session must read nothing, and another customer's
// invoice must be "not found" exactly like a missing one.

let t: TestDb;
let counting: postgres.Sql;
/** The same database through a driver that counts the statements it sends. */
let countingDb: Db;
let statements = 0;
let customers: number[] = [];

before(async () => {
  t = await createTestDb();
  await seedDemo(t.db);
  await seedScale(t.db, { customers: 24, vaultKey: Buffer.alloc(32, 7) });
  customers = (
    await queryRows<{ custnum: number }>(
      t.db,
      sql`SELECT c.custnum FROM cust_main c WHERE EXISTS (SELECT 1 FROM cust_bill b WHERE b.custnum = c.custnum) ORDER BY c.custnum`,
    )
  ).map((r) => Number(r.custnum));
  counting = postgres(t.url!, {
    max: 1,
    onnotice: () => {},
    debug: () => {
      statements++;
    },
  });
  countingDb = drizzle(counting, { schema }) as unknown as Db;
  await counting`SELECT 1`; // the connection's own first statements (postgres.js reads the array types) are not a read's
  // The scale seed writes no refunds for so few customers: give two of them one, the first on the
  // very instant of an invoice (entries at one instant are ordered invoice, payment, credit, refund).
  const [inv] = await queryRows<{ custnum: number; date: Date | string }>(t.db, sql`SELECT custnum, _date AS date FROM cust_bill WHERE custnum = ${customers[0]!} ORDER BY invnum LIMIT 1`);
  await t.db.transaction(async (tx) => {
    await recordRefund(tx, { custnum: customers[0]!, refundCents: 1234, payby: "CASH", reason: "Goodwill", date: new Date(inv!.date) });
    await recordRefund(tx, { custnum: customers[5]!, refundCents: 99, payby: "CHEK", paymask: "cheque 7", date: new Date("2026-01-02T00:00:00Z") });
  });
});
after(async () => {
  await counting?.end({ timeout: 5 });
  await t.drop();
});

async function countStatements<T>(fn: (db: Db) => Promise<T>): Promise<{ value: T; statements: number }> {
  statements = 0;
  const value = await fn(countingDb);
  return { value, statements };
}

async function rejectsNotFound(p: Promise<unknown>, what: string) {
  await assert.rejects(
    p,
    (e: unknown) => {
      assert.ok(isAppError(e), `${what}: ${String(e)}`);
      assert.equal(e.code, "NOT_FOUND", what);
      assert.equal(e.message, "Can't find invnum", what);
      return true;
    },
    what,
  );
}

type Entry = { type: string; ord: number; id: number; date: number; amount: number };

/** The customer's history worked out from the four tables in JavaScript: oldest first, with the running balance. */
async function historyByHand(custnum: number): Promise<(Entry & { balance: number })[]> {
  const rows = await queryRows<{ type: string; ord: number; id: number; date: string | number; amount: string | number }>(
    t.db,
    sql`SELECT 'Invoice' AS type, 0 AS ord, invnum AS id, (extract(epoch FROM _date) * 1000)::bigint AS date, (charged * 100)::bigint AS amount FROM cust_bill WHERE custnum = ${custnum}
        UNION ALL SELECT 'Payment', 1, paynum, (extract(epoch FROM _date) * 1000)::bigint, -(paid * 100)::bigint FROM cust_pay WHERE custnum = ${custnum}
        UNION ALL SELECT 'Credit', 2, crednum, (extract(epoch FROM _date) * 1000)::bigint, -(amount * 100)::bigint FROM cust_credit WHERE custnum = ${custnum}
        UNION ALL SELECT 'Refund', 3, refundnum, (extract(epoch FROM _date) * 1000)::bigint, (refund * 100)::bigint FROM cust_refund WHERE custnum = ${custnum}`,
  );
  const entries: Entry[] = rows.map((r) => ({ type: r.type, ord: Number(r.ord), id: Number(r.id), date: Number(r.date), amount: Number(r.amount) }));
  entries.sort((a, b) => a.date - b.date || a.ord - b.ord || a.id - b.id);
  let balance = 0;
  return entries.map((e) => ({ ...e, balance: (balance += e.amount) }));
}

function summary(h: HistoryPage) {
  return h.rows.map((r) => [r.type, r.id, r.date.getTime(), r.amountCents, r.balanceCents]);
}

describe("billingHistoryForSession", () => {
  test("for every seeded customer and several page sizes: the same as billingHistory, and as the history worked out by hand", async () => {
    assert.ok(customers.length >= 20, `seeded customers with invoices: ${customers.length}`);
    let kinds = new Set<string>();
    for (const custnum of customers) {
      const token = await createCustomerSession(t.db, { custnum });
      const byHand = await historyByHand(custnum);
      const newestFirst = [...byHand].reverse();
      const balance = await getBalanceCents(t.db, custnum);
      const next = await getNextBillDate(t.db, custnum);
      assert.equal(byHand.at(-1)?.balance ?? 0, balance, `customer ${custnum}: the history adds up to the balance`);
      for (const pageSize of [1, 7, 25, 100]) {
        const pages = Math.max(1, Math.ceil(byHand.length / pageSize));
        for (const page of [1, 2, pages, pages + 1]) {
          const what = `customer ${custnum}, page ${page} of size ${pageSize}`;
          const mine = await billingHistory(t.db, { custnum, page, pageSize });
          const loaded = await billingHistoryForSession(t.db, token, { page, pageSize });
          assert.ok(loaded, what);
          assert.equal(loaded.session.custnum, custnum, what);
          assert.deepEqual(loaded.history, mine, what);
          assert.equal(mine.total, byHand.length, what);
          assert.equal(mine.balanceCents, balance, what);
          assert.equal(mine.pageCount, pages, what);
          assert.deepEqual(
            summary(mine),
            newestFirst.slice((page - 1) * pageSize, page * pageSize).map((e) => [e.type, e.id, e.date, e.amount, e.balance]),
            what,
          );
        }
      }
      const withNext = await billingHistoryForSession(t.db, token, { withNextBillDate: true });
      assert.equal(withNext?.history.nextBillDate?.getTime() ?? null, next?.getTime() ?? null, `customer ${custnum}: next bill date`);
      kinds = new Set([...kinds, ...byHand.map((e) => e.type)]);
    }
    assert.deepEqual([...kinds].sort(), ["Credit", "Invoice", "Payment", "Refund"], "the fixture covers every kind of entry");
  });

  test("one statement, for the page, a page past the end and with the next bill date", async () => {
    const custnum = customers[0]!;
    const token = await createCustomerSession(t.db, { custnum });
    for (const args of [{}, { page: 999, pageSize: 5 }, { withNextBillDate: true }]) {
      const r = await countStatements((db) => billingHistoryForSession(db, token, args));
      assert.ok(r.value, JSON.stringify(args));
      assert.equal(r.statements, 1, JSON.stringify(args));
    }
    assert.equal((await countStatements((db) => billingHistory(db, { custnum, page: 999 }))).statements, 1);
  });
});

describe("getInvoiceForSession", () => {
  test("every invoice of the seeded customers: the same InvoiceDto as getInvoice", async () => {
    const now = new Date();
    let compared = 0;
    for (const custnum of customers) {
      const token = await createCustomerSession(t.db, { custnum });
      const invnums = (await queryRows<{ invnum: number }>(t.db, sql`SELECT invnum FROM cust_bill WHERE custnum = ${custnum} ORDER BY invnum`)).map((r) => Number(r.invnum));
      for (const invnum of invnums) {
        const loaded = await getInvoiceForSession(t.db, token, { invnum, now });
        assert.ok(loaded);
        assert.equal(loaded.session.custnum, custnum);
        assert.deepEqual(loaded.invoice, await getInvoice(t.db, { custnum, invnum, now }), `invoice ${invnum}`);
        compared++;
      }
    }
    assert.ok(compared > 100, `compared ${compared} invoices`);
  });

  test("another customer's invnum is not found, exactly like a missing or impossible one", async () => {
    const [a, b] = customers;
    const token = await createCustomerSession(t.db, { custnum: a! });
    const [theirs] = await queryRows<{ invnum: number }>(t.db, sql`SELECT max(invnum) AS invnum FROM cust_bill WHERE custnum = ${b!}`);
    const [max] = await queryRows<{ invnum: number }>(t.db, sql`SELECT max(invnum) AS invnum FROM cust_bill`);
    for (const invnum of [Number(theirs!.invnum), Number(max!.invnum) + 1000, 2_147_483_647, 2_147_483_648, 0, -1, 1.5, Number.NaN]) {
      await rejectsNotFound(getInvoiceForSession(t.db, token, { invnum }), `invnum ${invnum}`);
      const r = await countStatements((db) => getInvoiceForSession(db, token, { invnum }).catch((e: unknown) => e));
      assert.ok(isAppError(r.value), `invnum ${invnum}`);
      assert.equal(r.statements, 1, `invnum ${invnum}: the session is still checked, in one statement`);
    }
  });

  test("one statement for one's own invoice", async () => {
    const custnum = customers[1]!;
    const token = await createCustomerSession(t.db, { custnum });
    const [own] = await queryRows<{ invnum: number }>(t.db, sql`SELECT min(invnum) AS invnum FROM cust_bill WHERE custnum = ${custnum}`);
    const r = await countStatements((db) => getInvoiceForSession(db, token, { invnum: Number(own!.invnum) }));
    assert.equal(r.value?.invoice.invnum, Number(own!.invnum));
    assert.equal(r.statements, 1);
  });
});

describe("listInvoicesForSession (/invoices, RPC list_invoices)", () => {
  test("for every seeded customer: the same page as listInvoices, with the balance and the count, in one statement", async () => {
    const now = new Date();
    for (const custnum of customers) {
      const token = await createCustomerSession(t.db, { custnum });
      const balance = await getBalanceCents(t.db, custnum);
      const [n] = await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM cust_bill WHERE custnum = ${custnum} AND hide IS NULL`);
      for (const [page, pageSize] of [[1, 10], [2, 10], [1, 100], [99, 10]] as const) {
        const what = `customer ${custnum}, page ${page} of size ${pageSize}`;
        const r = await countStatements((db) => listInvoicesForSession(db, token, { page, pageSize, now }));
        assert.equal(r.statements, 1, what);
        assert.ok(r.value, what);
        assert.deepEqual(r.value.page, await listInvoices(t.db, { custnum, page, pageSize, now }), what);
        assert.equal(r.value.page.balanceCents, balance, what);
        assert.equal(r.value.page.total, Number(n!.n), what);
      }
    }
  });
});

describe("an invalid session reads nothing", () => {
  test("missing, malformed, unknown, revoked, expired, idle and agent sessions: null, whatever the invnum", async () => {
    const custnum = customers[2]!;
    const [own] = await queryRows<{ invnum: number }>(t.db, sql`SELECT min(invnum) AS invnum FROM cust_bill WHERE custnum = ${custnum}`);
    const [agentnum] = await queryRows<{ agentnum: number }>(t.db, sql`SELECT agentnum FROM cust_main WHERE custnum = ${custnum}`);
    const now = new Date();
    const revoked = await createCustomerSession(t.db, { custnum });
    await revokeSession(t.db, revoked);
    const expired = await createCustomerSession(t.db, { custnum });
    const idle = await createCustomerSession(t.db, { custnum });
    const agent = await createAgentSession(t.db, Number(agentnum!.agentnum));
    await t.db.update(session).set({ expiresAt: new Date(now.getTime() - 1000) }).where(eq(session.tokenHash, hashToken(expired)));
    await t.db.update(session).set({ lastSeenAt: new Date(now.getTime() - 24 * 3600_000) }).where(eq(session.tokenHash, hashToken(idle)));
    for (const token of [undefined, "", "nope", "A".repeat(64), "0".repeat(64), revoked, expired, idle, agent, 42, { token: revoked }]) {
      const what = `token ${String(token)}`;
      assert.equal(await billingHistoryForSession(t.db, token), null, what);
      assert.equal(await billingHistoryForSession(t.db, token, { page: 3, withNextBillDate: true }), null, what);
      for (const invnum of [Number(own!.invnum), 999_999_999, -1]) {
        assert.equal(await getInvoiceForSession(t.db, token, { invnum }), null, `${what}, invnum ${invnum}`);
      }
    }
  });

  test("use refreshes last_seen_at once it is over a minute old, as every session lookup does", async () => {
    const custnum = customers[3]!;
    const [own] = await queryRows<{ invnum: number }>(t.db, sql`SELECT min(invnum) AS invnum FROM cust_bill WHERE custnum = ${custnum}`);
    const token = await createCustomerSession(t.db, { custnum });
    const old = new Date(Date.now() - 5 * 60_000);
    for (const read of [() => billingHistoryForSession(t.db, token), () => getInvoiceForSession(t.db, token, { invnum: Number(own!.invnum) })]) {
      await t.db.update(session).set({ lastSeenAt: old }).where(eq(session.tokenHash, hashToken(token)));
      assert.ok(await read());
      const [row] = await t.db.select().from(session).where(eq(session.tokenHash, hashToken(token)));
      assert.ok(row!.lastSeenAt.getTime() > old.getTime() + 60_000, "refreshed");
    }
  });
});
