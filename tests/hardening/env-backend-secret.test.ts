import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb, type TestDb } from "../support/db";
import { BACKEND_SECRET_MIN_LENGTH, getEnv, resetEnvForTests } from "../../lib/env";
import { backendEndpoint } from "../../lib/rpc/backend-registry";
import { POST as backendJsonRpc } from "../../app/api/backend/jsonrpc/route";
import { POST as backendXmlRpc } from "../../app/api/backend/xmlrpc/route";

/**
 * Issue 22 §7: a PORTICO_BACKEND_SECRET shorter than 32 characters is refused at start with a
 * clear message (once, never echoing the secret), and the back office stays off: its endpoints
 * answer 404 exactly as when no secret is set. The route handlers themselves are called.
 */
let t: TestDb;
before(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url ?? "";
  process.env.AUTH_SECRET ??= "test-secret-".padEnd(48, "x");
});
after(async () => {
  const { getDbHandle } = await import("../../db/client");
  if (t.url) await (await getDbHandle().catch(() => null))?.close();
  await t.drop();
});

function withSecret(secret: string | undefined): void {
  if (secret === undefined) delete process.env.PORTICO_BACKEND_SECRET;
  else process.env.PORTICO_BACKEND_SECRET = secret;
  resetEnvForTests();
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("portico.env.warned")];
}

function call(secret: string): Request {
  return new Request("http://127.0.0.1/api/backend/jsonrpc", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "127.0.0.1" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "FS.API.customer_info", params: { secret, custnum: 1 } }),
  });
}

function captureWarnings<T>(fn: () => T): { value: T; lines: string[] } {
  const lines: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    return { value: fn(), lines };
  } finally {
    console.warn = original;
  }
}

describe("PORTICO_BACKEND_SECRET length", () => {
  const short = "s".repeat(BACKEND_SECRET_MIN_LENGTH - 1);
  const long = "L".repeat(BACKEND_SECRET_MIN_LENGTH);

  test("31 characters: refused with one clear line, the back office is off (404 on both endpoints)", async () => {
    withSecret(short);
    const { value: env, lines } = captureWarnings(() => getEnv());
    assert.equal(env.backendSecret, undefined);
    assert.equal(env.PORTICO_BACKEND_SECRET, undefined, "no reader can pick the refused secret up");
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /PORTICO_BACKEND_SECRET is refused: it has 31 characters, at least 32 are required.*stays off \(404\)/);
    assert.ok(!lines[0]!.includes(short), "the secret is never echoed");
    assert.equal(captureWarnings(() => (resetEnvForTests(), getEnv())).lines.length, 0, "said once per process");
    assert.equal(backendEndpoint(), null);
    const r = await backendJsonRpc(call(short));
    assert.equal(r.status, 404);
    assert.equal((await backendXmlRpc(new Request("http://127.0.0.1/api/backend/xmlrpc", { method: "POST", body: "<methodCall/>" }))).status, 404);
  });

  test("unset: 404 as before, and nothing is said", async () => {
    withSecret(undefined);
    const { lines } = captureWarnings(() => getEnv());
    assert.deepEqual(lines, []);
    assert.equal((await backendJsonRpc(call("anything"))).status, 404);
  });

  test("32 characters: the back office is on (a call with it is answered, a wrong one refused in-band)", async () => {
    withSecret(long);
    assert.equal(captureWarnings(() => getEnv()).lines.length, 0);
    assert.equal(getEnv().backendSecret, long);
    const ok = await backendJsonRpc(call(long));
    assert.equal(ok.status, 200);
    const wrong = await backendJsonRpc(call("w".repeat(40)));
    assert.notEqual(wrong.status, 404);
    assert.match(JSON.stringify(await wrong.json()), /secret/i);
  });
});
