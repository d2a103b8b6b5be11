import { expect, test } from "@playwright/test";
import { ALICE, BOB, CAROL, DAVE, expectLoggedIn, loginByEmail } from "./support/demo";

test.describe("login, the three Freeside ways", () => {
  test("by e-mail and password", async ({ page }) => {
    await loginByEmail(page, ALICE.email, ALICE.password);
    await expectLoggedIn(page, ALICE.name);
  });

  test("by username, domain and password", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("tab", { name: "Username" }).click();
    await page.getByLabel("Username").fill(BOB.username);
    await page.getByLabel("Domain").fill(BOB.domain);
    await page.getByLabel("Password", { exact: true }).fill(BOB.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expectLoggedIn(page, BOB.name);
  });

  test("by phone number and PIN, using the keyboard only", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("tab", { name: "Email" }).focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("tab", { name: "Phone" })).toHaveAttribute("aria-selected", "true");
    await page.getByLabel("Phone number").fill(CAROL.phone);
    await page.getByLabel("PIN").fill(CAROL.pin);
    await page.getByLabel("PIN").press("Enter");
    await expectLoggedIn(page, CAROL.name);
  });

  test("a wrong password says so, without telling whether the account exists", async ({ page }) => {
    await loginByEmail(page, ALICE.email, "not-the-password");
    const error = page.locator("#login-error");
    await expect(error).toContainText("Incorrect login or password.");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByLabel("Email address")).toHaveValue(ALICE.email);
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");

    await loginByEmail(page, "nobody-here@example.com", "not-the-password");
    await expect(page.locator("#login-error")).toContainText("Incorrect login or password.");
  });

  test("client-side checks: an empty form shows field errors and sends nothing", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.locator(".field-error").first()).toBeVisible();
    await expect(page).toHaveURL(/\/login$/);
  });

  test("repeated failures for one identity are throttled with a clear message", async ({ page }) => {
    // dave is used only here; the identity limit is 5 failures in 15 minutes.
    for (let i = 0; i < 5; i++) {
      await loginByEmail(page, DAVE.email, `wrong-${i}`);
      await expect(page.locator("#login-error")).toContainText("Incorrect login or password.");
    }
    await loginByEmail(page, DAVE.email, DAVE.password);
    await expect(page.locator("#login-error")).toContainText(/too many/i);
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe("sessions", () => {
  test("a portal page without a session goes to /login?next=… and back after login", async ({ page }) => {
    await page.goto("/account/edit");
    await expect(page).toHaveURL(/\/login\?next=%2Faccount%2Fedit$/);
    await page.getByLabel("Email address").fill(ALICE.email);
    await page.getByLabel("Password", { exact: true }).fill(ALICE.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/account\/edit$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Edit your details");
  });

  for (const unsafe of ["https://evil.example/steal", "/\t/evil.example/steal"]) {
    test(`an unsafe next= is ignored: ${JSON.stringify(unsafe)}`, async ({ page }) => {
      await loginByEmail(page, ALICE.email, ALICE.password, unsafe);
      await expectLoggedIn(page, ALICE.name);
    });
  }

  test("a logged-in visitor sent to /login with an unsafe next= stays on the site", async ({ page }) => {
    await loginByEmail(page, ALICE.email, ALICE.password);
    await expectLoggedIn(page, ALICE.name);
    await page.goto(`/login?next=${encodeURIComponent("/\t/evil.example/steal")}`);
    await expectLoggedIn(page, ALICE.name);
  });

  test("logout ends the session on the server, not just in the browser", async ({ page, context }) => {
    await loginByEmail(page, ALICE.email, ALICE.password);
    await expectLoggedIn(page, ALICE.name);
    const before = (await context.cookies()).filter((c) => c.name.includes("portico.session"));
    expect(before).toHaveLength(1);
    expect(before[0]!.httpOnly).toBe(true);
    expect(before[0]!.sameSite).toBe("Lax");

    await page.getByRole("button", { name: /log out/i }).first().click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);

    // Putting the old cookie back does not bring the session back: its row is gone.
    await context.addCookies(before);
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
  });

  test("pages send frame-ancestors 'none'", async ({ page }) => {
    const res = await page.goto("/login");
    expect(res!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res!.headers()["x-frame-options"]).toBe("DENY");
  });
});
