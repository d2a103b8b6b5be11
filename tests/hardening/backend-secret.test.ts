import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, type CustomerFixture } from "../support/fixtures";
import { startRpcServer, type RpcServer } from "../support/rpc-server";
import { BACKEND_SECRET_THROTTLE } from "../../lib/auth/throttle";

/** Issue 22 §7: wrong back-office secrets are limited per address, counted before the comparison. */
const SECRET = "backend-shared-secret-for-tests-0123456789";

let t: TestDb;
let srv: RpcServer;
let customer: CustomerFixture;

before(async () => {
  t = await createTestDb();
  const world = await createWorld(t.db);
  customer = await createTestCustomer(t.db, world);
  srv = await startRpcServer(t.url!, { PORTICO_BACKEND_SECRET: SECRET });
});
after(async () => {
  await srv.close();
  await t.drop();
});

async function customerInfo(secret: string, from: string) {
  const r = await fetch(`${srv.url}/api/backend/jsonrpc`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": from },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "customer_info", params: { secret, custnum: customer.custnum } }),
  });
  const body = (await r.json()) as { result?: { error: string }; error?: { message: string } };
  return { status: r.status, retryAfter: r.headers.get("retry-after"), error: body.result?.error ?? body.error?.message };
}

describe("wrong back-office secrets", () => {
  test("40 wrong secrets from one address: 20 are answered, the rest get 429 + Retry-After", async () => {
    const answers = [];
    for (let i = 0; i < 40; i++) answers.push(await customerInfo(`guess-${i}`, "198.51.100.20"));
    assert.equal(answers.filter((a) => a.status === 200 && a.error === "Incorrect shared secret").length, BACKEND_SECRET_THROTTLE.maxAttempts);
    const limited = answers.filter((a) => a.status === 429);
    assert.equal(limited.length, 40 - BACKEND_SECRET_THROTTLE.maxAttempts);
    assert.ok(limited.every((a) => Number(a.retryAfter) > 0));
    // Even the right secret waits at that address; another address is not affected.
    assert.equal((await customerInfo(SECRET, "198.51.100.20")).status, 429);
    assert.deepEqual(await customerInfo(SECRET, "198.51.100.21"), { status: 200, retryAfter: null, error: "" });
  });

  test("concurrent guesses: no more than the limit are ever compared", async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => customerInfo(`race-${i}`, "198.51.100.30")));
    assert.equal(answers.filter((a) => a.error === "Incorrect shared secret").length, BACKEND_SECRET_THROTTLE.maxAttempts);
    assert.equal(answers.filter((a) => a.status === 429).length, 60 - BACKEND_SECRET_THROTTLE.maxAttempts);
  });

  test("the right secret does not use up the allowance", async () => {
    for (let i = 0; i < BACKEND_SECRET_THROTTLE.maxAttempts + 10; i++) {
      assert.equal((await customerInfo(SECRET, "198.51.100.40")).error, "");
    }
    assert.equal((await customerInfo("wrong", "198.51.100.40")).error, "Incorrect shared secret");
  });
});
