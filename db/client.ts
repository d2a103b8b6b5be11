import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import * as schema from "./schema";
import { getEnv } from "../lib/env";

declare const POOL: unique symbol;
type Database = PostgresJsDatabase<typeof schema>;
/**
 * The database itself (the pool): what openDb returns. Branded so that a transaction (`Tx`) is NOT
 * assignable to it — drizzle's transaction type has the same shape — which lets a function demand
 * to run outside any transaction by taking `Db`: every function that calls the payment gateway
 * does (a processor call must never hold row locks or an open transaction; see ARCHITECTURE.md).
 */
export type Db = Database & { readonly [POOL]: true };
/** An open transaction. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** The database or an open transaction (both have the same query API): what most domain functions take. */
export type DbOrTx = Db | Tx;

export type Driver = "postgres" | "pglite";

export interface DbHandle {
  db: Db;
  driver: Driver;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/**
 * Opens a database: postgres.js when a URL is given, else embedded PGlite in `pgliteDir`
 * ("memory" for an in-memory instance). Applies migrations unless told not to.
 */
export async function openDb(options: { url?: string; pgliteDir?: string; poolMax?: number; migrate?: boolean }): Promise<DbHandle> {
  const migrateNow = options.migrate ?? true;
  if (options.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    // A database that does not answer a new connection within 2 s is treated as unavailable
    // (lib/db/availability.ts): requests answer 503 quickly instead of hanging for postgres.js's 30 s default.
    const client = postgres(options.url, { max: options.poolMax ?? 10, connect_timeout: 2, onnotice: () => {}, connection: { application_name: "portico" } });
    const db = drizzle(withPreparedStatements(client), { schema }) as unknown as Db;
    if (migrateNow) {
      try {
        await migratePostgres(options.url);
      } catch (e) {
        await client.end({ timeout: 5 });
        throw e;
      }
    }
    return { db, driver: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dir = options.pgliteDir ?? ".data/pglite";
  let client;
  if (dir === "memory") {
    client = new PGlite();
  } else {
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir);
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  if (migrateNow) {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  }
  return { db, driver: "pglite", close: () => client.close() };
}

/** The advisory lock key migrations hold (a fixed bigint nothing else uses: "portico" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x706f727469636fn;

/**
 * Applies the migrations to a PostgreSQL database while holding a session-level advisory lock,
 * so instances starting together on one database migrate one after the other: the first applies
 * what is missing, the others then find nothing to do (drizzle's own migrator creates its schema
 * and table, then applies every migration in one transaction, and two of those at once collide on
 * "already exists"). Runs on a connection of its own, closed at the end: a process that dies
 * while migrating releases the lock with its connection.
 */
export async function migratePostgres(url: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const conn = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: "portico-migrate" } });
  try {
    await conn`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    try {
      await migrate(drizzle(conn, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await conn`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`.catch(() => {});
    }
  } finally {
    await conn.end({ timeout: 5 });
  }
}

/**
 * drizzle runs every query it was not given a name for with `prepare: false` (an unnamed
 * statement), so PostgreSQL parses and plans it again on every execution — for the portal's
 * aggregated reads that planning costs more than running them. This puts back postgres.js's own
 * default for data statements: named prepared statements, cached per connection by their text
 * (drizzle keeps values out of the text as $n parameters), so each connection plans a query once.
 * Schema statements (migrations) stay unnamed.
 */
const DML = /^\s*(?:SELECT|WITH|INSERT|UPDATE|DELETE)\b/i;
type PgClient = import("postgres").Sql;
function withPreparedStatements<T extends PgClient>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (query: string, params?: unknown[], opts?: { prepare?: boolean }) =>
          target.unsafe(query, params as never, DML.test(query) ? { ...opts, prepare: true } : opts);
      }
      if (prop === "begin" || prop === "savepoint") {
        // Transactions and savepoints hand their own client to the callback: wrap that one too.
        return (...args: unknown[]) => {
          const cb = args[args.length - 1] as (tx: PgClient) => unknown;
          args[args.length - 1] = (tx: PgClient) => cb(withPreparedStatements(tx));
          return (Reflect.get(target, prop) as (...a: unknown[]) => unknown)(...args);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

const KEY = Symbol.for("portico.db");
type Holder = { [KEY]?: Promise<DbHandle> };

/**
 * The process-wide database (memoised on globalThis so every route bundle shares one pool).
 * A failed open is not cached, so the next request retries.
 */
export function getDbHandle(): Promise<DbHandle> {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const env = getEnv();
    const started = Date.now();
    const p = openDb({ url: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, poolMax: env.PGPOOL_MAX }).then((h) => {
      console.log(`[db] ready (${h.driver}) in ${Date.now() - started} ms`);
      return h;
    });
    holder[KEY] = p;
    p.catch(() => {
      if (holder[KEY] === p) delete holder[KEY];
    });
  }
  return holder[KEY];
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}
