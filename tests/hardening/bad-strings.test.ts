import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, type World } from "../support/fixtures";
import { jsonRpc, startRpcServer, type RpcServer } from "../support/rpc-server";
import { login } from "../../lib/auth/login";
import { queryRows } from "../../lib/db/rows";
import { isAppError } from "../../lib/errors";
import { MALFORMED_TEXT_ERROR } from "../../lib/rpc/dispatch";
import { wellFormedInput } from "../../lib/validation/parse";

/** Issue 22 §5: a lone UTF-16 surrogate is refused in-band by the RPC codecs and made well-formed for forms; every failed login leaves an audit row. */
let t: TestDb;
let srv: RpcServer;
let world: World;

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
  srv = await startRpcServer(t.url!);
});
after(async () => {
  await srv.close();
  await t.drop();
});

async function auditCount(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM audit_log`);
  return row!.n;
}

describe("lone surrogates", () => {
  test("JSON-RPC login and signup with a lone surrogate: refused in-band, no internal error", async () => {
    // JSON.stringify would escape a lone surrogate as \ud800 itself; write the escape by hand to be sure.
    const raw = (method: string, params: string) =>
      fetch(`${srv.url}/api/selfservice/jsonrpc`, { method: "POST", headers: { "content-type": "application/json" }, body: `{"jsonrpc":"2.0","id":1,"method":"${method}","params":${params}}` }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as { result?: { error: string }; error?: unknown } }),
      );
    for (const [method, params] of [
      ["login", '{"email":"a\\ud800@example.com","password":"x"}'],
      ["login", '{"username":"4155550123\\udfff","domain":"svc_phone","password":"0000"}'],
      ["new_customer_minimal", '{"first":"Ann","last":"Lee","invoicing_list":"ann\\ud800@example.com","_password":"Secret-pass-1"}'],
      ["check_username", '{"username":"x\\ud83d"}'],
    ] as const) {
      const r = await raw(method, params);
      assert.equal(r.status, 200, method);
      assert.equal(r.body.result?.error, MALFORMED_TEXT_ERROR, `${method}: ${JSON.stringify(r.body)}`);
    }
    // A surrogate pair (an emoji) is fine text.
    const ok = await jsonRpc(`${srv.url}/api/selfservice/jsonrpc`, "login", { email: "emoji\u{1F600}@example.com", password: "x" });
    assert.equal((ok.body as { result: { error: string } }).result.error, "Incorrect login or password.");
  });

  test("a login called directly (forms, next-auth) makes the text well-formed and leaves an audit row", async () => {
    const before = await auditCount();
    await assert.rejects(login(t.db, { username: "415555\ud8000123", domain: "svc_phone", password: "0000" }, { ip: "203.0.113.9" }), (e: unknown) => isAppError(e) && e.code === "INVALID_CREDENTIALS");
    await assert.rejects(login(t.db, { email: "bad\udc00@example.com", password: "x" }, {}), (e: unknown) => isAppError(e) && e.code === "INVALID_CREDENTIALS");
    assert.equal(await auditCount(), before + 2);
  });

  test("wellFormedInput replaces lone surrogates at any depth and leaves good input untouched", () => {
    const good = { a: "x", b: ["y", { c: "\u{1F600}" }] };
    assert.equal(wellFormedInput(good), good);
    assert.deepEqual(wellFormedInput({ a: "x\ud800", b: ["\udc00y"], ["k\ud800"]: 1 }), { a: "x\ufffd", b: ["\ufffdy"], ["k\ufffd"]: 1 });
  });

  test("a customer's own form input with a lone surrogate is stored well-formed", async () => {
    const c = await createTestCustomer(t.db, world);
    const { editCustomerInfo } = await import("../../lib/customers/edit-info");
    await editCustomerInfo(t.db, c.custnum, { first: "Zo\ud800e" });
    const [row] = await queryRows<{ first: string }>(t.db, sql`SELECT first FROM cust_main WHERE custnum = ${c.custnum}`);
    assert.equal(row!.first, "Zo\ufffde");
  });
});
