import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD, expectLoggedIn, loginByEmail } from "./support/demo";

/**
 * /account/security: the login's signed-in sessions, "Sign out" one, "Sign out everywhere else".
 * Uses erin's *account* login (erin@harbornet.example: her svc_acct, not her contact e-mail), a
 * login no other spec uses, so ending its sessions disturbs nobody (sessions are per login).
 */
const ERIN_ACCOUNT = { email: "erin@harbornet.example", password: DEMO_PASSWORD, name: /Erin/ };
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

async function signedIn(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await loginByEmail(page, ERIN_ACCOUNT.email, ERIN_ACCOUNT.password);
  await expectLoggedIn(page, ERIN_ACCOUNT.name);
  return { context, page };
}

/** Opens /account/security and ends whatever an earlier run (or retry) left signed in elsewhere. */
async function securityPageAlone(page: Page) {
  await page.goto("/account/security");
  await expect(page.getByRole("heading", { level: 1, name: "Security" })).toBeVisible();
  const everywhere = page.getByRole("button", { name: "Sign out everywhere else", exact: true });
  if (await everywhere.isVisible()) {
    await everywhere.click();
    await expect(page.locator("#sessions-result")).toContainText(/Signed out of|not signed in anywhere else/);
  }
  await expect(page.getByTestId("session")).toHaveCount(1);
}

test.describe("signed-in sessions (erin's account login)", () => {
  test("two browsers: both listed, this device marked; signing out the other sends it to /login", async ({ browser }) => {
    // The first browser at phone width: the page must work at 390 px.
    const a = await signedIn(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, userAgent: SAFARI_IPHONE });
    await securityPageAlone(a.page);
    const b = await signedIn(browser, { userAgent: FIREFOX_WINDOWS });

    await a.page.reload();
    const rows = a.page.getByTestId("session");
    await expect(rows).toHaveCount(2);
    const mine = a.page.locator('[data-testid="session"][data-current="true"]');
    await expect(mine).toContainText("Safari on iPhone");
    await expect(mine).toContainText("This device");
    await expect(mine.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    const other = rows.filter({ hasText: "Firefox on Windows" });
    await expect(other).toHaveCount(1);
    await expect(other).toContainText("Signed in");
    await expect(other).toContainText("Last seen");
    await expect(other).toContainText("Address");
    const overflow = await a.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);

    // A session id that is not one of this login's (here made up in the page): "not found", nothing ends.
    const idInput = other.locator('input[name="session"]');
    const realId = await idInput.inputValue();
    await idInput.evaluate((el) => ((el as HTMLInputElement).value = "AAAAAAAAAAAAAAAAAAAAAA"));
    await other.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(a.page.locator("#sessions-result")).toHaveText("That session was not found: it may have ended already. Nothing was changed.");
    await expect(rows).toHaveCount(2);
    await idInput.evaluate((el, id) => ((el as HTMLInputElement).value = id), realId);

    // The button's accessible name is its visible label; it is described by the device.
    const signOut = other.getByRole("button", { name: "Sign out", exact: true });
    await expect(signOut).toHaveAccessibleDescription("Firefox on Windows");
    await signOut.click();
    await expect(a.page.locator("#sessions-result")).toHaveText("That session was signed out.");
    await expect(a.page.locator("#sessions-result")).toHaveAttribute("aria-live", "polite");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute("data-current", "true");

    // The other browser is sent to /login on its next navigation; this one stays signed in.
    await b.page.goto("/invoices");
    await expect(b.page).toHaveURL(/\/login\?next=%2Finvoices$/);
    await a.page.goto("/account");
    await expectLoggedIn(a.page, ERIN_ACCOUNT.name);

    await a.context.close();
    await b.context.close();
  });

  test("sign out everywhere else: every other browser is signed out, this one stays; reached from the nav and the account page", async ({ browser }) => {
    const a = await signedIn(browser);
    await securityPageAlone(a.page);
    const b = await signedIn(browser, { userAgent: FIREFOX_WINDOWS });
    const c = await signedIn(browser, { userAgent: SAFARI_IPHONE });

    // From the account page's link, then the portal nav marks Security (not Account) as current.
    await a.page.goto("/account");
    await a.page.getByRole("main").getByRole("link", { name: "Security", exact: true }).click();
    await expect(a.page).toHaveURL(/\/account\/security$/);
    const nav = a.page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Security" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Account" })).not.toHaveAttribute("aria-current", "page");

    await expect(a.page.getByTestId("session")).toHaveCount(3);
    const everywhere = a.page.getByRole("button", { name: "Sign out everywhere else", exact: true });
    await everywhere.click();
    await expect(a.page.locator("#sessions-result")).toHaveText("Signed out of 2 other sessions. Only this device is still signed in.");
    await expect(a.page.getByTestId("session")).toHaveCount(1);
    await expect(everywhere).toHaveCount(0);
    await expect(a.page.getByText("You are signed in on this device only.")).toBeVisible();

    for (const other of [b, c]) {
      await other.page.goto("/account");
      await expect(other.page).toHaveURL(/\/login\?next=%2Faccount$/);
    }
    await a.page.goto("/account");
    await expectLoggedIn(a.page, ERIN_ACCOUNT.name);

    for (const x of [a, b, c]) await x.context.close();
  });
});
