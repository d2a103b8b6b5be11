import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { runNodeScript } from "../support/run-script";
import { createTestDb, type TestDb } from "../support/db";
import { queryRows } from "../../lib/db/rows";

/**
 * Issue 22 §11: `npm start` with DATABASE_URL seeds the demo ISP (whose passwords are published)
 * only with PORTICO_DEMO=1; an empty production database gets its migrations and nothing else,
 * and the start output says how to set it up.
 */
let plain: TestDb;
let demo: TestDb;

before(async () => {
  plain = await createTestDb();
  demo = await createTestDb();
});
after(async () => {
  await plain?.drop();
  await demo?.drop();
});

async function prepare(databaseUrl: string, extra: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  // PORTICO_DEMO only when the test sets it.
  const r = await runNodeScript(["scripts/start.mjs", "--prepare-only"], { PORTICO_DEMO: undefined, ...extra, DATABASE_URL: databaseUrl }, { plain: true });
  return { code: r.code, out: r.stdout + r.stderr };
}

async function counts(t: TestDb) {
  const [row] = await queryRows<{ agents: number; customers: number }>(t.db, sql`SELECT (SELECT count(*)::int FROM agent) AS agents, (SELECT count(*)::int FROM cust_main) AS customers`);
  return row!;
}

describe("npm start on PostgreSQL", () => {
  test("without PORTICO_DEMO: migrations only, no demo logins, and a pointer to setting up", { timeout: 120_000 }, async () => {
    const r = await prepare(plain.url!);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(await counts(plain), { agents: 0, customers: 0 });
    assert.match(r.out, /No demo data \(PORTICO_DEMO is not 1\)/);
    assert.doesNotMatch(r.out, /Demo-pass-2026/);
  });

  test("with PORTICO_DEMO=1: the demo ISP is seeded into the empty database", { timeout: 120_000 }, async () => {
    const r = await prepare(demo.url!, { PORTICO_DEMO: "1" });
    assert.equal(r.code, 0, r.out);
    const c = await counts(demo);
    assert.ok(c.agents > 0 && c.customers > 0, JSON.stringify(c));
    assert.match(r.out, /Demo-pass-2026/);
  });
});
