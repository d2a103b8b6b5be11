import { expect, test } from "@playwright/test";
import { DAVE, expectLoggedIn, loginByEmail } from "./support/demo";

/** Issue 24: a suspended customer sees why, how much restores the service, and a primary "Pay now". (Read-only: dave is shared.) */
test("a suspended customer gets a clear banner with the amount that restores service", async ({ page }) => {
  await loginByEmail(page, DAVE.email, DAVE.password);
  await expectLoggedIn(page, DAVE.name);
  const banner = page.locator(".suspended-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("Your service is suspended");
  const balance = (await page.getByTestId("balance").innerText()).trim();
  const pay = banner.getByRole("link", { name: `Pay ${balance} now` });
  await expect(pay).toHaveAttribute("href", "/pay");
  await expect(pay).toHaveClass(/button-primary/);
});
