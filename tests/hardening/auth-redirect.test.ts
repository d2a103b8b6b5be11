import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { resolveAuthRedirect, withSafeCallbackUrl } from "../../lib/auth/safe-next-path";

/**
 * Issue 22 §12: next-auth's redirect callback with `callbackUrl=http://127.0.0.1:3600.evil.example/`
 * (a URL whose "port" does not parse) threw inside next-auth's default callback: a 500. Portico's
 * callback (lib/auth/next-auth-options.ts) falls back to /account for anything that is not a
 * same-site path. next-auth itself, on the built server, is checked in e2e/security-headers.spec.ts.
 */
const BASE = "http://127.0.0.1:3600";

describe("resolveAuthRedirect", () => {
  test("unparseable or foreign URLs fall back to /account on the portal", () => {
    for (const url of [
      "http://127.0.0.1:3600.evil.example/",
      "http://127.0.0.1:3600.evil.example/account",
      "https://evil.example/account",
      "http://127.0.0.1:36000/account",
      "//evil.example/x",
      "/\\evil.example",
      "javascript:alert(1)",
      "http://[::1",
      "",
      "/login",
    ]) {
      assert.equal(resolveAuthRedirect(url, BASE), `${BASE}/account`, url);
    }
  });

  test("same-site paths and URLs are kept", () => {
    assert.equal(resolveAuthRedirect("/invoices?page=2", BASE), `${BASE}/invoices?page=2`);
    assert.equal(resolveAuthRedirect(`${BASE}/pay`, BASE), `${BASE}/pay`);
    assert.equal(resolveAuthRedirect(`${BASE}/`, `${BASE}/`), `${BASE}/`);
  });

  test("the callbackUrl query parameter next-auth would 500 on is replaced before next-auth sees it", () => {
    const u = new URL(`${BASE}/api/auth/csrf?callbackUrl=${encodeURIComponent("http://127.0.0.1:3600.evil.example/")}&x=1`);
    const fixed = withSafeCallbackUrl(u, BASE)!;
    assert.equal(fixed.searchParams.get("callbackUrl"), `${BASE}/account`);
    assert.equal(fixed.searchParams.get("x"), "1");
    assert.equal(withSafeCallbackUrl(new URL(`${BASE}/api/auth/csrf`), BASE), null);
    const twice = withSafeCallbackUrl(new URL(`${BASE}/api/auth/signin?callbackUrl=%2Fpay&callbackUrl=https%3A%2F%2Fevil.example`), BASE)!;
    assert.deepEqual(twice.searchParams.getAll("callbackUrl"), [`${BASE}/pay`]);
  });
});
