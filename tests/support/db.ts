import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDb, type DbHandle } from "../../db/client";

/**
 * Each test file gets its own database: a copy of the migrated template that `npm test`
 * builds once (PORTICO_TEST_TEMPLATE), dropped when the file is done. With
 * PORTICO_TEST_DRIVER=pglite the same suite runs on an in-memory PGlite instead.
 * Tests refuse to run against anything but a local PostgreSQL.
 */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`tests refuse to run against a non-local database (${host})`);
  }
}

export function databaseUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDb extends DbHandle {
  name: string;
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  if (process.env.PORTICO_TEST_DRIVER === "pglite") {
    const handle = await openDb({ pgliteDir: "memory" });
    return { ...handle, name: "pglite:memory", drop: () => handle.close() };
  }
  assertLocal(ADMIN_URL);
  const name = `portico_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const template = process.env.PORTICO_TEST_TEMPLATE;
    if (template) {
      await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } else {
      await admin.unsafe(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const handle = await openDb({ url, poolMax: 20, migrate: !process.env.PORTICO_TEST_TEMPLATE });
  return {
    ...handle,
    name,
    url,
    async drop() {
      await handle.close();
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
