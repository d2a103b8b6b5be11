import { expect, test, type Page, type APIRequestContext } from "@playwright/test";
import { loginByEmail } from "./support/demo";

/**
 * Issue 24, defects 1–5: a press after typing always reaches the form (no blur validation moves
 * the button between press and release), the result of a form is announced, scrolled into view
 * and focused, an invalid value puts focus on the first error, and a few accessibility details.
 * Each test makes its own customer (JSON-RPC new_customer_minimal) so it changes no shared data.
 */
const PASSWORD = "Forms-pass-2026!";

async function newCustomer(request: APIRequestContext, tag: string) {
  const email = `forms.${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
  const r = await request.post("/api/selfservice/jsonrpc", {
    data: { jsonrpc: "2.0", id: 1, method: "new_customer_minimal", params: { first: "Frances", last: "Orm", invoicing_list: email, _password: PASSWORD, payby: "BILL" } },
  });
  const body = (await r.json()) as { result?: { error: string } };
  expect(body.result?.error).toBe("");
  return email;
}

/** Counts the form's submit events from now on. */
async function countSubmits(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __submits: number }).__submits = 0;
    document.addEventListener("submit", () => (window as unknown as { __submits: number }).__submits++, true);
  });
  return () => page.evaluate(() => (window as unknown as { __submits: number }).__submits);
}

async function expectRevealed(page: Page, text: string | RegExp) {
  const notice = page.locator("#form-notice, #pay-notice").filter({ hasText: text });
  await expect(notice).toBeVisible();
  await expect(notice).toBeInViewport();
  await expect(notice).toBeFocused();
  await expect(notice).toHaveAttribute("role", /^(status|alert)$/);
}

test("account details: an invalid value focuses its field; typing a fix and pressing once saves", async ({ page, request }) => {
  const email = await newCustomer(request, "edit");
  await loginByEmail(page, email, PASSWORD, "/account/edit");
  await expect(page).toHaveURL(/\/account\/edit$/);
  const submits = await countSubmits(page);
  const first = page.getByLabel("First name");
  await first.fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(first).toBeFocused();
  await expect(first).toHaveAttribute("aria-invalid", "true");
  // This customer signed up without an address: give one, then type the fix and press at once.
  await page.locator("#address1").fill("1 Market St");
  await page.getByLabel("City").fill("San Francisco");
  await page.getByLabel("State").selectOption("CA");
  await page.getByLabel("ZIP code").fill("94105");
  await first.fill("Francesca");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectRevealed(page, "Your details were saved.");
  expect(await submits()).toBe(2);
});

test("add a card: typing then pressing once submits", async ({ page, request }) => {
  const email = await newCustomer(request, "card");
  await loginByEmail(page, email, PASSWORD, "/payment-methods/add-card");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Add a card");
  const submits = await countSubmits(page);
  await page.getByLabel("Name on card").fill("Frances Orm");
  await page.getByLabel("Expiration month").selectOption("12");
  await page.getByLabel("Expiration year").selectOption(String(new Date().getFullYear() + 2));
  await page.getByLabel("Security code (CVV)").fill("123");
  await page.getByLabel("Card number").fill("4111 1111 1111 1112");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByLabel("Card number")).toBeFocused();
  await expect(page.getByLabel("Card number")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Card number").fill("4111 1111 1111 1111");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page).toHaveURL(/\/payment-methods(\?|$)/);
  expect(await submits()).toBe(2);
});

test("pay: choosing a new card after leaving the amount empty takes one press; an empty amount says so", async ({ page, request }) => {
  const email = await newCustomer(request, "pay");
  await loginByEmail(page, email, PASSWORD, "/pay");
  const amount = page.getByLabel("Amount (USD)");
  await amount.fill("");
  await page.getByLabel("A new card").check();
  await expect(page.getByLabel("A new card")).toBeChecked();
  await expect(page.getByLabel("Card number")).toBeVisible();
  await page.getByRole("button", { name: "Review payment" }).click();
  await expect(amount).toBeFocused();
  await expect(amount).toHaveAttribute("aria-invalid", "true");
});

test("payment methods: every button's accessible name starts with its visible label", async ({ page, request }) => {
  const email = await newCustomer(request, "names");
  const rpc = async (method: string, params: Record<string, unknown>) =>
    ((await (await request.post("/api/selfservice/jsonrpc", { data: { jsonrpc: "2.0", id: 1, method, params } })).json()) as { result: Record<string, unknown> }).result;
  const session_id = (await rpc("login", { email, password: PASSWORD })).session_id;
  const year = new Date().getFullYear() + 2;
  for (const payinfo of ["4111111111111111", "5555555555554444"]) {
    expect((await rpc("insert_payby", { session_id, payby: "CARD", payinfo, month: "7", year, payname: "Frances Orm", paycvv: "321" })).error).toBe("");
  }
  await loginByEmail(page, email, PASSWORD, "/payment-methods");
  await expect(page.getByRole("button", { name: /^Make this my first method/ })).toHaveCount(1);
  for (const button of await page.getByRole("button").all()) {
    const visible = (await button.innerText()).trim();
    const name = (await button.getAttribute("aria-label")) ?? visible;
    expect(name.startsWith(visible), `"${name}" starts with "${visible}"`).toBe(true);
  }
});

test("phone login accepts the international style the portal displays", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("tab", { name: "Phone" }).click();
  await page.getByLabel("Phone number").fill("+1 415 555 0123");
  await page.getByLabel("PIN").fill("2468");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/account$/);
});
