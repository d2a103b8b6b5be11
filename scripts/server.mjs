#!/usr/bin/env node
// Portico's HTTP server: Next.js's request handler behind a plain node:http server that owns what
// only the connection knows or what must be decided before Next.js does any work.
//
//  1. The client address. The app's per-address limits and the audit log read `X-Forwarded-For`;
//     this server overwrites it with the one address it trusts: the TCP peer, unless the peer is a
//     proxy listed in PORTICO_TRUSTED_PROXIES (comma-separated addresses or CIDR ranges), in which
//     case the rightmost entry of the X-Forwarded-For it sent that is not itself a trusted proxy.
//     Whatever a client writes in that header is otherwise ignored.
//  2. A database that cannot be reached. While the app has flagged the database unavailable
//     (lib/db/availability.ts, one flag on globalThis in this same process), pages and APIs are
//     answered at once with 503 + Retry-After ("temporarily unavailable") instead of waiting on
//     it; the app's probe checks the database about once a second and clears the flag itself.
//     Static files and /api/health always go through.
//  3. Load. At most PORTICO_MAX_CONCURRENCY requests are worked on at once (default: 8 per core,
//     at most twice the database pool), PORTICO_QUEUE_LIMIT more wait (4× the limit) for at most
//     PORTICO_QUEUE_WAIT_MS (250); the excess is answered at once with 503 + Retry-After (a short
//     "busy" page for pages) — scripts/support/admission.mjs. Static files, /api/health and a
//     signed-in customer's payment are never refused.
//
//   node scripts/server.mjs      (npm start runs it; PORT, HOST as below)
//
// HOST: the address to listen on. Default: all interfaces with DATABASE_URL; localhost only for the
// embedded PGlite demo (no DATABASE_URL), which is not meant to be reachable from other machines.
import { createServer } from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import os from "node:os";
import { admissionOptions, createAdmission } from "./support/admission.mjs";
import { clientAddress, parseTrustedProxies } from "./support/client-address.mjs";
import { listenHost } from "./support/listen-host.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const require = createRequire(import.meta.url);

const port = Number(process.env.PORT ?? 3000);
const host = listenHost(process.env);

// ---------------------------------------------------------------- database unavailable

const AVAILABILITY = Symbol.for("portico.db.availability");
const PROBE_EVERY_MS = 1000;
const PROBE_TIMEOUT_MS = 2500;
let probing = false;
let lastProbe = 0;

function databaseUnavailable() {
  const state = /** @type {any} */ (globalThis)[AVAILABILITY];
  if (!state?.unavailableSince) return false;
  if (!probing && Date.now() - lastProbe >= PROBE_EVERY_MS && typeof state.probe === "function") {
    probing = true;
    lastProbe = Date.now();
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("probe timed out")), PROBE_TIMEOUT_MS).unref());
    Promise.race([state.probe(), timeout])
      .then(() => {
        delete state.unavailableSince;
        console.log("[server] the database answers again");
      })
      .catch(() => {})
      .finally(() => {
        probing = false;
      });
  }
  return true;
}

/** Paths that never depend on the database, or must always reach the app. */
function alwaysServed(pathname) {
  return pathname.startsWith("/_next/static/") || pathname === "/favicon.ico" || pathname === "/api/health" || /\.(?:css|js|png|svg|ico|txt|woff2?)$/.test(pathname);
}

const ANSWERS = {
  unavailable: { retryAfter: 5, title: "Temporarily unavailable", text: "The service is temporarily unavailable. Please try again in a moment.", more: "This page will work again as soon as the service is back: reload it in a few seconds." },
  busy: { retryAfter: 2, title: "Busy right now", text: "The service is busy right now. Please try again in a moment.", more: "Too many people are using it at once: reload this page in a few seconds." },
};
const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

function escapeHtml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

/**
 * 503 in the caller's own format (an XML-RPC fault, a JSON-RPC error, JSON, or a plain page),
 * answered by this server without Next.js.
 * @param {import("node:http").ServerResponse} res
 * @param {string} method
 * @param {string} pathname
 * @param {keyof typeof ANSWERS} why
 */
function answer503(res, method, pathname, why) {
  const a = ANSWERS[why];
  let type;
  let body;
  if (pathname.endsWith("/xmlrpc")) {
    type = "text/xml; charset=utf-8";
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>503</int></value></member><member><name>faultString</name><value><string>${escapeHtml(a.text)}</string></value></member></struct></value></fault></methodResponse>\n`;
  } else if (pathname.endsWith("/jsonrpc")) {
    type = "application/json; charset=utf-8";
    body = JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32003, message: a.text, data: { retry_after: a.retryAfter } } });
  } else if (pathname.startsWith("/api/")) {
    type = "application/json; charset=utf-8";
    body = JSON.stringify({ error: a.text });
  } else {
    type = "text/html; charset=utf-8";
    body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${a.title}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1.5rem;line-height:1.5;color:#1f2933;background:#fff}@media (prefers-color-scheme:dark){body{color:#e4e7eb;background:#15191e}}h1{font-size:1.5rem}</style></head><body><main><h1>${a.title}</h1><p>${escapeHtml(a.text)}</p><p>${a.more}</p></main></body></html>`;
  }
  res.writeHead(503, { ...SECURITY_HEADERS, "retry-after": String(a.retryAfter), "content-type": type });
  res.end(method === "HEAD" ? undefined : body);
}

/**
 * A signed-in customer's payment (the /pay page's server action): admitted ahead of the queue and
 * never refused for load. (An RPC `process_payment` may be refused like any call; its one-time key
 * makes the client's retry safe.)
 * @param {import("node:http").IncomingMessage} req
 * @param {string} pathname
 */
function isPriority(req, pathname) {
  return req.method === "POST" && pathname === "/pay" && typeof req.headers["next-action"] === "string" && /(?:^|;\s*)(?:__Host-)?portico\.session=/.test(req.headers.cookie ?? "");
}

// ---------------------------------------------------------------- server

async function main() {
  const trusted = parseTrustedProxies(process.env.PORTICO_TRUSTED_PROXIES);
  const next = require("next");
  const app = next({ dev: false, dir: root, hostname: host ?? "0.0.0.0", port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const admission = createAdmission(
    admissionOptions({ cores: os.availableParallelism?.() ?? os.cpus().length, poolMax: Number(process.env.PGPOOL_MAX || 10), env: process.env }),
  );

  /** @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res */
  const serve = (req, res) =>
    handle(req, res).catch((e) => {
      console.error("[server] request failed:", e instanceof Error ? e.message : String(e));
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
      res.end();
    });

  const server = createServer((req, res) => {
    req.headers["x-forwarded-for"] = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
    delete req.headers["x-real-ip"];
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    if (alwaysServed(pathname)) return void serve(req, res);
    if (databaseUnavailable()) return answer503(res, req.method ?? "GET", pathname, "unavailable");
    const admitted = admission.acquire({ priority: isPriority(req, pathname) });
    const go = (/** @type {(() => void) | null} */ release) => {
      if (!release) return answer503(res, req.method ?? "GET", pathname, "busy");
      res.once("close", release);
      // A request whose client gave up while it waited is not worked on.
      if (req.destroyed || res.destroyed) return release();
      serve(req, res);
    };
    if (typeof admitted === "function" || admitted === null) go(admitted);
    else admitted.then(go);
  });
  server.keepAliveTimeout = 65_000;
  // A deep accept queue: under a surge the kernel otherwise drops connections (Node's default
  // backlog is 511), and a dropped SYN is retried only after 1 s, then 3 s.
  server.listen({ port, host, backlog: 2048 }, () => {
    const shown = host && host !== "0.0.0.0" && host !== "::" ? host : "0.0.0.0";
    console.log(`[server] listening on http://${shown.includes(":") ? `[${shown}]` : shown}:${port}${process.env.DATABASE_URL ? "" : " (localhost only: set HOST to listen elsewhere)"}`);
  });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      server.close(() => process.exit(0));
      server.closeIdleConnections?.();
      setTimeout(() => process.exit(0), 10_000).unref();
    });
  }
}

process.env.NODE_ENV ??= "production";
main().catch((e) => {
  console.error(`[server] could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
