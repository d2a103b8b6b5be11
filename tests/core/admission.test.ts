// scripts/support/admission.mjs: the server's admission control (issue 31).
import { describe, test } from "node:test";
import assert from "node:assert/strict";

type Release = () => void;
type Admission = {
  stats: { admitted: number; refused: number; queued: number; timedOut: number };
  active: number;
  waiting: number;
  acquire(opts?: { priority?: boolean }): Promise<Release | null> | Release | null;
};
const { admissionOptions, createAdmission } = (await import("../../scripts/support/admission.mjs" as string)) as {
  admissionOptions: (m: { cores: number; poolMax: number; env?: Record<string, string | undefined> }) => { limit: number; queueLimit: number; maxWaitMs: number };
  createAdmission: (o: { limit: number; queueLimit: number; maxWaitMs: number }) => Admission;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("admission control", () => {
  test("defaults follow the cores and the database pool; settings are checked", () => {
    assert.deepEqual(admissionOptions({ cores: 2, poolMax: 10 }), { limit: 16, queueLimit: 64, maxWaitMs: 250 });
    assert.equal(admissionOptions({ cores: 16, poolMax: 10 }).limit, 20);
    assert.equal(admissionOptions({ cores: 1, poolMax: 1 }).limit, 4);
    assert.deepEqual(admissionOptions({ cores: 2, poolMax: 10, env: { PORTICO_MAX_CONCURRENCY: "3", PORTICO_QUEUE_LIMIT: "0", PORTICO_QUEUE_WAIT_MS: "100" } }), {
      limit: 3,
      queueLimit: 0,
      maxWaitMs: 100,
    });
    assert.throws(() => admissionOptions({ cores: 2, poolMax: 10, env: { PORTICO_MAX_CONCURRENCY: "0" } }), /PORTICO_MAX_CONCURRENCY must be a whole number ≥ 1/);
    assert.throws(() => admissionOptions({ cores: 2, poolMax: 10, env: { PORTICO_QUEUE_WAIT_MS: "soon" } }), /PORTICO_QUEUE_WAIT_MS/);
  });

  test("up to the limit at once, then a bounded queue, then refusal at once", async () => {
    const a = createAdmission({ limit: 2, queueLimit: 1, maxWaitMs: 1000 });
    const r1 = a.acquire() as Release;
    const r2 = a.acquire() as Release;
    assert.equal(typeof r1, "function");
    assert.equal(typeof r2, "function");
    const queued = a.acquire();
    assert.ok(queued instanceof Promise);
    assert.equal(a.acquire(), null, "a full queue refuses at once");
    assert.equal(a.stats.refused, 1);
    r1();
    r1(); // releasing twice frees one slot only
    const r3 = await queued;
    assert.equal(typeof r3, "function");
    assert.equal(a.active, 2);
    r2();
    r3!();
    assert.equal(a.active, 0);
  });

  test("a waiter whose turn does not come in time is refused", async () => {
    const a = createAdmission({ limit: 1, queueLimit: 10, maxWaitMs: 30 });
    const r1 = a.acquire() as Release;
    const started = Date.now();
    assert.equal(await a.acquire(), null);
    assert.ok(Date.now() - started < 200);
    assert.equal(a.stats.timedOut, 1);
    assert.equal(a.waiting, 0);
    r1();
  });

  test("a priority request (a payment) is never refused and goes ahead of the queue", async () => {
    const a = createAdmission({ limit: 1, queueLimit: 0, maxWaitMs: 20 });
    const r1 = a.acquire() as Release;
    const order: string[] = [];
    const payment = Promise.resolve(a.acquire({ priority: true })).then((r) => {
      order.push("payment");
      return r;
    });
    await sleep(50); // longer than maxWaitMs: a priority waiter does not time out
    r1();
    const r = await payment;
    assert.equal(typeof r, "function");
    assert.deepEqual(order, ["payment"]);
    r!();
  });
});

describe("admission control learns what a slot costs", () => {
  test("once requests are known to be slow, a request whose turn would not come in time is refused at once", async () => {
    const a = createAdmission({ limit: 1, queueLimit: 100, maxWaitMs: 40 });
    // One request that held its slot ≈60 ms: a place in the queue now costs about that much.
    const r = a.acquire() as Release;
    await sleep(60);
    r();
    const busy = a.acquire() as Release;
    const started = Date.now();
    assert.equal(a.acquire(), null, "refused on arrival, not after waiting 40 ms");
    assert.ok(Date.now() - started < 20);
    assert.equal(a.stats.timedOut, 0);
    busy();
  });
});
