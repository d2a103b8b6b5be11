import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ALICE, BOB, expectLoggedIn, loginByEmail } from "./support/demo";

/**
 * Invoices, the printable invoice and its PDF, and the billing history, on the demo seed's year
 * of billing (made by the billing engine). Read-only: alice is only looked at, bob only to find
 * one of his invoice numbers.
 */

/** "$1,234.50" / "-$3.00" / "−$3.00" → cents. */
function cents(text: string): number {
  const m = /([-−])?\s*\$([\d,]+)\.(\d{2})/.exec(text);
  if (!m) throw new Error(`no amount in ${JSON.stringify(text)}`);
  const value = Number(m[2]!.replace(/,/g, "")) * 100 + Number(m[3]);
  return m[1] ? -value : value;
}

async function loginAsAlice(page: Page) {
  await loginByEmail(page, ALICE.email, ALICE.password);
  await expectLoggedIn(page, ALICE.name);
}

async function loginAsBob(page: Page) {
  await page.goto("/login");
  await page.getByRole("tab", { name: "Username" }).click();
  await page.getByLabel("Username").fill(BOB.username);
  await page.getByLabel("Domain").fill(BOB.domain);
  await page.getByLabel("Password", { exact: true }).fill(BOB.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expectLoggedIn(page, BOB.name);
}

/** The invoice numbers linked from the list on the current page, in order. */
async function listedInvnums(page: Page): Promise<number[]> {
  const hrefs = await page.locator('main table a[href^="/invoices/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.map((h) => Number(h.split("/").pop()));
}

test.describe("alice's invoices", () => {
  test.beforeEach(async ({ page }) => {
    await loginAsAlice(page);
  });

  test("the account page shows her real balance: the sum of what her open invoices owe", async ({ page }) => {
    const balance = cents(await page.getByTestId("balance").innerText());
    expect(balance).toBeGreaterThan(0);
    const open = page.locator("#balance-heading ~ ul li");
    await expect(open.first()).toBeVisible();
    const owed = (await open.allInnerTexts()).map((t) => cents(t.split(":").pop()!));
    expect(owed.reduce((a, b) => a + b, 0)).toBe(balance);
    // The same balance on the invoice list.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invoices" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Invoices");
    expect(cents(await page.getByTestId("invoices-balance").innerText())).toBe(balance);
  });

  test("the list has statuses, newest first, and paginates", async ({ page }) => {
    await page.goto("/invoices");
    const table = page.getByRole("table");
    await expect(table.locator(".invoice-status", { hasText: "Paid" }).first()).toBeVisible();
    await expect(table.locator(".invoice-status", { hasText: /^(Open|Partly paid|Overdue)$/ }).first()).toBeVisible();
    const first = await listedInvnums(page);
    expect(first).toHaveLength(10);
    expect([...first].sort((a, b) => b - a)).toEqual(first);

    const pages = page.getByRole("navigation", { name: "Invoice pages" });
    await expect(pages.getByRole("link", { name: "Page 1" })).toHaveAttribute("aria-current", "page");
    await pages.getByRole("link", { name: /Next/ }).click();
    await expect(page).toHaveURL(/\/invoices\?page=2$/);
    await expect(pages.getByRole("link", { name: "Page 2" })).toHaveAttribute("aria-current", "page");
    const second = await listedInvnums(page);
    expect(second.length).toBeGreaterThan(0);
    expect(Math.max(...second)).toBeLessThan(Math.min(...first));

    // Bad page numbers never fail: not a number → the first page; past the end → an empty state.
    await page.goto("/invoices?page=abc");
    expect(await listedInvnums(page)).toEqual(first);
    const far = await page.goto("/invoices?page=9999");
    expect(far!.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "There is no page 9999" })).toBeVisible();
  });

  test("an invoice opens with its lines, periods and taxes, adds up, and prints", async ({ page }) => {
    await page.goto("/invoices");
    const invnum = (await listedInvnums(page))[0]!;
    await page.getByRole("link", { name: `Invoice #${invnum}`, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/invoices/${invnum}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Invoice #${invnum}`);

    const invoice = page.getByTestId("invoice");
    await expect(invoice).toContainText("Northwind Broadband");
    await expect(invoice).toContainText("500 Harbor Way");
    await expect(invoice.getByRole("heading", { name: "Bill to" })).toBeVisible();
    await expect(invoice).toContainText("Alice Nguyen");
    await expect(invoice).toContainText("1420 Lakeshore Ave");

    const lines = invoice.getByTestId("invoice-line");
    await expect(lines.first()).toBeVisible();
    await expect(lines.filter({ hasText: /DSL 50/ })).toHaveCount(1);
    await expect(lines.first()).toContainText(/\d{2}\/\d{2}\/\d{4} – \d{2}\/\d{2}\/\d{4}/);
    const taxes = invoice.getByTestId("invoice-tax");
    await expect(taxes.filter({ hasText: "CA sales tax" })).toHaveCount(1);

    const lineCents = (await lines.locator("td").allInnerTexts()).map(cents);
    const taxCents = (await taxes.locator("td").allInnerTexts()).map(cents);
    const total = cents(await invoice.getByTestId("invoice-total").innerText());
    expect([...lineCents, ...taxCents].reduce((a, b) => a + b, 0)).toBe(total);
    const applied = (await invoice.getByTestId("invoice-applied").locator("td").allInnerTexts()).map(cents);
    const due = cents(await invoice.getByTestId("invoice-amount-due").innerText());
    expect(total + applied.reduce((a, b) => a + b, 0)).toBe(due);
    if (due > 0) await expect(page.getByRole("link", { name: "Pay now" })).toHaveAttribute("href", "/pay");

    // Print: the button opens the print dialog; on paper only the invoice is left.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await page.getByRole("button", { name: "Print" }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
    await expect(invoice).toBeVisible();
    await page.emulateMedia({ media: "screen" });
  });

  test("the PDF link returns the invoice as a PDF with its number and total", async ({ page }) => {
    await page.goto("/invoices");
    const invnum = (await listedInvnums(page))[0]!;
    await page.goto(`/invoices/${invnum}`);
    const total = await page.getByTestId("invoice-total").innerText();
    const href = await page.getByRole("link", { name: "Download PDF" }).getAttribute("href");
    expect(href).toBe(`/invoices/${invnum}/pdf`);

    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/pdf");
    expect(res.headers()["content-disposition"]).toBe(`inline; filename="invoice-${invnum}.pdf"`);
    expect(res.headers()["cache-control"]).toContain("no-store");
    const body = await res.body();
    expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    // Its text (Debian's poppler-utils) has the invoice number, the ISP and the total.
    const dir = mkdtempSync(path.join(tmpdir(), "portico-pdf-"));
    try {
      const file = path.join(dir, "invoice.pdf");
      writeFileSync(file, body);
      const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
      expect(text).toContain(`#${invnum}`);
      expect(text).toContain("Northwind Broadband");
      expect(text).toContain(total.trim());
      expect(text).toContain("CA sales tax");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the billing history shows invoices, payments and a credit with a running balance", async ({ page }) => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing history" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Billing history");
    const table = page.getByRole("table");
    await expect(table.getByRole("row").filter({ hasText: "Payment by Credit card" }).first()).toBeVisible();
    await expect(table.getByRole("row").filter({ hasText: "Invoice #" }).first()).toBeVisible();
    // The newest row's running balance is the customer's balance.
    const balance = cents(await page.getByTestId("history-balance").innerText());
    const firstRow = table.locator("tbody tr").first();
    expect(cents(await firstRow.locator("td").last().innerText())).toBe(balance);
    // The outage credit is further back: look through the pages.
    const credit = page.getByRole("row").filter({ hasText: "Service outage credit" });
    for (let p = 2; p <= 5 && (await credit.count()) === 0; p++) await page.goto(`/billing/history?page=${p}`);
    await expect(credit).toHaveCount(1);
    await expect(credit).toContainText("−$15.00");
  });
});

test("another customer's invoice, a missing one and a non-numeric one are all the same not-found page", async ({ browser }) => {
  const bobPage = await browser.newPage();
  await loginAsBob(bobPage);
  await bobPage.goto("/invoices");
  const bobsInvnum = (await listedInvnums(bobPage))[0]!;
  expect(bobsInvnum).toBeGreaterThan(0);
  await bobPage.close();

  const page = await browser.newPage();
  await loginAsAlice(page);
  const seen: string[] = [];
  for (const path of [`/invoices/${bobsInvnum}`, "/invoices/2000000000", "/invoices/abc", "/invoices/12abc"]) {
    const res = await page.goto(path);
    expect(res!.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "We could not find that" })).toBeVisible();
    await expect(page.locator("main")).not.toContainText("Bob");
    seen.push(await page.locator("main").innerText());
  }
  expect(new Set(seen).size).toBe(1);

  for (const path of [`/invoices/${bobsInvnum}/pdf`, "/invoices/2000000000/pdf", "/invoices/abc/pdf"]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(404);
    expect(res.headers()["content-type"]).not.toContain("pdf");
  }
  await page.close();
});

test("without a session the invoice pages send you to log in, and back", async ({ page }) => {
  await page.goto("/invoices");
  await expect(page).toHaveURL(/\/login\?next=%2Finvoices$/);
  const pdf = await page.request.get("/invoices/1/pdf", { maxRedirects: 0 });
  expect([303, 307]).toContain(pdf.status());
  expect(pdf.headers()["location"]).toMatch(/\/login\?next=%2Finvoices%2F1%2Fpdf$/);
  await page.goto("/billing/history");
  await expect(page).toHaveURL(/\/login\?next=%2Fbilling%2Fhistory$/);
  await loginByEmail(page, ALICE.email, ALICE.password, "/billing/history");
  await expect(page).toHaveURL(/\/billing\/history$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Billing history");
});
