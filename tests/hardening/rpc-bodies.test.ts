import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb, type TestDb } from "../support/db";
import { createWorld } from "../support/fixtures";
import { spawnRpcChild, type RpcChild } from "../support/rpc-child-process";
import { checkJsonShape, JsonParseError, parseJsonBounded, RPC_LIMITS } from "../../lib/rpc/json-codec";
import { MAX_RPC_BODY_BYTES } from "../../lib/rpc/http";

/**
 * Issue 22 §1: no mix of request bodies within the size cap, at any concurrency, takes the server
 * down. JSON-RPC has XML-RPC's depth and item limits, checked before anything is built, and a
 * method's undeclared parameters are dropped before its slow work (the password hash).
 */
describe("the bounded JSON parse", () => {
  const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

  test("depth and values are limited before parsing", () => {
    assert.deepEqual(parseJsonBounded(`{"a":${nested(RPC_LIMITS.maxDepth - 1)}}`), { a: JSON.parse(nested(RPC_LIMITS.maxDepth - 1)) });
    assert.throws(() => parseJsonBounded(`{"a":${nested(RPC_LIMITS.maxDepth)}}`), /nested too deeply/);
    const many = (n: number) => `[${Array.from({ length: n }, () => "1").join(",")}]`;
    assert.equal((parseJsonBounded(many(RPC_LIMITS.maxItems - 1)) as unknown[]).length, RPC_LIMITS.maxItems - 1);
    assert.throws(() => parseJsonBounded(many(RPC_LIMITS.maxItems + 1)), /too many values/);
  });

  test("brackets, commas and escaped quotes inside strings do not count", () => {
    const text = JSON.stringify({ s: "[[[[{{{{,,,,\\\"]]]]".repeat(1000), t: '"[' });
    checkJsonShape(text);
    assert.deepEqual(parseJsonBounded(text), JSON.parse(text));
  });

  test("malformed JSON is a parse error, not an exception of another kind", () => {
    for (const bad of ["{", "[1,]", "{'a':1}", "", "nul"]) assert.throws(() => parseJsonBounded(bad), JsonParseError);
  });
});

describe("undeclared parameters", () => {
  test("login's call is prepared with its own four parameters only: a padded extra is gone before the hash", async () => {
    process.env.AUTH_SECRET ??= "x".repeat(40);
    const { prepareCall } = await import("../../lib/rpc/dispatch");
    const { selfserviceRegistry } = await import("../../lib/rpc/selfservice-registry");
    const call = prepareCall(selfserviceRegistry, "login", { email: "a@example.com", password: "x", pad: "y".repeat(100_000), session_id: "s" });
    assert.deepEqual(call.input, { email: "a@example.com", password: "x" });
    assert.equal(call.sessionToken, "s");
  });
});

describe("worst-case bodies against a server with production's heap limit", () => {
  let t: TestDb;
  let server: RpcChild;

  before(async () => {
    t = await createTestDb();
    await createWorld(t.db);
    // The production scrypt cost (the test runner's cheaper one is unset), so each login waits on
    // a real hash while its body would otherwise stay alive; the heap limit `npm start` sets.
    server = await spawnRpcChild(t.url!, { nodeFlags: ["--max-old-space-size=256"], unsetEnv: ["PORTICO_SCRYPT_LOG_N", "PORTICO_SCRYPT_P", "PORTICO_SCRYPT_R"] });
  });
  after(async () => {
    await server?.stop();
    await t?.drop();
  });

  const pad = (body: (fill: string) => string) => {
    const empty = body("");
    return (fill: (room: number) => string) => body(fill(MAX_RPC_BODY_BYTES - Buffer.byteLength(empty) - 16));
  };
  const login = (extra: string) => `{"jsonrpc":"2.0","id":1,"method":"login","params":{"email":"nobody@example.com","password":"wrong-password"${extra}}}`;
  const xmlLogin = (extra: string) =>
    `<?xml version="1.0"?><methodCall><methodName>login</methodName><params><param><value><struct><member><name>email</name><value><string>nobody@example.com</string></value></member><member><name>password</name><value><string>x</string></value></member>${extra}</struct></value></param></params></methodCall>`;

  const bodies: { name: string; path: string; body: string }[] = [
    { name: "deeply nested array", path: "/api/selfservice/jsonrpc", body: pad((f) => login(`,"pad":${f}`))((room) => `${"[".repeat(room / 2)}${"]".repeat(room / 2)}`) },
    { name: "deeply nested objects", path: "/api/selfservice/jsonrpc", body: pad((f) => login(`,"pad":${f}`))((room) => `${'{"a":'.repeat(room / 6)}1${"}".repeat(room / 6)}`) },
    { name: "one huge unknown string", path: "/api/selfservice/jsonrpc", body: pad((f) => login(`,"pad":"${f}"`))((room) => "x".repeat(room)) },
    { name: "many small values (at the limit)", path: "/api/selfservice/jsonrpc", body: login(`,"pad":[${Array.from({ length: RPC_LIMITS.maxItems - 20 }, () => `"${"y".repeat(40)}"`).join(",")}]`) },
    { name: "a batch of 50 logins", path: "/api/selfservice/jsonrpc", body: `[${Array.from({ length: 50 }, (_, i) => login(`,"pad":"${"z".repeat(18_000)}"`).replace('"id":1', `"id":${i}`)).join(",")}]` },
    {
      name: "XML-RPC nested arrays",
      path: "/api/selfservice/xmlrpc",
      body: pad((f) => xmlLogin(`<member><name>pad</name>${f}</member>`))((room) => `${"<value><array><data>".repeat(room / 45)}${"</data></array></value>".repeat(room / 45)}`),
    },
    {
      name: "XML-RPC many values",
      path: "/api/selfservice/xmlrpc",
      body: xmlLogin(`<member><name>pad</name><value><array><data>${"<value><string>yyyyyyyyyyyyyyy</string></value>".repeat(RPC_LIMITS.maxItems - 20)}</data></array></value></member>`),
    },
  ];

  /**
   * One POST; a socket the server closed while idle between two batches (keep-alive) may fail as
   * it is reused: that is the client's pool, not the server, so it is sent once more (a server
   * that died is caught by the exit check).
   */
  const post = async (path: string, body: string): Promise<number | string> => {
    const once = () => fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": path.endsWith("xmlrpc") ? "text/xml" : "application/json" }, body }).then((r) => r.status);
    try {
      return await once();
    } catch (e) {
      if (server.exited()) return `failed: ${(e as Error).message}`;
      return once().catch((again: Error) => `failed: ${again.message} (${String((again.cause as Error | undefined)?.message ?? "")})`);
    }
  };

  test("20 concurrent copies of each worst-case body, then the server still answers", { timeout: 300_000 }, async () => {
    for (const b of bodies) assert.ok(Buffer.byteLength(b.body) <= MAX_RPC_BODY_BYTES, `${b.name} is within the cap (${Buffer.byteLength(b.body)})`);
    for (const b of bodies) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          post(b.path, b.body),
        ),
      );
      await new Promise((r) => setTimeout(r, 300)); // an exit takes a moment to be seen
      assert.equal(server.exited(), false, `the server died on "${b.name}": ${server.stderr().slice(-2000)}`);
      for (const a of answers) assert.ok(a === 200 || a === 429, `"${b.name}" answered ${a}; server log: ${server.stderr().slice(-1500)}`);
    }
    // Still serving: a plain call answers normally.
    const r = await fetch(`${server.url}/api/selfservice/jsonrpc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "check_username", params: { username: "someone-new" } }),
    });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { result?: { error: string } };
    assert.equal(body.result?.error, "");
  });

  test("a nested body is refused in-band with a parse error", async () => {
    const r = await fetch(`${server.url}/api/selfservice/jsonrpc`, { method: "POST", headers: { "content-type": "application/json" }, body: bodies[0]!.body });
    assert.deepEqual(await r.json(), { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Request nested too deeply" } });
  });
});
