import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
process.env.PORTICO_VAULT_KEY ??= randomBytes(32).toString("hex");
process.env.AUTH_SECRET ??= "test-secret-".padEnd(48, "x");
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer } from "../support/fixtures";
import { createSignupWorld } from "../signup/support/signup-world";
import { jsonRpc } from "../support/rpc-server";
import { createCustomerSession } from "../../lib/auth/sessions";
import { queryRows } from "../../lib/db/rows";
import { TEST_CARDS } from "../../lib/payments/gateway/test-gateway";

/**
 * Issue 22 §9: a Portico process killed with SIGKILL in the middle of a burst of payments, then
 * started again: every charge the processor approved is recorded exactly once, nothing is recorded
 * that the processor did not approve, and no attempt is left unfinished. The processor's side is the
 * test gateway's durable ledger (test_gateway_charge), which survives the crash as a real
 * processor's records would; the restart settles from it (settleAtStart, as instrumentation-node.ts).
 */
let t: TestDb;
const children: ChildProcess[] = [];
const YEAR = String(new Date().getUTCFullYear() + 2);
const BURST = 36;
/** SIGKILL once this many approvals are in the processor's ledger. */
const KILL_AFTER = 8;
/** Signups (new_customer with a card) in the same burst. */
const SIGNUPS = 6;
const SIGNUP_PASSWORD = "Crash-signup-1";

before(async () => {
  t = await createTestDb();
});
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await t.drop();
});

interface Server {
  child: ChildProcess;
  url: string;
  /** Resolves with the settle-at-start line. */
  settled: Promise<string>;
  output: () => string;
}

function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "./scripts/support/register.mjs", "tests/support/rpc-child.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: t.url!, PORTICO_GATEWAY: "test", PORTICO_TEST_GATEWAY_TIMEOUT_MS: "1000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  let settledLine: (line: string) => void;
  const settled = new Promise<string>((r) => (settledLine = r));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /^listening (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, settled, output: () => out });
      }
      const s = /^\[payments\] settled at start: .*$/m.exec(out);
      if (s) settledLine(s[0]);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!/^listening /m.test(out)) reject(new Error(`server exited (${code ?? signal}):\n${out}`));
    });
  });
}

const count = async (query: ReturnType<typeof sql>) => Number((await queryRows<{ n: number }>(t.db, query))[0]!.n);

describe("kill -9 during a burst of payments, then restart (issue 22 §9)", () => {
  test("every approved charge is recorded exactly once; nothing unapproved is recorded; nothing is left pending", { timeout: 240_000 }, async (ctx) => {
    const world = await createSignupWorld(t.db);
    const sessions: string[] = [];
    for (let i = 0; i < BURST; i++) {
      const c = await createTestCustomer(t.db, world);
      sessions.push(await createCustomerSession(t.db, { custnum: c.custnum, contactnum: c.contactnum }));
    }

    const first = await startServer({ CRASH_TEST_RESPONSE_DELAY_MS: "400", CRASH_TEST_SIGNUP_DELAY_MS: "60000" });
    await first.settled; // nothing to settle yet; the server is fully up
    const rpc = `${first.url}/api/selfservice/jsonrpc`;
    const signupDeadline = Date.now() + 120_000;
    // Signups too: each commits a not-yet-active customer, then charges its first invoice.
    const signups = Array.from({ length: SIGNUPS }, (_, i) => ({
      first: "Crash",
      last: `Signup${i}`,
      address1: `${i} Crash St`,
      city: "Oakland",
      county: "Alameda",
      state: "CA",
      zip: "94607",
      country: "US",
      invoicing_list: `crash${i}@example.com`,
      pkgpart: String(world.signup.dsl),
      username: `crash${i}`,
      _password: SIGNUP_PASSWORD,
      payby: "CARD",
      payinfo: i % 3 === 2 ? TEST_CARDS.declined : TEST_CARDS.visa,
      paycvv: "123",
      paydate: `07/${YEAR}`,
      payname: "Crash Signup",
      payunique: `crash-signup-${i}`,
    }));
    // The signups are charged first; the processor has answered every one of them (its answer is
    // slow to come back: CRASH_TEST_SIGNUP_DELAY_MS), so the kill finds them all not yet active.
    const signupCalls = signups.map((input) => jsonRpc(rpc, "new_customer", input).catch((e: unknown) => e));
    while ((await count(sql`SELECT count(*)::int AS n FROM test_gateway_charge WHERE reference LIKE 'signup-%'`)) < SIGNUPS) {
      assert.ok(Date.now() < signupDeadline, `the signups never reached the gateway:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    // One payment per customer, all at once; every fourth card is declined.
    const burst = sessions.map((session_id, i) =>
      jsonRpc(rpc, "process_payment", {
        session_id,
        amount: `${10 + i}.00`,
        payby: "CARD",
        payinfo: i % 4 === 3 ? TEST_CARDS.declined : TEST_CARDS.visa,
        month: "12",
        year: YEAR,
        payname: "Crash Test",
        payunique: `crash-${i}`,
      }).catch((e: unknown) => e),
    );

    // Kill once the processor has approved KILL_AFTER charges (its ledger, as a processor sees it).
    const deadline = Date.now() + 120_000;
    while ((await count(sql`SELECT count(*)::int AS n FROM test_gateway_charge WHERE status = 'approved' AND reference LIKE 'crash-%'`)) < KILL_AFTER) {
      assert.ok(Date.now() < deadline, `the burst never reached ${KILL_AFTER} approvals:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    await Promise.all([...burst, ...signupCalls]);

    // What the crash left: approvals the processor made that Portico has not recorded, and unfinished attempts.
    const approvedNotRecorded = await count(
      sql`SELECT count(*)::int AS n FROM test_gateway_charge g WHERE g.status = 'approved' AND NOT EXISTS (SELECT 1 FROM cust_pay p WHERE p.payunique = g.reference)`,
    );
    const unfinished = await count(sql`SELECT count(*)::int AS n FROM cust_pay_pending WHERE status IN ('new', 'pending', 'captured')`);
    const halfMade = await count(sql`SELECT count(*)::int AS n FROM signup_pending`);
    assert.ok(approvedNotRecorded >= 1, "the kill hit at least one charge approved by the processor but not yet recorded");
    assert.ok(unfinished >= 1);
    assert.equal(halfMade, SIGNUPS, "every signup was killed between its charge and its activation");

    // Restart: the start settles everything (in the background; its one log line says what).
    const second = await startServer({});
    const line = await second.settled;
    ctx.diagnostic(`at the kill: ${approvedNotRecorded} approved but not recorded, ${unfinished} unfinished, ${halfMade} signups not yet active; restart: ${line}`);
    assert.match(line, /settled at start: \d+ unfinished payment attempt\(s\) \(\d+ recorded as payments/);
    assert.doesNotMatch(line, /still unfinished/);
    const approvedSignups = signups.filter((x) => x.payinfo === TEST_CARDS.visa).length;
    assert.match(line, new RegExp(`${SIGNUPS} unfinished signup\\(s\\) \\(${approvedSignups} activated, ${SIGNUPS - approvedSignups} removed\\)`));

    // Every approved charge at the processor has exactly one payment; no payment without an approval.
    const charges = await queryRows<{ reference: string; status: string; pays: number; amount: string; paid: string | null }>(
      t.db,
      sql`SELECT g.reference, g.status, g.amount::text AS amount,
                 (SELECT count(*)::int FROM cust_pay p WHERE p.payunique = g.reference) AS pays,
                 (SELECT p.paid::text FROM cust_pay p WHERE p.payunique = g.reference LIMIT 1) AS paid
            FROM test_gateway_charge g ORDER BY g.reference`,
    );
    assert.ok(charges.filter((c) => c.status === "approved").length >= KILL_AFTER);
    for (const c of charges) {
      if (c.status === "approved") {
        assert.equal(Number(c.pays), 1, `approved ${c.reference} recorded exactly once`);
        assert.equal(c.paid, c.amount, `${c.reference} recorded for the amount charged`);
      } else assert.equal(Number(c.pays), 0, `${c.status} ${c.reference} never recorded as a payment`);
    }
    assert.equal(
      await count(sql`SELECT count(*)::int AS n FROM cust_pay p WHERE NOT EXISTS (SELECT 1 FROM test_gateway_charge g WHERE g.reference = p.payunique AND g.status = 'approved')`),
      0,
      "no payment without an approved charge",
    );
    assert.equal(await count(sql`SELECT count(*)::int AS n FROM cust_pay_pending WHERE status IN ('new', 'pending', 'captured')`), 0, "nothing left unsettled");
    // Every signup is settled: paid ones are active customers who can log in, the others are gone.
    assert.equal(await count(sql`SELECT count(*)::int AS n FROM signup_pending`), 0, "no signup left half-made");
    for (const input of signups) {
      const [c] = await queryRows<{ custnum: number; pays: number; selfservice: string | null }>(
        t.db,
        sql`SELECT c.custnum, (SELECT count(*)::int FROM cust_pay p WHERE p.custnum = c.custnum) AS pays,
                   (SELECT k.selfservice_access FROM contact k WHERE k.custnum = c.custnum LIMIT 1) AS selfservice
              FROM cust_main c WHERE c.last = ${input.last}`,
      );
      if (input.payinfo !== TEST_CARDS.visa) {
        assert.equal(c, undefined, `${input.last}: declined, nothing left`);
        continue;
      }
      assert.ok(c, `${input.last}: paid, so it exists`);
      assert.equal(Number(c.pays), 1, `${input.last}: an active signup has its one payment`);
      assert.equal(c.selfservice, "Y", `${input.last}: and can log in`);
      const login = await jsonRpc(`${second.url}/api/selfservice/jsonrpc`, "login", { email: input.invoicing_list, password: SIGNUP_PASSWORD });
      assert.equal((login.body as { result: { error: string } }).result.error, "");
    }
    // Every attempt recorded as done has its payment, and only those.
    assert.equal(
      await count(sql`SELECT count(*)::int AS n FROM cust_pay_pending pp WHERE (pp.status = 'done') <> EXISTS (SELECT 1 FROM cust_pay p WHERE p.payunique = pp.payunique)`),
      0,
    );

    // A customer retrying a payment the crash interrupted gets the recorded one, not a second charge.
    const [recovered] = await queryRows<{ payunique: string; paynum: number }>(
      t.db,
      sql`SELECT pp.payunique, pp.paynum FROM cust_pay_pending pp WHERE pp.status = 'done' AND pp.payunique LIKE 'crash-%' ORDER BY pp.paypendingnum LIMIT 1`,
    );
    const i = Number(recovered!.payunique.replace("crash-", ""));
    const retry = await jsonRpc(`${second.url}/api/selfservice/jsonrpc`, "process_payment", {
      session_id: sessions[i],
      amount: `${10 + i}.00`,
      payby: "CARD",
      payinfo: TEST_CARDS.visa,
      month: "12",
      year: YEAR,
      payname: "Crash Test",
      payunique: recovered!.payunique,
    });
    assert.equal((retry.body as { result: { paynum: unknown } }).result.paynum, recovered!.paynum);
    assert.equal(await count(sql`SELECT count(*)::int AS n FROM cust_pay WHERE payunique = ${recovered!.payunique}`), 1);
    second.child.kill("SIGKILL");
  });
});
