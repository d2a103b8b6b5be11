import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { proxy } from "../../proxy";
import { readServerActionIds, serverActionRefusal } from "../../lib/http/server-action-guard";

/**
 * Issue 22 §12: a server action Next would refuse (Origin not this site, an unknown action id)
 * is answered 403 (409/400 for the id, Next's own statuses) by the proxy with ONE log line, where
 * Next answered a cross-origin fetch action 500 and logged a stack trace. The built server is
 * checked in e2e/security-headers.spec.ts.
 */
const ID = "40" + "a".repeat(40);
const KNOWN = new Set([ID]);

function req(headers: Record<string, string>, method = "POST", pathname = "/account/edit") {
  return { method, pathname, headers: new Headers(headers) };
}

function captureLog<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const saved = { warn: console.warn, error: console.error, log: console.log };
  console.warn = console.error = console.log = (...args: unknown[]) => void lines.push(args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" "));
  return fn()
    .then((value) => ({ value, lines }))
    .finally(() => Object.assign(console, saved));
}

describe("serverActionRefusal", () => {
  test("an action from another origin: 403", () => {
    for (const origin of ["https://evil.example", "http://127.0.0.1:3111", "null", "not a url"]) {
      const r = serverActionRefusal(req({ host: "127.0.0.1:3110", origin, "next-action": ID }), KNOWN);
      assert.equal(r?.status, 403, origin);
      assert.equal(r!.log.split("\n").length, 1);
    }
    // A multipart form post (a no-JS action) too.
    assert.equal(serverActionRefusal(req({ host: "127.0.0.1:3110", origin: "https://evil.example", "content-type": "multipart/form-data; boundary=x" }), KNOWN)?.status, 403);
  });

  test("X-Forwarded-Host is the host compared, as in Next", () => {
    const h = { host: "10.0.0.5:3000", "x-forwarded-host": "portal.example.net, proxy.internal", origin: "https://portal.example.net", "next-action": ID };
    assert.equal(serverActionRefusal(req(h), KNOWN), null);
  });

  test("an unknown action id: Next's 409 (400 if malformed) with its not-found marker", () => {
    const unknown = serverActionRefusal(req({ host: "h", origin: "http://h", "next-action": "40" + "b".repeat(40) }), KNOWN);
    assert.equal(unknown?.status, 409);
    assert.equal(unknown?.headers["x-nextjs-action-not-found"], "1");
    assert.equal(serverActionRefusal(req({ host: "h", origin: "http://h", "next-action": "x" }), KNOWN)?.status, 400);
    // Without the build's list (next dev), ids are left to Next.
    assert.equal(serverActionRefusal(req({ host: "h", origin: "http://h", "next-action": "x" }), null), null);
  });

  test("everything else passes: the site's own actions, GETs, plain posts, no Origin", () => {
    assert.equal(serverActionRefusal(req({ host: "127.0.0.1:3110", origin: "http://127.0.0.1:3110", "next-action": ID }), KNOWN), null);
    assert.equal(serverActionRefusal(req({ host: "h", origin: "https://evil.example" }, "GET"), KNOWN), null);
    assert.equal(serverActionRefusal(req({ host: "h", origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }), KNOWN), null);
    assert.equal(serverActionRefusal(req({ host: "h", "next-action": ID }), KNOWN), null);
  });

  test("the build's ids come from .next/server/server-reference-manifest.json", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "portico-manifest-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    assert.equal(readServerActionIds(dir), null);
    mkdirSync(path.join(dir, "server"));
    writeFileSync(path.join(dir, "server", "server-reference-manifest.json"), JSON.stringify({ node: { [ID]: {} }, edge: {}, encryptionKey: "k" }));
    assert.deepEqual([...readServerActionIds(dir)!], [ID]);
  });
});

describe("proxy() on a rejected server action", () => {
  test("a cross-origin action: 403 and one log line, the action never reaches Next", async () => {
    const { value: res, lines } = await captureLog(() =>
      proxy(
        new NextRequest("http://127.0.0.1:3110/account/edit", {
          method: "POST",
          headers: { host: "127.0.0.1:3110", origin: "https://evil.example", "next-action": ID, "content-type": "text/plain;charset=UTF-8" },
          body: "[]",
        }),
      ),
    );
    assert.equal(res.status, 403);
    assert.equal(res.headers.get("x-middleware-next"), null, "not passed on");
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.split("\n").length, 1, "one line, no stack trace");
    assert.match(lines[0]!, /server action refused \(403\): Origin "https:\/\/evil\.example" is not this site \("127\.0\.0\.1:3110"\); POST \/account\/edit/);
  });

  test("a same-origin action passes, with the page's headers", async () => {
    const res = await proxy(
      new NextRequest("http://127.0.0.1:3110/account/edit", { method: "POST", headers: { host: "127.0.0.1:3110", origin: "http://127.0.0.1:3110", "next-action": ID }, body: "[]" }),
    );
    assert.equal(res.headers.get("x-middleware-next"), "1");
    assert.match(res.headers.get("content-security-policy") ?? "", /'nonce-/);
  });
});
