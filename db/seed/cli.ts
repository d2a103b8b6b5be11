import "server-only";
import { count } from "drizzle-orm";
import type { Db } from "../client";
import { agent, custMain } from "../schema";
import { isAppError } from "../../lib/errors";
import { DEMO_MARKER_AGENT } from "./demo-data";
import { formatDemoSummary, isDemoSeeded, seedDemo, type DemoSummary } from "./demo";
import { SCALE_MAX_CUSTOMERS } from "./scale";

/** What `npm run db:seed` does, as functions the tests call too (db/seed/run.ts is the thin CLI). */

export const ALREADY_SEEDED_MESSAGE = `The demo data is already seeded (agent "${DEMO_MARKER_AGENT}" exists): already seeded, nothing to do.`;

export type SeedArgs = { ok: true; ifEmpty: boolean; customers?: number } | { ok: false; exitCode: number; message: string };

export const CUSTOMERS_ARG_MESSAGE = `--customers needs a whole number of customers from 1 to ${SCALE_MAX_CUSTOMERS.toLocaleString("en-US")} (e.g. --customers 100000)`;

/**
 * `--if-empty` (used by `npm start`): seed only a database with no agents or customers at all, so
 * pointing DATABASE_URL at a real database never mixes demo data into it.
 * `--customers N` (or `--customers=N`, `_` and `,` allowed as separators): the scale seed, on top
 * of the demo. Other arguments are ignored.
 */
export function parseSeedArgs(argv: string[]): SeedArgs {
  const ifEmpty = argv.includes("--if-empty");
  const i = argv.findIndex((a) => a === "--customers" || a.startsWith("--customers="));
  if (i < 0) return { ok: true, ifEmpty };
  const raw = argv[i]!.startsWith("--customers=") ? argv[i]!.slice("--customers=".length) : argv[i + 1];
  const digits = (raw ?? "").replace(/[_,]/g, "");
  const n = /^\d{1,7}$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > SCALE_MAX_CUSTOMERS) return { ok: false, exitCode: 2, message: CUSTOMERS_ARG_MESSAGE };
  return { ok: true, ifEmpty, customers: n };
}

export type SeedOutcome =
  | { result: "seeded"; summary: DemoSummary }
  | { result: "already-seeded" }
  | { result: "not-empty"; agents: number; customers: number };

/** Seeds the demo unless it is there already (or, with ifEmpty, unless the database has any data). */
export async function seedDemoIfNeeded(db: Db, log: (line: string) => void, opts: { ifEmpty?: boolean; now?: Date } = {}): Promise<SeedOutcome> {
  if (await isDemoSeeded(db)) {
    log(ALREADY_SEEDED_MESSAGE);
    return { result: "already-seeded" };
  }
  if (opts.ifEmpty) {
    const [{ agents } = { agents: 0 }] = await db.select({ agents: count() }).from(agent);
    const [{ customers } = { customers: 0 }] = await db.select({ customers: count() }).from(custMain);
    if (agents > 0 || customers > 0) {
      log(`The database already has data (${agents} agents, ${customers} customers) that is not the demo: not seeding it.`);
      return { result: "not-empty", agents, customers };
    }
  }
  const started = Date.now();
  let summary: DemoSummary;
  try {
    summary = await seedDemo(db, { now: opts.now });
  } catch (e) {
    // Another process seeded it between our check and our lock.
    if (isAppError(e) && e.code === "CONFLICT") {
      log(ALREADY_SEEDED_MESSAGE);
      return { result: "already-seeded" };
    }
    throw e;
  }
  for (const line of formatDemoSummary(summary)) log(line);
  log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { result: "seeded", summary };
}
