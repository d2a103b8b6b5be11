import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { ADMIN_URL, assertLocal, databaseUrl } from "../support/db";

/**
 * Issue 22 §11: instances that start together on one empty database must not race their
 * migrations. Two separate Node processes open the database through db/client.ts at the same
 * moment; both must succeed, and the schema must be migrated exactly once.
 */
const SCRIPT = path.join(process.cwd(), "tests", "hardening", "support", "open-db-when-told.ts");
const journal = JSON.parse(readFileSync(path.join(process.cwd(), "db", "migrations", "meta", "_journal.json"), "utf8")) as { entries: unknown[] };

function startOpener(url: string): { child: ChildProcess; ready: Promise<void>; done: Promise<{ code: number | null; out: string }> } {
  const child = spawn(process.execPath, ["--import", "./scripts/support/register.mjs", SCRIPT], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout!.on("data", (d) => {
    out += d;
    if (out.includes("ready")) markReady();
  });
  child.stderr!.on("data", (d) => (out += d));
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on("exit", (code) => resolve({ code, out })));
  return { child, ready, done };
}

describe("migrations at start (advisory lock)", () => {
  const name = `portico_t_mig_${randomBytes(5).toString("hex")}`;
  const url = databaseUrl(name);
  let admin: postgres.Sql;

  before(async () => {
    assertLocal(ADMIN_URL);
    admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  });
  after(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  test("two processes opening one empty database at once both succeed, and migrate it once", { timeout: 120_000 }, async () => {
    const a = startOpener(url);
    const b = startOpener(url);
    await Promise.all([a.ready, b.ready]);
    a.child.stdin!.write("go\n");
    b.child.stdin!.write("go\n");
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.code, 0, `first process: ${ra.out}`);
    assert.equal(rb.code, 0, `second process: ${rb.out}`);

    const db = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const [{ n }] = await db<[{ n: number }]>`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`;
      assert.equal(n, journal.entries.length, "each migration recorded once");
      const [{ t }] = await db<[{ t: number }]>`SELECT count(*)::int AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('cust_main', 'agent', 'session')`;
      assert.equal(t, 3);
      // The lock is released: nothing holds it any more.
      const [{ held }] = await db<[{ held: number }]>`SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory'`;
      assert.equal(held, 0);
    } finally {
      await db.end();
    }
  });
});
