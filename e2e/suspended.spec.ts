import { expect, test } from "@playwright/test";
import { DAVE, DEMO_PASSWORD, expectLoggedIn } from "./support/demo";

/**
 * Issue 24: a suspended customer sees why, how much restores the service, and a primary "Pay now".
 * Read-only (dave is shared). Dave signs in with his account login (dave @ northwind.example):
 * login.spec locks his e-mail identity on purpose.
 */
test("a suspended customer gets a clear banner with the amount that restores service", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("tab", { name: "Username" }).click();
  await page.getByLabel("Username").fill("dave");
  await page.getByLabel("Domain").fill("northwind.example");
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expectLoggedIn(page, DAVE.name);
  const banner = page.locator(".suspended-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("Your service is suspended");
  const balance = (await page.getByTestId("balance").innerText()).trim();
  const pay = banner.getByRole("link", { name: `Pay ${balance} now` });
  await expect(pay).toHaveAttribute("href", "/pay");
  await expect(pay).toHaveClass(/button-primary/);
});
