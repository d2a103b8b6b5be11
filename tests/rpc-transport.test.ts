import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb, type TestDb } from "./support/db";
import { createWorld, createTestCustomer, TEST_PASSWORD, type World } from "./support/fixtures";
import { jsonRpc, pyXmlRpc, startRpcServer, type RpcServer } from "./support/rpc-server";
import { LOGIN_THROTTLE } from "../lib/auth/throttle";

let t: TestDb;
let srv: RpcServer;
let world: World;
let email: string;
let xml: string;

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
  email = (await createTestCustomer(t.db, world)).email;
  srv = await startRpcServer(t.url!);
  xml = `${srv.url}/api/selfservice/xmlrpc`;
});
after(async () => {
  await srv.close();
  await t.drop();
});

describe("XML-RPC transport (Python xmlrpc.client)", () => {
  test("login with a struct, under Freeside's namespaced name", async () => {
    const r = await pyXmlRpc(xml, "FS.ClientAPI_XMLRPC.login", { email, password: TEST_PASSWORD });
    assert.ok(r.ok);
    const v = r.value as Record<string, string>;
    assert.equal(v.error, "");
    assert.match(v.session_id!, /^[0-9a-f]{64}$/);
    assert.equal(typeof v.custnum, "string", "scalars travel as strings, as Freeside sends them");
  });

  test("login with a flat key/value list, bare name (PHP portal style)", async () => {
    const r = await pyXmlRpc(xml, "login", { email, password: TEST_PASSWORD }, { flat: true });
    assert.ok(r.ok);
    assert.equal((r.value as Record<string, string>).error, "");
  });

  test("wrong password → in-band error", async () => {
    const r = await pyXmlRpc(xml, "FS.ClientAPI_XMLRPC.login", { email, password: "nope" });
    assert.deepEqual(r, { ok: true, value: { error: "Incorrect login or password." } });
  });

  test("unknown method → fault 'No such procedure'", async () => {
    const r = await pyXmlRpc(xml, "FS.ClientAPI_XMLRPC.no_such_thing", {});
    assert.equal(r.ok, false);
    assert.equal((r as { fault: { message: string } }).fault.message, "No such procedure: no_such_thing");
  });

  test("logout without a session → Can't resume session; after logout the id is dead", async () => {
    const none = await pyXmlRpc(xml, "logout", {});
    assert.deepEqual((none as { value: unknown }).value, { error: "Can't resume session" });
    const r = await pyXmlRpc(xml, "login", { email, password: TEST_PASSWORD });
    const sid = (r as { value: { session_id: string } }).value.session_id;
    const out = await pyXmlRpc(xml, "logout", { session_id: sid });
    assert.equal((out as { value: { error: string } }).value.error, "");
  });

  test("odd argument lists → a clear error", async () => {
    const r = await pyXmlRpc(xml, "login", {}, { raw: ["email", "x", "password"] });
    assert.equal(r.ok, false);
    assert.match((r as { fault: { message: string } }).fault.message, /one struct or a list of key, value pairs/);
  });
});

describe("malformed XML-RPC", () => {
  const post = (body: string) => fetch(xml, { method: "POST", headers: { "content-type": "text/xml" }, body });

  test("garbage, wrong root, entity tricks → faults, never a 500", async () => {
    for (const body of [
      "not xml at all <",
      "<methodCall><methodName>login</methodName><params><param><value><int>abc</int></value></param></params></methodCall>",
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><methodCall><methodName>login</methodName></methodCall>',
      "<foo/>",
      "",
    ]) {
      const res = await post(body);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /<fault>/, body);
      assert.doesNotMatch(text, /at .*\.ts|stack/i);
    }
  });

  test("untyped <value>text</value> is a string (XML-RPC spec); text beside a type element is refused", async () => {
    const call = (params: string) =>
      post(`<?xml version="1.0"?><methodCall><methodName>login</methodName><params>${params}</params></methodCall>`).then((r) => r.text());
    const untyped = await call(`<param><value>email</value></param><param><value>${email}</value></param><param><value>password</value></param><param><value>${TEST_PASSWORD}</value></param>`);
    assert.doesNotMatch(untyped, /<fault>/);
    assert.match(untyped, /<name>session_id<\/name><value><string>[0-9a-f]{64}<\/string>/);
    const mixed = await call(`<param><value>stray<string>email</string></value></param>`);
    assert.match(mixed, /<fault>/);
  });

  test("a NUL character anywhere → an in-band error, nothing stored, no 500", async () => {
    const res = await post(
      `<methodCall><methodName>login</methodName><params><param><value><struct><member><name>email</name><value><string>a&#0;b@example.com</string></value></member></struct></value></param></params></methodCall>`,
    );
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.doesNotMatch(text, /Internal error|stack/i);
    const json = await jsonRpc(`${srv.url}/api/selfservice/jsonrpc`, "check_username", { username: "x\u0000y", domain: "example.com" });
    assert.equal(json.status, 200);
    assert.match((json.body as { result: { error: string } }).result.error, /not allowed/);
  });

  test("an oversized request is refused", async () => {
    const res = await post(`<methodCall><methodName>login</methodName><params><param><value><string>${"a".repeat(1_100_000)}</string></value></param></params></methodCall>`);
    assert.match(await res.text(), /Request too large/);
  });
});

describe("JSON-RPC 2.0", () => {
  const url = () => `${srv.url}/api/selfservice/jsonrpc`;

  test("single call, object params", async () => {
    const r = await jsonRpc(url(), "login", { email, password: TEST_PASSWORD });
    const body = r.body as { result: { error: string; session_id: string; custnum: number } };
    assert.equal(body.result.error, "");
    assert.equal(typeof body.result.custnum, "number");
  });

  test("batch, with an unknown method and an invalid request", async () => {
    const res = await fetch(url(), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { jsonrpc: "2.0", method: "login", params: { email, password: "bad" }, id: 1 },
        { jsonrpc: "2.0", method: "nope", id: 2 },
        { foo: 1 },
      ]),
    });
    const body = (await res.json()) as { id: number | null; result?: { error: string }; error?: { code: number; message: string } }[];
    assert.equal(body.length, 3);
    assert.equal(body[0]!.result!.error, "Incorrect login or password.");
    assert.equal(body[1]!.error!.code, -32601);
    assert.equal(body[1]!.error!.message, "No such procedure: nope");
    assert.equal(body[2]!.error!.code, -32600);
  });

  test("parse error", async () => {
    const res = await fetch(url(), { method: "POST", body: "{" });
    assert.equal(((await res.json()) as { error: { code: number } }).error.code, -32700);
  });
});

describe("throttling over the API", () => {
  test("HTTP 429 with Retry-After, for XML-RPC and JSON-RPC", async () => {
    const who = await createTestCustomer(t.db, world);
    for (let i = 0; i < LOGIN_THROTTLE.identity.maxAttempts; i++) await pyXmlRpc(xml, "login", { email: who.email, password: "bad" });
    const r = await pyXmlRpc(xml, "login", { email: who.email, password: TEST_PASSWORD });
    assert.equal(r.ok, false);
    const http = (r as { http: { status: number; headers: Record<string, string> } }).http;
    assert.equal(http.status, 429);
    assert.ok(Number(http.headers["retry-after"]) > 0);
    const j = await jsonRpc(`${srv.url}/api/selfservice/jsonrpc`, "login", { email: who.email, password: TEST_PASSWORD });
    assert.equal(j.status, 429);
    assert.ok(Number(j.headers.get("retry-after")) > 0);
  });
});

describe("backend endpoint", () => {
  test("is off (404) when no secret is configured", async () => {
    const res = await fetch(`${srv.url}/api/backend/xmlrpc`, { method: "POST", body: "<methodCall/>" });
    assert.equal(res.status, 404);
  });
});
