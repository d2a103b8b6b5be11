import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ALICE, loginByEmail } from "./support/demo";

/**
 * Issue 22 §6 and §12 on the built server: the strict Content-Security-Policy (a per-request
 * script nonce, no 'unsafe-inline' for scripts) on every page, and every page still works under
 * it in Chromium (no CSP violation, the page hydrates: a client-side interaction works);
 * frame-ancestors on every response of every path in any case, X-Frame-Options wherever nobody
 * may frame (everywhere but an agent's embed);
 * refused server actions answer 403 (not 500); an unparseable callbackUrl is no 500.
 */

type Violation = { directive: string; blocked: string; source: string };

/** Collects CSP violations (the DOM event, in every frame) and the console's CSP errors. */
async function watchCsp(page: Page): Promise<{ violations: () => Promise<Violation[]>; consoleErrors: string[] }> {
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(m.text())) consoleErrors.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: Violation[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}` });
    });
  });
  return {
    violations: () => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp ?? []),
    consoleErrors,
  };
}

/** Next's client router adds <next-route-announcer> once the app has hydrated and its effects ran. */
async function expectHydrated(page: Page) {
  await expect(page.locator("next-route-announcer")).toHaveCount(1);
}

function cspOf(headers: Record<string, string>): string {
  return headers["content-security-policy"] ?? "";
}

function expectStrictPagePolicy(csp: string) {
  expect(csp).toMatch(/^frame-ancestors /);
  expect(csp).toContain("default-src 'self'");
  const script = /(?:^|; )script-src ([^;]*)/.exec(csp)?.[1] ?? "";
  expect(script).toMatch(/'nonce-[A-Za-z0-9+/]+=*'/);
  expect(script).toContain("'strict-dynamic'");
  expect(script).not.toContain("'unsafe-inline'");
  expect(script).not.toContain("'unsafe-eval'");
  for (const d of ["connect-src", "img-src", "style-src", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) expect(csp).toContain(d);
}

test.describe("every page works under the strict CSP", () => {
  test("login: nonce on Next's scripts, a new nonce per request, hydrated, no violation", async ({ page, request }) => {
    const csp = await watchCsp(page);
    const res = await page.goto("/login");
    const policy = cspOf(res!.headers());
    expectStrictPagePolicy(policy);
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
    // Next put this response's nonce on its own scripts.
    const html = await res!.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(cspOf((await request.get("/login")).headers())).not.toContain(nonce);

    await expectHydrated(page);
    await page.getByRole("tab", { name: "Username" }).click();
    await expect(page.getByRole("tab", { name: "Username" })).toHaveAttribute("aria-selected", "true");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByText("Enter your username")).toBeVisible();
    expect(await csp.violations()).toEqual([]);
    expect(csp.consoleErrors).toEqual([]);
  });

  test("signup and the embedded signup: the wizard's client validation runs", async ({ page }) => {
    const csp = await watchCsp(page);
    for (const path of ["/signup", "/embed/signup?agent=northwind-direct"]) {
      const res = await page.goto(path);
      expect(res!.status(), path).toBe(200);
      expectStrictPagePolicy(cspOf(res!.headers()));
      await expectHydrated(page);
      await expect(page.locator("form[data-ready=true]")).toHaveCount(1);
      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page.locator("#pkgpart-error")).toHaveText(/Please select a package/);
    }
    expect(await csp.violations()).toEqual([]);
    expect(csp.consoleErrors).toEqual([]);
  });

  test("the portal: log in, client-side navigation, a form", async ({ page }) => {
    const csp = await watchCsp(page);
    await loginByEmail(page, ALICE.email, ALICE.password);
    await expect(page).toHaveURL(/\/account$/);
    await expectHydrated(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invoices" }).click();
    await expect(page).toHaveURL(/\/invoices$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/Invoices/);
    const pay = await page.goto("/pay");
    expectStrictPagePolicy(cspOf(pay!.headers()));
    await expectHydrated(page);
    await page.goto("/invoices/999999999");
    await expectHydrated(page);
    expect(await csp.violations()).toEqual([]);
    expect(csp.consoleErrors).toEqual([]);
  });

  test("error pages and the benchmark's trivial page", async ({ page }) => {
    const csp = await watchCsp(page);
    for (const path of ["/nonexistent", "/EMBED/signup", "/Embed", "/API/health", "/bench/trivial"]) {
      const res = await page.goto(path);
      expect(res!.status(), path).toBe(404);
      expectStrictPagePolicy(cspOf(res!.headers()));
      expect(res!.headers()["x-frame-options"], path).toBe("DENY");
      await expectHydrated(page);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    }
    expect(await csp.violations()).toEqual([]);
    expect(csp.consoleErrors).toEqual([]);
  });
});

test.describe("headers on every path", () => {
  async function staticChunk(request: APIRequestContext): Promise<string> {
    const html = await (await request.get("/login")).text();
    const src = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(src).toBeTruthy();
    return src!;
  }

  test("frame-ancestors everywhere, X-Frame-Options DENY outside the embed, whatever the case or status", async ({ request }) => {
    const chunk = await staticChunk(request);
    const paths: [string, string][] = [
      ["/", "GET"],
      ["/login", "GET"],
      ["/account", "GET"],
      ["/EMBED/x", "GET"],
      ["/Embed", "GET"],
      ["/embed", "GET"],
      ["/nonexistent", "GET"],
      [chunk, "GET"],
      [chunk.toUpperCase(), "GET"],
      ["/_next/static/nope.js", "GET"],
      ["/embed.js", "GET"],
      ["/favicon.ico", "GET"],
      ["/api/health", "GET"],
      ["/API/HEALTH", "GET"],
      ["/api/selfservice/jsonrpc", "POST"],
      ["/api/selfservice/jsonrpc", "GET"],
      ["/api/nope", "GET"],
      ["/api/auth/session", "GET"],
    ];
    for (const [path, method] of paths) {
      const res = await request.fetch(path, { method, maxRedirects: 0, data: method === "POST" ? "{}" : undefined });
      const h = res.headers();
      expect(cspOf(h), `${method} ${path} (${res.status()})`).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
      expect(cspOf(h), path).toContain("default-src 'self'");
      expect(cspOf(h), path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(h["x-frame-options"], `${method} ${path}`).toBe("DENY");
      expect(h["x-content-type-options"], path).toBe("nosniff");
      expect(h["strict-transport-security"], "no HSTS over http").toBeUndefined();
    }
  });

  test("the embed keeps its agent's frame-ancestors and no X-Frame-Options", async ({ request }) => {
    const res = await request.get("/embed/signup?agent=northwind-direct");
    expect(res.status()).toBe(200);
    expect(cspOf(res.headers())).toMatch(/^frame-ancestors [^;]*http:\/\/localhost:3187/);
    expectStrictPagePolicy(cspOf(res.headers()));
    expect(res.headers()["x-frame-options"]).toBeUndefined();
  });
});

test.describe("refusals that were 500s", () => {
  const ACTION_ID = "40" + "0".repeat(40);

  test("a server action from another origin: 403; an unknown action id: 409, not 500", async ({ request, baseURL }) => {
    const crossOrigin = await request.post("/account/edit", {
      headers: { origin: "https://evil.example", "next-action": ACTION_ID, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
      data: "[]",
      maxRedirects: 0,
    });
    expect(crossOrigin.status()).toBe(403);
    const unknown = await request.post("/login", {
      headers: { origin: baseURL!, "next-action": ACTION_ID, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" },
      data: "[]",
      maxRedirects: 0,
    });
    expect(unknown.status()).toBe(409);
    expect(unknown.headers()["x-nextjs-action-not-found"]).toBe("1");
  });

  test("callbackUrl=http://127.0.0.1:3600.evil.example/: no 500, and the sign-in lands on /account", async ({ request, baseURL }) => {
    const evil = "http://127.0.0.1:3600.evil.example/";
    const csrf = await request.get(`/api/auth/csrf?callbackUrl=${encodeURIComponent(evil)}`);
    expect(csrf.status()).toBe(200);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signin = await request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: ALICE.email, password: ALICE.password, callbackUrl: evil, json: "true" },
      maxRedirects: 0,
    });
    expect(signin.status()).toBe(200);
    expect(((await signin.json()) as { url: string }).url).toBe(`${baseURL}/account`);
    const signinPage = await request.get(`/api/auth/signin?callbackUrl=${encodeURIComponent(evil)}`, { maxRedirects: 0 });
    expect(signinPage.status()).toBeLessThan(500);
  });
});
