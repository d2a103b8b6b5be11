import { expect, test } from "@playwright/test";
import { ALICE, expectLoggedIn, loginByEmail } from "./support/demo";

// Runs in the "phone" project (390 × 844).
test("on a phone: login, the menu button, the account page without sideways scrolling", async ({ page }) => {
  await loginByEmail(page, ALICE.email, ALICE.password);
  await expectLoggedIn(page, ALICE.name);
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});
