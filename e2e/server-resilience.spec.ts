import { expect, test } from "@playwright/test";
import { createOwnDatabase, startOwnServer, type OwnServer } from "./support/own-server";
import { startTcpProxy, type TcpProxy } from "../tests/support/tcp-proxy";

/**
 * scripts/server.mjs, the server `npm start` runs (issue 22 §4 and §9): the client address is the
 * TCP peer unless it is a trusted proxy, and a database that goes away gives quick "temporarily
 * unavailable" answers, then recovers by itself. Each test runs a server of its own on a database
 * of its own, so the shared e2e server and its throttles are untouched.
 */
test.describe.configure({ mode: "serial" });

async function jsonRpc(base: string, method: string, params: Record<string, unknown>, headers: Record<string, string> = {}) {
  const started = Date.now();
  const r = await fetch(`${base}/api/selfservice/jsonrpc`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return { status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.text(), ms: Date.now() - started };
}

test("a client cannot choose its address with X-Forwarded-For; a trusted proxy can", async () => {
  test.setTimeout(120_000);
  const db = await createOwnDatabase();
  let server: OwnServer | null = null;
  try {
    server = await startOwnServer(3121, db.url);
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const r = await jsonRpc(server.url, "login", { email: `spoof-${i}@example.com`, password: "x" }, { "x-forwarded-for": `203.0.113.${i + 1}` });
      statuses.push(r.status);
    }
    // 30 failures per address: the spoofed header did not make 32 addresses out of one.
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    await server.stop();

    // Behind a trusted proxy (here: this machine), the proxy's X-Forwarded-For names the client.
    server = await startOwnServer(3121, db.url, { PORTICO_TRUSTED_PROXIES: "127.0.0.1/8, ::1" });
    const r = await jsonRpc(server.url, "login", { email: "proxied@example.com", password: "x" }, { "x-forwarded-for": "198.51.100.200" });
    expect(r.status).toBe(200);
    expect(r.body).toContain("Incorrect login or password.");
  } finally {
    await server?.stop();
    await db.drop();
  }
});

test("the database goes away: quick 503s and a plain page, then it recovers without a restart", async ({ page }) => {
  test.setTimeout(120_000);
  const db = await createOwnDatabase();
  const target = new URL(db.url);
  let proxy: TcpProxy | null = null;
  let server: OwnServer | null = null;
  try {
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    server = await startOwnServer(3122, viaProxy.toString());
    expect((await jsonRpc(server.url, "customer_info", { session_id: "f".repeat(64) })).status).toBe(200);

    await proxy.refuse();
    for (let i = 0; i < 3; i++) {
      const r = await jsonRpc(server.url, "customer_info", { session_id: "f".repeat(64) });
      expect(r.status).toBe(503);
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(r.ms).toBeLessThan(3000);
    }
    const started = Date.now();
    const response = await page.goto(`${server.url}/account`);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(response?.status()).toBe(503);
    await expect(page.getByRole("heading", { level: 1, name: "Temporarily unavailable" })).toBeVisible();
    expect(await page.content()).not.toMatch(/ECONN|stack|Internal error/i);
    // Static assets and the health check are never refused.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(503);

    await proxy.restore();
    await expect
      .poll(async () => (await fetch(`${server!.url}/login`)).status, { timeout: 15_000, intervals: [250, 500, 1000] })
      .toBe(200);
    expect((await jsonRpc(server.url, "customer_info", { session_id: "f".repeat(64) })).status).toBe(200);
    await page.goto(`${server.url}/account`);
    await expect(page).toHaveURL(/\/login/);
  } finally {
    await server?.stop();
    await proxy?.close();
    await db.drop();
  }
});

test("under a surge the excess is refused at once with a short busy answer; health and static files never are", async ({ page }) => {
  test.setTimeout(120_000);
  const db = await createOwnDatabase();
  let server: OwnServer | null = null;
  try {
    server = await startOwnServer(3123, db.url, { PORTICO_MAX_CONCURRENCY: "1", PORTICO_QUEUE_LIMIT: "1", PORTICO_QUEUE_WAIT_MS: "50" });
    await page.goto(`${server.url}/login`);
    const script = await page.locator("script[src^='/_next/static/']").first().getAttribute("src");
    const timed = async (url: string, init?: RequestInit) => {
      const started = Date.now();
      const r = await fetch(url, init);
      const text = await r.text();
      return { status: r.status, retryAfter: r.headers.get("retry-after"), text, ms: Date.now() - started };
    };
    const surge = await Promise.all([
      ...Array.from({ length: 24 }, () => timed(`${server!.url}/login`)),
      ...Array.from({ length: 8 }, () =>
        timed(`${server!.url}/api/selfservice/jsonrpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "signup_info", params: {} }) }),
      ),
      ...Array.from({ length: 6 }, () => timed(`${server!.url}/api/health`)),
      ...Array.from({ length: 6 }, () => timed(`${server!.url}${script}`)),
    ]);
    const pages = surge.slice(0, 24);
    const rpc = surge.slice(24, 32);
    const busy = [...pages, ...rpc].filter((r) => r.status === 503);
    expect(pages.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) {
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(r.text).toMatch(/busy right now/i);
    }
    // Health checks and static assets are never refused.
    expect(surge.slice(32).map((r) => r.status)).toEqual(Array(12).fill(200));
    // The busy page is a real page, not an error.
    const refused = pages.find((r) => r.status === 503);
    expect(refused?.text).toContain("<h1>Busy right now</h1>");
  } finally {
    await server?.stop();
    await db.drop();
  }
});
