import { expect, test } from "@playwright/test";
import { ERIN, BOB, expectLoggedIn, loginByEmail, ALICE } from "./support/demo";

test.describe("account overview", () => {
  test("shows balance, contact details, address and packages with services", async ({ page }) => {
    await loginByEmail(page, ALICE.email, ALICE.password);
    await expectLoggedIn(page, ALICE.name);
    await expect(page.getByTestId("balance")).toContainText("$");
    await expect(page.getByRole("heading", { name: "Packages and services" })).toBeVisible();
    await expect(page.getByRole("table")).toContainText(/DSL/);
    await expect(page.getByText(/Alameda County/)).toBeVisible();
  });

  test("every link of the main navigation opens its page, marked as the current one", async ({ page }) => {
    await loginByEmail(page, ALICE.email, ALICE.password);
    await expectLoggedIn(page, ALICE.name);
    const nav = page.getByRole("navigation", { name: "Main" });
    const names = await nav.getByRole("link").allInnerTexts();
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) {
      await nav.getByRole("link", { name, exact: true }).click();
      await expect(nav.getByRole("link", { name, exact: true })).toHaveAttribute("aria-current", "page");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(/not found|went wrong/i);
    }
  });
});

test.describe("edit your details", () => {
  test.beforeEach(async ({ page }) => {
    await loginByEmail(page, ERIN.email, ERIN.password);
    await expectLoggedIn(page, ERIN.name);
    await page.getByRole("link", { name: "Edit details" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Edit your details");
  });

  test("a bad postcode: the error is next to the field and nothing is saved", async ({ page }) => {
    const city = await page.getByLabel("City").inputValue();
    await page.getByLabel("City").fill("Somewhere Else");
    await page.getByLabel("Postal code").fill("12345");
    await page.getByRole("button", { name: "Save changes" }).click();
    const zipError = page.locator('[data-field="zip"] .field-error');
    await expect(zipError).toContainText(/not valid/);
    await expect(page.getByLabel("Postal code")).toHaveAttribute("aria-invalid", "true");
    await page.reload();
    await expect(page.getByLabel("City")).toHaveValue(city);
  });

  test("moving the address to another country and back is saved", async ({ page }) => {
    // Client-side the form only knows formats; the region list is the server's.
    await page.getByLabel("Country").selectOption("US");
    await page.getByLabel("State").selectOption("CA");
    await page.getByLabel("County").selectOption("Alameda");
    await page.getByLabel("ZIP code").fill("94607");
    await page.getByLabel("City").fill("Oakland");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.locator('[role="status"], #form-notice')).toContainText(/saved/);
    // Put Erin back in British Columbia for the other tests.
    await page.getByLabel("Country").selectOption("CA");
    await page.getByLabel("Province").selectOption("BC");
    await page.getByLabel("Postal code").fill("V6B 1A1");
    await page.getByLabel("City").fill("Vancouver");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.locator("#form-notice")).toContainText(/saved/);
  });

  test("the region cascade: country → state/province → county", async ({ page }) => {
    await page.getByLabel("Country").selectOption("US");
    const state = page.getByLabel("State");
    await expect(state.locator("option", { hasText: "California" })).toHaveCount(1);
    await expect(state.locator("option", { hasText: "Ontario" })).toHaveCount(0);
    await state.selectOption("CA");
    const county = page.getByLabel("County");
    await expect(county.locator("option", { hasText: "Alameda" })).toHaveCount(1);
    await expect(county.locator("option", { hasText: "King" })).toHaveCount(0);
    await state.selectOption("WA");
    await expect(county.locator("option", { hasText: "King" })).toHaveCount(1);
    await expect(county.locator("option", { hasText: "Alameda" })).toHaveCount(0);
    await page.getByLabel("Country").selectOption("CA");
    const province = page.getByLabel("Province");
    await expect(province.locator("option", { hasText: "British Columbia" })).toHaveCount(1);
    await expect(page.getByLabel("Postal code")).toBeVisible();
  });

  test("a valid change is saved and shown on the account page", async ({ page }) => {
    const phone = `604-555-0${String(Date.now()).slice(-3)}`;
    await page.getByLabel("Daytime phone").fill(phone);
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.locator("#form-notice")).toContainText("Your details were saved.");
    await page.goto("/account");
    await expect(page.getByText(phone)).toBeVisible();
  });

  test("an invalid e-mail destination is refused next to its field", async ({ page }) => {
    await page.getByLabel("Send invoices by e-mail to").fill("erin@example.com, not an email");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.locator('[data-field="invoicing_list"] .field-error')).toBeVisible();
  });
});

test("another customer's session sees only their own account", async ({ browser }) => {
  const a = await browser.newPage();
  await loginByEmail(a, ALICE.email, ALICE.password);
  await expectLoggedIn(a, ALICE.name);
  const b = await browser.newPage();
  await b.goto("/login");
  await b.getByRole("tab", { name: "Username" }).click();
  await b.getByLabel("Username").fill(BOB.username);
  await b.getByLabel("Domain").fill(BOB.domain);
  await b.getByLabel("Password", { exact: true }).fill(BOB.password);
  await b.getByRole("button", { name: "Log in" }).click();
  await expectLoggedIn(b, BOB.name);
  await expect(a.getByRole("heading", { level: 1 })).not.toContainText(/Bob/);
});
