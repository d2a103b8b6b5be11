import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb, type TestDb } from "../support/db";
import { createWorld } from "../support/fixtures";
import { spawnRpcChild, type RpcChild } from "../support/rpc-child-process";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { isDatabaseUnavailable } from "../../lib/db/availability";

/**
 * Issue 22 §9: while the database cannot be reached the APIs answer 503 + Retry-After within
 * 3 seconds, and the app recovers by itself when it is back. The database goes away behind a TCP
 * relay (tests/support/tcp-proxy.ts) so the machine's PostgreSQL keeps serving every other test.
 */
let t: TestDb;
let proxy: TcpProxy;
let server: RpcChild;

before(async () => {
  t = await createTestDb();
  await createWorld(t.db);
  const target = new URL(t.url!);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(t.url!);
  viaProxy.port = String(proxy.port);
  server = await spawnRpcChild(viaProxy.toString());
});
after(async () => {
  await server?.stop();
  await proxy?.close();
  await t?.drop();
});

async function call(kind: "json" | "xml") {
  const started = Date.now();
  const r =
    kind === "json"
      ? await fetch(`${server.url}/api/selfservice/jsonrpc`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "customer_info", params: { session_id: "f".repeat(64) } }),
        })
      : await fetch(`${server.url}/api/selfservice/xmlrpc`, {
          method: "POST",
          headers: { "content-type": "text/xml" },
          body: `<?xml version="1.0"?><methodCall><methodName>customer_info</methodName><params><param><value><struct><member><name>session_id</name><value><string>${"f".repeat(64)}</string></value></member></struct></value></param></params></methodCall>`,
        });
  const text = await r.text();
  return { status: r.status, retryAfter: r.headers.get("retry-after"), text, ms: Date.now() - started };
}

describe("the database goes away and comes back", () => {
  test("answers normally while it is there", async () => {
    const r = await call("json");
    assert.equal(r.status, 200);
    assert.match(r.text, /Can't resume session/);
  });

  for (const outage of ["refuse", "blackhole"] as const) {
    test(`${outage}: 503 + Retry-After within 3 s, then recovery without a restart`, { timeout: 60_000 }, async () => {
      await proxy[outage]();
      for (const kind of ["json", "xml", "json"] as const) {
        const r = await call(kind);
        assert.equal(r.status, 503, `${kind}: ${r.status} ${r.text.slice(0, 300)}`);
        assert.ok(Number(r.retryAfter) > 0);
        assert.ok(r.ms < 3000, `${kind} answered in ${r.ms} ms`);
        assert.match(r.text, /temporarily unavailable/);
        assert.doesNotMatch(r.text, /Internal error|ECONN|stack/i);
      }
      await proxy.restore();
      let last = { status: 0, text: "" };
      for (let i = 0; i < 40 && last.status !== 200; i++) {
        last = await call("json");
        if (last.status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(last.status, 200, last.text);
      assert.match(last.text, /Can't resume session/);
    });
  }
});

describe("what counts as the database being unavailable", () => {
  test("connection failures do, query errors do not", () => {
    assert.ok(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })));
    assert.ok(isDatabaseUnavailable(new Error("Failed query", { cause: Object.assign(new Error("write CONNECT_TIMEOUT"), { code: "CONNECT_TIMEOUT" }) })));
    assert.ok(isDatabaseUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })));
    assert.ok(!isDatabaseUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" })));
    assert.ok(!isDatabaseUnavailable(new Error("plain")));
  });
});
