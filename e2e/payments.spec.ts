import { expect, test, type Browser, type Page } from "@playwright/test";
import { ALICE, CAROL, ERIN, expectLoggedIn, loginByEmail } from "./support/demo";

/**
 * Payments through the pages: stored methods (/payment-methods) and one-time payments (/pay).
 * Only erin and carol are used here (other specs rely on alice, bob and dave). Amounts are
 * random cents per run, so a row in the billing history can be found by its amount.
 */
const YEAR = new Date().getUTCFullYear();
const VISA = "4111 1111 1111 1111";
const MASTERCARD = "5555 5555 5555 4444";
const DECLINE = "4000 0000 0000 0002";

function randomAmount(dollars: number): string {
  return `${dollars}.${String(10 + Math.floor(Math.random() * 89)).padStart(2, "0")}`;
}

/** "$78.35" / "-$3.00" → cents. */
function cents(text: string): number {
  const m = /(-?)\$([\d,]+)\.(\d{2})/.exec(text);
  if (!m) throw new Error(`no amount in ${JSON.stringify(text)}`);
  const v = Number(m[2]!.replace(/,/g, "")) * 100 + Number(m[3]);
  return m[1] ? -v : v;
}

async function loginErin(page: Page) {
  await loginByEmail(page, ERIN.email, ERIN.password);
  await expectLoggedIn(page, ERIN.name);
}

async function loginCarol(page: Page) {
  await page.goto("/login");
  await page.getByRole("tab", { name: "Phone" }).click();
  await page.getByLabel("Phone number").fill(CAROL.phone);
  await page.getByLabel("PIN").fill(CAROL.pin);
  await page.getByRole("button", { name: "Log in" }).click();
  await expectLoggedIn(page, CAROL.name);
}

async function balanceCents(page: Page): Promise<number> {
  await page.goto("/account");
  return cents(await page.getByTestId("balance").innerText());
}

/** Rows of the billing history (first page, newest first) showing this amount. */
async function historyRowsWithAmount(page: Page, amount: string): Promise<number> {
  await page.goto("/billing/history");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const re = new RegExp(`\\$${amount.replace(".", "\\.")}(?!\\d)`);
  return page.locator("main tr").filter({ hasText: re }).count();
}

async function expectNoFullNumber(page: Page, ...numbers: string[]) {
  const html = await page.content();
  for (const n of numbers) {
    expect(html).not.toContain(n);
    expect(html).not.toContain(n.replace(/\s/g, ""));
  }
}

async function addCard(page: Page, number: string, opts: { auto?: boolean; month?: string; year?: string } = {}) {
  await page.goto("/payment-methods");
  await page.getByRole("link", { name: "Add a card" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Add a card");
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Name on card").fill("Erin Tremblay");
  await page.getByLabel("Expiration month").selectOption(opts.month ?? "12");
  await page.getByLabel("Expiration year").selectOption(opts.year ?? String(YEAR + 2));
  await page.getByLabel("Security code (CVV)").fill("123");
  if (opts.auto) await page.getByLabel("Charge this card automatically for new invoices").check();
  await page.getByRole("button", { name: "Save card" }).click();
}

/** Deletes every stored method of the logged-in customer through the pages (confirmation included). */
async function deleteAllMethods(page: Page) {
  await page.goto("/payment-methods");
  for (let i = 0; i < 10 && (await page.getByTestId("payby").count()) > 0; i++) {
    await page.getByTestId("payby").first().getByRole("link", { name: /^Delete / }).click();
    await page.getByRole("button", { name: "Yes, delete it" }).click();
    await expect(page).toHaveURL(/done=deleted/);
  }
  await expect(page.getByText("No payment methods yet")).toBeVisible();
}

const methodItem = (page: Page, label: string) => page.getByTestId("payby").filter({ has: page.getByRole("heading", { name: label }) });

test.describe.configure({ mode: "serial" });

test.describe("stored payment methods and payments (erin)", () => {
  test.beforeEach(async ({ page }) => {
    await loginErin(page);
  });

  test("a card with a bad number: the Luhn error is next to the field and nothing is saved", async ({ page }) => {
    await page.goto("/payment-methods");
    const before = await page.getByTestId("payby").count();
    await addCard(page, "4111 1111 1111 1112");
    await expect(page.locator('[data-field="payinfo"] .field-error')).toHaveText(/Invalid credit card number/);
    await expect(page.getByLabel("Card number")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/payment-methods\/add-card$/);
    await page.goto("/payment-methods");
    await expect(page.getByTestId("payby")).toHaveCount(before);
  });

  test("add a card: shown masked, never the full number; make it first; edit its expiry", async ({ page }) => {
    await deleteAllMethods(page); // erin starts with none; a retry of this test starts clean too
    await addCard(page, MASTERCARD);
    await expect(page).toHaveURL(/\/payment-methods\?done=added$/);
    await addCard(page, VISA, { auto: true });
    await expect(page).toHaveURL(/\/payment-methods\?done=added$/);
    await expect(page.locator("#methods-notice")).toContainText("added");
    const visa = methodItem(page, "Visa ••••1111");
    await expect(visa).toHaveCount(1);
    await expect(visa).toContainText(`Expires 12/${YEAR + 2}`);
    await expect(visa).toContainText("Pays new invoices automatically");
    await expect(methodItem(page, "Mastercard ••••4444")).toContainText("Only when you pay with it");
    await expectNoFullNumber(page, VISA, MASTERCARD);

    // The Visa was added last: move it to first place.
    await expect(page.getByTestId("payby").first()).not.toContainText("Visa ••••1111");
    await visa.getByRole("button", { name: "Make this my first method: Visa ••••1111" }).click();
    await expect(page).toHaveURL(/done=first/);
    await expect(page.getByTestId("payby").first()).toContainText("Visa ••••1111");
    await expect(page.getByTestId("payby").first()).toContainText("Preselected when you pay");

    // Edit the expiry; the number is never shown, not even in the form.
    await methodItem(page, "Visa ••••1111").getByRole("link", { name: "Edit Visa ••••1111" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Edit Visa ••••1111");
    await expectNoFullNumber(page, VISA);
    await expect(page.getByLabel("Expiration month")).toHaveValue("12");
    await page.getByLabel("Expiration month").selectOption("6");
    await page.getByLabel("Expiration year").selectOption(String(YEAR + 3));
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(/done=updated/);
    await expect(methodItem(page, "Visa ••••1111")).toContainText(`Expires 06/${YEAR + 3}`);
  });

  test("pay part of the balance with the stored card: confirmation, receipt, history, balance", async ({ page }) => {
    const before = await balanceCents(page);
    await page.goto("/pay");
    await expectNoFullNumber(page, VISA, MASTERCARD);
    // The amount defaults to the balance; the first method is preselected.
    if (before > 0) await expect(page.getByLabel("Amount (USD)")).toHaveValue((before / 100).toFixed(2));
    await expect(page.getByLabel(/Visa ••••1111/)).toBeChecked();
    const amount = randomAmount(1);
    await page.getByLabel("Amount (USD)").fill(amount);
    await page.getByRole("button", { name: "Review payment" }).click();
    await expect(page.getByRole("heading", { name: `Pay $${amount} with Visa ••••1111?` })).toBeVisible();
    await page.getByRole("button", { name: `Pay $${amount}` }).click();

    await expect(page).toHaveURL(/\/pay\/receipt\/\d+$/);
    await expect(page.getByTestId("receipt-amount")).toHaveText(`$${amount}`);
    await expect(page.getByTestId("receipt")).toContainText("Visa ••••1111");
    await expect(page.getByTestId("receipt")).toContainText(/Authorization code/);
    await expect(page.getByTestId("receipt")).toContainText(/TEST-/);
    // Reloading the receipt shows it again; it never pays again.
    await page.reload();
    await expect(page.getByTestId("receipt-amount")).toHaveText(`$${amount}`);
    await page.getByRole("link", { name: "See your billing history" }).click();
    await expect(page).toHaveURL(/\/billing\/history$/);
    expect(await historyRowsWithAmount(page, amount)).toBe(1);
    expect(await balanceCents(page)).toBe(before - Math.round(Number(amount) * 100));
  });

  test("a declining card: a clear message, nothing charged, the form still filled but the CVV", async ({ page, context }) => {
    const before = await balanceCents(page);
    await page.goto("/pay");
    const amount = randomAmount(2);
    await page.getByLabel("Amount (USD)").fill(amount);
    await page.getByLabel("A new card").check();
    await page.getByLabel("Card number").fill(DECLINE);
    await page.getByLabel("Name on card").fill("Erin Tremblay");
    await page.getByLabel("Expiration month").selectOption("3");
    await page.getByLabel("Expiration year").selectOption(String(YEAR + 1));
    await page.getByLabel("Security code (CVV)").fill("321");
    await page.getByRole("button", { name: "Review payment" }).click();
    await expect(page.getByRole("heading", { name: `Pay $${amount} with Visa ••••0002?` })).toBeVisible();
    await page.getByRole("button", { name: `Pay $${amount}` }).click();

    const notice = page.locator("#pay-notice");
    await expect(notice).toContainText("Card declined");
    await expect(notice).toContainText("You were not charged");
    await expect(page).toHaveURL(/\/pay$/);
    await expect(page.getByLabel("Amount (USD)")).toHaveValue(amount);
    await expect(page.getByLabel("Card number")).toHaveValue(DECLINE);
    await expect(page.getByLabel("Name on card")).toHaveValue("Erin Tremblay");
    await expect(page.getByLabel("Security code (CVV)")).toHaveValue("");

    // Looked at in another tab, so this form stays as it is.
    const other = await context.newPage();
    expect(await historyRowsWithAmount(other, amount)).toBe(0);
    expect(await balanceCents(other)).toBe(before);
    await other.close();

    // The declined attempt is over: paying now with the stored card is a new payment, and it goes through.
    await page.getByLabel(/Visa ••••1111/).check();
    await page.getByRole("button", { name: "Review payment" }).click();
    await page.getByRole("button", { name: `Pay $${amount}` }).click();
    await expect(page).toHaveURL(/\/pay\/receipt\/\d+$/);
    await expect(page.getByTestId("receipt-amount")).toHaveText(`$${amount}`);
  });

  test("double-clicking Pay charges exactly once", async ({ page }) => {
    const before = await balanceCents(page);
    await page.goto("/pay");
    const amount = randomAmount(3);
    await page.getByLabel("Amount (USD)").fill(amount);
    await page.getByRole("button", { name: "Review payment" }).click();
    await page.getByRole("button", { name: `Pay $${amount}` }).dblclick();
    await expect(page).toHaveURL(/\/pay\/receipt\/\d+$/);
    expect(await historyRowsWithAmount(page, amount)).toBe(1);
    expect(await balanceCents(page)).toBe(before - Math.round(Number(amount) * 100));
  });

  test("add a bank account, then delete it after a confirmation", async ({ page }) => {
    await page.goto("/payment-methods");
    await page.getByRole("link", { name: "Add a bank account" }).click();
    await page.getByLabel("Account number").fill("000123456789");
    await page.getByLabel("Routing number").fill("11000000");
    await page.getByLabel("Name on the account").fill("Erin Tremblay");
    await page.getByRole("button", { name: "Save bank account" }).click();
    await expect(page.locator('[data-field="payinfo2"] .field-error')).toContainText("illegal ABA/routing number");
    await page.getByLabel("Routing number").fill("110000000");
    await page.getByLabel("Account type").selectOption("Personal checking");
    await page.getByLabel("Bank state").selectOption("WA");
    await page.getByRole("button", { name: "Save bank account" }).click();
    await expect(page).toHaveURL(/done=added/);
    const bank = methodItem(page, "Bank account ••89");
    await expect(bank).toContainText("Routing 110000000");
    await expect(bank).toContainText("Personal checking");
    await expectNoFullNumber(page, "000123456789");

    await bank.getByRole("link", { name: "Delete Bank account ••89" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Delete Bank account ••89?");
    // "No" keeps it.
    await page.getByRole("link", { name: "No, keep it" }).click();
    await expect(methodItem(page, "Bank account ••89")).toHaveCount(1);
    await methodItem(page, "Bank account ••89").getByRole("link", { name: "Delete Bank account ••89" }).click();
    await page.getByRole("button", { name: "Yes, delete it" }).click();
    await expect(page).toHaveURL(/done=deleted/);
    await expect(page.locator("#methods-notice")).toContainText("deleted");
    await expect(methodItem(page, "Bank account ••89")).toHaveCount(0);
  });

  test("clean up: erin's cards are deleted again", async ({ page }) => {
    await deleteAllMethods(page);
  });
});

test.describe("paying by bank account (carol)", () => {
  test("a new bank account, saved for automatic payments, then deleted", async ({ page }) => {
    await loginCarol(page);
    const before = await balanceCents(page);
    await page.goto("/pay");
    const amount = randomAmount(4);
    await page.getByLabel("Amount (USD)").fill(amount);
    await page.getByLabel("A new bank account (electronic check)").check();
    await page.getByLabel("Account number").fill("000123456789");
    await page.getByLabel("Routing number").fill("110000000");
    await page.getByLabel("Name on the account").fill("Carol Okafor");
    await page.getByLabel("Account type").selectOption("Personal savings");
    await page.getByLabel("Save this account for future payments").check();
    await page.getByLabel("Use it automatically for new invoices").check();
    await page.getByRole("button", { name: "Review payment" }).click();
    await expect(page.getByRole("heading", { name: `Pay $${amount} with Bank account ••89?` })).toBeVisible();
    await page.getByRole("button", { name: `Pay $${amount}` }).click();
    await expect(page).toHaveURL(/\/pay\/receipt\/\d+$/);
    await expect(page.getByTestId("receipt")).toContainText("Bank account ••89");
    expect(await balanceCents(page)).toBe(before - Math.round(Number(amount) * 100));

    await page.goto("/payment-methods");
    const bank = methodItem(page, "Bank account ••89");
    await expect(bank).toContainText("Pays new invoices automatically");
    await expectNoFullNumber(page, "000123456789");
    await bank.getByRole("link", { name: "Delete Bank account ••89" }).click();
    await page.getByRole("button", { name: "Yes, delete it" }).click();
    await expect(page).toHaveURL(/done=deleted/);
    await expect(methodItem(page, "Bank account ••89")).toHaveCount(0);
  });
});

test.describe("without a session", () => {
  async function fresh(browser: Browser) {
    const context = await browser.newContext();
    return { context, page: await context.newPage() };
  }

  test("/pay and /payment-methods send to the login page and back", async ({ browser }) => {
    const { context, page } = await fresh(browser);
    await page.goto("/pay");
    await expect(page).toHaveURL(/\/login\?next=%2Fpay$/);
    await page.goto("/payment-methods");
    await expect(page).toHaveURL(/\/login\?next=%2Fpayment-methods$/);
    await context.close();
  });
});

test.describe("paying the whole balance (alice; the billing spec, which reads her open invoices, runs before this one)", () => {
  test("the amount defaults to the balance; paying it leaves $0.00 and no open invoice", async ({ page }) => {
    await loginByEmail(page, ALICE.email, ALICE.password);
    await expectLoggedIn(page, ALICE.name);
    const before = await balanceCents(page);
    expect(before).toBeGreaterThan(0);
    await page.goto("/pay");
    const amount = (before / 100).toFixed(2);
    await expect(page.getByLabel("Amount (USD)")).toHaveValue(amount);
    await page.getByLabel("A new card").check();
    await page.getByLabel("Card number").fill(VISA);
    await page.getByLabel("Name on card").fill("Alice Nguyen");
    await page.getByLabel("Expiration month").selectOption("12");
    await page.getByLabel("Expiration year").selectOption(String(YEAR + 2));
    await page.getByLabel("Security code (CVV)").fill("123");
    await page.getByRole("button", { name: "Review payment" }).click();
    await page.getByRole("button", { name: `Pay $${amount}` }).click();
    await expect(page).toHaveURL(/\/pay\/receipt\/\d+$/);
    await expectNoFullNumber(page, VISA);
    expect(await balanceCents(page)).toBe(0);
    await expect(page.getByText("No open invoices.")).toBeVisible();
    await page.goto("/invoices");
    await expect(page.locator("main .badge").filter({ hasText: /Open|Overdue|Partial/ })).toHaveCount(0);
    await expect(page.locator("main .badge").filter({ hasText: "Paid" }).first()).toBeVisible();
  });
});
