import { expect, type Page } from "@playwright/test";

/**
 * The demo ISP's logins (db/seed/demo.ts DEMO_LOGINS): the e2e database is seeded with the
 * same deterministic demo that `npm start` serves.
 */
export const DEMO_PASSWORD = "Demo-pass-2026";
export const ALICE = { email: "alice@example.com", password: DEMO_PASSWORD, name: /Alice/ };
export const BOB = { username: "bob", domain: "northwind.example", password: DEMO_PASSWORD, name: /Bob/ };
export const CAROL = { phone: "4155550123", pin: "2468", name: /Carol/ };
export const DAVE = { email: "dave@example.com", password: DEMO_PASSWORD, name: /Dave/ };
export const ERIN = { email: "erin@example.com", password: DEMO_PASSWORD, name: /Erin/ };

export async function loginByEmail(page: Page, email: string, password: string, next?: string) {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  await page.getByRole("tab", { name: "Email" }).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

export async function expectLoggedIn(page: Page, name: RegExp, path = "/account") {
  await expect(page).toHaveURL(new RegExp(`${path.replace(/\//g, "\\/")}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
}
