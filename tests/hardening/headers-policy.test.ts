import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { NextRequest } from "next/server";
import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match";
import type { NextConfig } from "next";
import { proxy, config as proxyConfig } from "../../proxy";
import { resetEnvForTests } from "../../lib/env";
import {
  FALLBACK_CONTENT_SECURITY_POLICY,
  HSTS_VALUE,
  contentSecurityPolicy,
  isEmbedPath,
  newNonce,
  securityHeaders,
} from "../../lib/http/security-headers";

/**
 * Issue 22 §6: a strict CSP with a per-request nonce on every page, HSTS when the public URL is
 * https, frame-ancestors on every response of every path in any case, and X-Frame-Options DENY
 * outside the embed. The browser-level checks (every page still works under the CSP, headers of
 * the built server) are in e2e/security-headers.spec.ts; this file checks the pieces: the policy,
 * the proxy function itself, and next.config.mjs's fixed rules as Next matches them.
 */
async function loadNextConfig(): Promise<NextConfig> {
  return ((await import(new URL("../../next.config.mjs", import.meta.url).href)) as { default: NextConfig }).default;
}

function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) {
      assert.ok(!out.has(name), `directive ${name} given twice`);
      out.set(name, values);
    }
  }
  return out;
}

function assertStrictScripts(csp: string, nonce?: string): void {
  const d = directives(csp);
  assert.deepEqual(d.get("default-src"), ["'self'"]);
  const script = d.get("script-src") ?? [];
  assert.ok(!script.includes("'unsafe-inline'"), "no 'unsafe-inline' for scripts");
  assert.ok(!script.includes("'unsafe-eval'"), "no eval in production");
  if (nonce) {
    assert.ok(script.includes(`'nonce-${nonce}'`));
    assert.ok(script.includes("'strict-dynamic'"));
  }
  for (const name of ["connect-src", "img-src", "style-src", "object-src", "base-uri", "form-action", "frame-ancestors"]) assert.ok(d.has(name), name);
  assert.deepEqual(d.get("object-src"), ["'none'"]);
}

const savedUrl = process.env.NEXTAUTH_URL;
afterEach(() => {
  if (savedUrl === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = savedUrl;
  resetEnvForTests();
});

describe("the policy", () => {
  test("a fresh nonce each time", () => {
    const a = newNonce();
    assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
    assert.notEqual(a, newNonce());
  });

  test("pages: strict scripts with the nonce, frame-ancestors 'none' first, X-Frame-Options DENY, no HSTS over http", () => {
    const h = securityHeaders({ nonce: "bm9uY2U=", frameAncestors: [], publicUrl: "http://127.0.0.1:3110" });
    const csp = h["Content-Security-Policy"]!;
    assertStrictScripts(csp, "bm9uY2U=");
    assert.match(csp, /^frame-ancestors 'none';/);
    assert.equal(h["X-Frame-Options"], "DENY");
    assert.equal(h["Strict-Transport-Security"], undefined);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
  });

  test("HSTS (and upgrade-insecure-requests) when the public URL is https", () => {
    const h = securityHeaders({ nonce: "bm9uY2U=", frameAncestors: [], publicUrl: "https://portal.example.net" });
    assert.equal(h["Strict-Transport-Security"], HSTS_VALUE);
    assert.match(HSTS_VALUE, /^max-age=\d{8,}/);
    assert.match(h["Content-Security-Policy"]!, /; upgrade-insecure-requests$/);
  });

  test("the embed: the agent's frame-ancestors, no X-Frame-Options, https logos", () => {
    const h = securityHeaders({ nonce: "bm9uY2U=", frameAncestors: ["https://isp.example"], isEmbed: true });
    assert.match(h["Content-Security-Policy"]!, /^frame-ancestors https:\/\/isp\.example;/);
    assert.equal(h["X-Frame-Options"], undefined);
    assert.deepEqual(directives(h["Content-Security-Policy"]!).get("img-src"), ["'self'", "data:", "https:"]);
  });

  test("dev only: 'unsafe-eval' for React's tooling", () => {
    assert.match(contentSecurityPolicy({ nonce: "bm9uY2U=", frameAncestors: [], isDev: true }), /'strict-dynamic' 'unsafe-eval'/);
  });

  test("a nonce that could end the directive is refused", () => {
    assert.throws(() => contentSecurityPolicy({ nonce: "x'; script-src *", frameAncestors: [] }));
  });

  test("the embed is /embed and /embed/… in exact case only", () => {
    for (const p of ["/embed", "/embed/signup", "/embed/"]) assert.equal(isEmbedPath(p), true, p);
    for (const p of ["/EMBED/signup", "/Embed", "/embedded", "/x/embed/signup", "/"]) assert.equal(isEmbedPath(p), false, p);
  });
});

describe("proxy()", () => {
  async function run(url: string, init?: ConstructorParameters<typeof NextRequest>[1]) {
    return proxy(new NextRequest(url, init));
  }

  test("a page gets a nonce CSP (also handed to Next in the request headers) and X-Frame-Options", async () => {
    delete process.env.NEXTAUTH_URL;
    resetEnvForTests();
    const a = await run("http://127.0.0.1:3110/login");
    const b = await run("http://127.0.0.1:3110/login");
    const csp = a.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce);
    assertStrictScripts(csp, nonce);
    assert.notEqual(b.headers.get("content-security-policy"), csp, "per request");
    assert.equal(a.headers.get("x-frame-options"), "DENY");
    assert.equal(a.headers.get("strict-transport-security"), null);
    // NextResponse.next({ request: { headers } }) passes the CSP on to the render, where Next reads the nonce.
    assert.match(a.headers.get("x-middleware-override-headers") ?? "", /content-security-policy/);
    assert.equal(a.headers.get("x-middleware-request-content-security-policy"), csp);
  });

  test("/EMBED/x and /Embed are not the embed: frame-ancestors 'none' and X-Frame-Options DENY", async () => {
    for (const path of ["/EMBED/signup?agent=northwind-direct", "/Embed", "/eMbEd/signup"]) {
      const r = await run(`http://127.0.0.1:3110${path}`);
      assert.match(r.headers.get("content-security-policy")!, /^frame-ancestors 'none';/, path);
      assert.equal(r.headers.get("x-frame-options"), "DENY", path);
    }
  });

  test("/embed without an agent: frame-ancestors 'none' and X-Frame-Options DENY (nobody may frame it)", async () => {
    for (const path of ["/embed/signup", "/embed"]) {
      const r = await run(`http://127.0.0.1:3110${path}`);
      assert.match(r.headers.get("content-security-policy")!, /^frame-ancestors 'none';/);
      assert.equal(r.headers.get("x-frame-options"), "DENY");
    }
  });

  test("HSTS when NEXTAUTH_URL is https", async () => {
    process.env.NEXTAUTH_URL = "https://portal.example.net";
    resetEnvForTests();
    const r = await run("https://portal.example.net/account");
    assert.equal(r.headers.get("strict-transport-security"), HSTS_VALUE);
  });

  test("its matcher covers every path but Next's static files and /api/* in exact case", () => {
    // Next compiles a string matcher with path-to-regexp, case-sensitively (middleware-route-matcher.js).
    const [source] = proxyConfig.matcher;
    const matches = (p: string) => getPathMatch(source!, { sensitive: true, removeUnnamedParams: true, strict: true })(p) !== false;
    for (const p of ["/", "/login", "/account", "/embed/signup", "/EMBED/x", "/Embed", "/nonexistent", "/API/health", "/_NEXT/static/x.js", "/bench/trivial", "/favicon.ico"]) {
      assert.ok(matches(p), `proxy runs on ${p}`);
    }
    for (const p of ["/_next/static/chunks/app.js", "/api/health", "/api/selfservice/jsonrpc"]) assert.ok(!matches(p), `proxy skips ${p}`);
  });
});

describe("next.config.mjs: fixed headers on every path, in any case", () => {
  test("every path gets exactly one CSP with frame-ancestors 'none', and X-Frame-Options outside /embed", async () => {
    const rules = await (await loadNextConfig()).headers!();
    // Next matches header sources case-insensitively (caseSensitiveRoutes is off).
    const headersFor = (p: string) => {
      const out: { key: string; value: string }[] = [];
      for (const rule of rules) if (getPathMatch(rule.source, { sensitive: false, removeUnnamedParams: true, strict: true })(p) !== false) out.push(...rule.headers);
      return out;
    };
    for (const p of ["/", "/login", "/account", "/EMBED/x", "/Embed", "/embed/signup", "/embed", "/nonexistent", "/_next/static/chunks/x.js", "/api/health", "/api/selfservice/jsonrpc", "/embed.js"]) {
      const h = headersFor(p);
      const csps = h.filter((x) => x.key.toLowerCase() === "content-security-policy");
      assert.equal(csps.length, 1, `${p}: one CSP`);
      assert.match(csps[0]!.value, /^frame-ancestors 'none';/, p);
      assertStrictScripts(csps[0]!.value);
      const xfo = h.filter((x) => x.key.toLowerCase() === "x-frame-options");
      // /embed… in any case is left to the proxy, which adds X-Frame-Options unless it is exactly the embed.
      if (/^\/embed(\/|$)/i.test(p)) assert.equal(xfo.length, 0, p);
      else assert.deepEqual(xfo.map((x) => x.value), ["DENY"], p);
    }
  });

  test("its fallback policy is the one lib/http/security-headers.ts names", async () => {
    const rules = await (await loadNextConfig()).headers!();
    const csp = rules.flatMap((r) => r.headers).find((h) => h.key === "Content-Security-Policy");
    assert.equal(csp?.value, FALLBACK_CONTENT_SECURITY_POLICY);
  });
});
