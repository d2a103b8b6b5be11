import { createServer, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import { expect, test, type FrameLocator, type Locator, type Page } from "@playwright/test";
import postgres from "postgres";

/**
 * Signing up as a person: /signup (logged in on /account at the end), a decline that leaves no
 * trace, field errors in place, dial-up with the access-number cascade and a prepaid card, and
 * the embedded signup inside an iframe on a host page served from another origin (listed: the
 * signup completes and the host hears of it; not listed: the browser refuses the frame).
 *
 * Uses only customers it creates (unique e-mails and usernames per run); the demo's prepaid PIN
 * NWB-DEMO-5000 is used up by the dial-up test. The host page's origin http://localhost:3187 is in
 * the demo agents' embed_origins (db/seed/demo-data.ts).
 */
const RUN = randomBytes(3).toString("hex");
const PASSWORD = "Signup-e2e-2026";
const YEAR = String(new Date().getUTCFullYear() + 3);
const HOST_PORT = 3187;
const DB_URL = process.env.PORTICO_E2E_DATABASE_URL;
let seq = 0;

function newPerson() {
  seq += 1;
  return { first: "Pat", last: `Signup${RUN}${seq}`, email: `pat.${RUN}.${seq}@example.com`, username: `pat${RUN}${seq}` };
}
type Person = ReturnType<typeof newPerson>;
type Scope = Page | FrameLocator;

/**
 * Chooses a radio the way a person does: click, then see it chosen. (The signup's radios are
 * controlled by the form's state; on a loaded machine React can re-render a moment after the
 * click, which Playwright's check() — it reads the state right after clicking — takes for a
 * click that did nothing: "Clicking the checkbox did not change its state".)
 */
async function choose(radio: Locator) {
  await radio.click();
  await expect(radio).toBeChecked();
}

async function choosePlan(s: Scope, plan: string) {
  // The form is interactive once hydrated (before that a click could be undone).
  await expect(s.locator("form[data-ready=true]")).toHaveCount(1);
  await choose(s.getByRole("radio", { name: plan, exact: true }));
  await s.getByRole("button", { name: "Continue" }).click();
}

async function choosePayment(s: Scope, label: string) {
  await choose(s.getByLabel(label, { exact: true }));
}

async function fillDetails(s: Scope, p: Person) {
  await s.getByLabel("First name").fill(p.first);
  await s.getByLabel("Last name").fill(p.last);
  await s.getByLabel("E-mail address").fill(p.email);
  await s.getByLabel(/^Address/).fill("500 Harbor Way");
  await s.getByLabel("City").fill("Oakland");
  await s.getByLabel("Country").selectOption("US");
  await s.getByLabel("State").selectOption("CA");
  await s.getByLabel("County").selectOption("Alameda");
  await s.getByLabel("ZIP code").fill("94607");
  await s.getByRole("button", { name: "Continue" }).click();
}

async function fillLogin(s: Scope, p: Person) {
  await s.getByLabel("Username").fill(p.username);
  await s.getByLabel(/^Password/).fill(PASSWORD);
  await s.getByLabel("Confirm password").fill(PASSWORD);
  await s.getByRole("button", { name: "Continue" }).click();
}

async function fillCard(s: Scope, number: string, name = "Pat Signup") {
  await choosePayment(s, "Credit card");
  await s.getByLabel("Card number").fill(number);
  await s.getByLabel("Expiration month").selectOption("7");
  await s.getByLabel("Expiration year").selectOption(YEAR);
  await s.getByLabel("Security code (CVV)").fill("123");
  await s.getByLabel("Name on card").fill(name);
  await s.getByRole("button", { name: "Continue" }).click();
}

/** Rows that would exist had a signup left anything behind. */
async function traces(p: Person): Promise<number | null> {
  if (!DB_URL) return null;
  const sql = postgres(DB_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: number }[]>`
      SELECT (SELECT count(*) FROM cust_main WHERE last = ${p.last})
           + (SELECT count(*) FROM contact_email WHERE lower(emailaddress) = ${p.email})
           + (SELECT count(*) FROM svc_acct WHERE username = ${p.username})
           + (SELECT count(*) FROM cust_main_invoice WHERE lower(dest) = ${p.email}) AS n`;
    return Number(row!.n);
  } finally {
    await sql.end();
  }
}

test.describe("signup on /signup", () => {
  test("a new customer signs up with a card and lands logged in on their account", async ({ page }) => {
    const p = newPerson();
    await page.goto("/signup");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Sign up with Northwind Broadband");
    await choosePlan(page, "DSL 25");
    await fillDetails(page, p);
    await fillLogin(page, p);
    await fillCard(page, "4111 1111 1111 1111");
    await expect(page.getByRole("heading", { name: "Review and sign up" })).toBeVisible();
    // 49.00 setup + 39.95 first month + 10.25 % Alameda County tax (9.12) = 98.07
    await expect(page.locator("#signup-quote")).toContainText("$98.07");
    await expect(page.getByText(`${p.username}@northwind.example`)).toBeVisible();
    await page.getByRole("button", { name: "Sign up and pay $98.07" }).click();
    await expect(page).toHaveURL(/\/account$/, { timeout: 20_000 });
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`${p.first} ${p.last}`);
    await expect(page.getByRole("table").first()).toContainText("DSL 25");
    await expect(page.getByRole("table").first()).toContainText(p.username);
  });

  test("a declined card shows the decline, keeps what was typed but the card number, creates nothing; then the same e-mail signs up", async ({ page }) => {
    const p = newPerson();
    await page.goto("/signup");
    await choosePlan(page, "Fibre 300");
    await fillDetails(page, p);
    await fillLogin(page, p);
    await fillCard(page, "4000 0000 0000 0002", "Pat Declined");
    await page.getByRole("button", { name: /^Sign up and pay/ }).click();
    const notice = page.locator("#signup-notice");
    await expect(notice).toContainText("Your payment was declined (Card declined)");
    await expect(notice).toContainText("no account was created");
    await expect(page.getByRole("heading", { name: "How would you like to pay?" })).toBeVisible();
    await expect(page.getByLabel("Card number")).toHaveValue("");
    await expect(page.getByLabel("Security code (CVV)")).toHaveValue("");
    await expect(page.getByLabel("Name on card")).toHaveValue("Pat Declined");
    await expect(page.getByLabel("Expiration year")).toHaveValue(YEAR);
    const left = await traces(p);
    if (left !== null) expect(left).toBe(0);

    await page.getByLabel("Card number").fill("4242424242424242");
    await page.getByLabel("Security code (CVV)").fill("321");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText(`${p.first} ${p.last}`)).toBeVisible();
    await page.getByRole("button", { name: /^Sign up and pay/ }).click();
    await expect(page).toHaveURL(/\/account$/, { timeout: 20_000 });
    await expect(page.getByRole("table").first()).toContainText("Fibre 300");
  });

  test("field errors appear next to their fields, and a taken username is caught before submitting", async ({ page }) => {
    const p = newPerson();
    await page.goto("/signup");
    await expect(page.locator("form[data-ready=true]")).toHaveCount(1);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator("#pkgpart-error")).toHaveText(/Please select a package/);
    await choosePlan(page, "DSL 25");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator('[data-field="first"] .field-error')).toHaveText(/First name is required/);
    await expect(page.locator('[data-field="invoicing_list"] .field-error')).toHaveText(/Enter your e-mail address/);
    await expect(page.locator('[data-field="address1"] .field-error')).toHaveText(/Address is required/);
    await expect(page.getByLabel("First name")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("ZIP code").fill("9460");
    await page.getByLabel("ZIP code").blur();
    await expect(page.locator('[data-field="zip"] .field-error')).toContainText(/not valid/);
    await fillDetails(page, p);

    await page.getByLabel("Username").fill("bob");
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill("Something-else-1");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator('[data-field="_password2"] .field-error')).toHaveText(/Passwords don't match/);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator("#username-error")).toHaveText(/already taken/);
    await page.getByLabel("Username").fill("root");
    await page.getByLabel("Username").blur();
    await expect(page.locator("#username-error")).toHaveText(/reserved/);
    await page.getByLabel("Username").fill(p.username);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: "How would you like to pay?" })).toBeVisible();
    await page.getByLabel("Card number").fill("4111 1111 1111 1112");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator('[data-field="payinfo"] .field-error')).toHaveText(/Invalid credit card number/);
    const left = await traces(p);
    if (left !== null) expect(left).toBe(0);
  });

  test("a new customer signs up with a bank account and lands logged in", async ({ page }) => {
    const p = newPerson();
    await page.goto("/signup");
    await choosePlan(page, "DSL 25");
    await fillDetails(page, p);
    await fillLogin(page, p);
    await choosePayment(page, "Bank account (electronic check)");
    await page.getByLabel("Account number").fill("000123456789");
    await page.getByLabel("Routing number").fill("110000000");
    await page.getByLabel("Account type").selectOption("Personal checking");
    await page.getByLabel("Account holder").fill("Pat Signup");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: "Review and sign up" })).toBeVisible();
    await page.getByRole("button", { name: /^Sign up and pay/ }).click();
    await expect(page).toHaveURL(/\/account$/, { timeout: 20_000 });
    await expect(page.getByRole("table").first()).toContainText("DSL 25");
    await page.goto("/payment-methods");
    await expect(page.locator("main")).not.toContainText("000123456789");
  });

  test("dial-up: the access number cascades state → area code → number; a prepaid card pays", async ({ page }) => {
    const p = newPerson();
    await page.goto("/signup");
    await choosePlan(page, "Dial-up 56k");
    await fillDetails(page, p);
    const group = page.getByRole("group", { name: "Dial-up access number" });
    await expect(group.getByLabel("Area code")).toBeDisabled();
    await group.getByLabel("State").selectOption("WA");
    await expect(group.getByLabel("Area code").locator("option")).toHaveText(["Choose an area code", "206", "253", "509"]);
    await group.getByLabel("Area code").selectOption("206");
    await expect(group.getByLabel("Access number").locator("option")).toHaveText(["Choose an access number", "Seattle, WA (206)/555-0145"]);
    await page.getByLabel("Username").fill(p.username);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator('[data-field="popnum"] .field-error')).toHaveText(/Select an access number/);
    await group.getByLabel("Access number").selectOption({ label: "Seattle, WA (206)/555-0145" });
    await page.getByRole("button", { name: "Continue" }).click();
    await choosePayment(page, "Prepaid card");
    await page.getByLabel("Prepaid card PIN").fill("nwb-demo-5000");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText("Seattle, WA (206)/555-0145")).toBeVisible();
    await page.getByRole("button", { name: "Sign up", exact: true }).click();
    await expect(page).toHaveURL(/\/account$/, { timeout: 20_000 });
    await expect(page.getByRole("table").first()).toContainText("Dial-up 56k");
  });
});

test.describe("the embedded signup", () => {
  let server: Server;

  test.beforeAll(async ({ baseURL }) => {
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Northwind Broadband — plans</title></head>
<body><h1>Get connected</h1><p id="done">waiting</p>
<script>window.signups=[];window.addEventListener("portico:signup-complete",function(e){window.signups.push(e.detail);document.getElementById("done").textContent="signed up: customer "+e.detail.custnum;});</script>
<script src="${baseURL}/embed.js" data-agent="northwind-direct" async></script>
</body></html>`;
    server = createServer((req, res) => {
      res.writeHead(req.url === "/" || req.url === "/host.html" ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
      res.end(req.url === "/" || req.url === "/host.html" ? html : "not found");
    });
    // Every address (IPv4 and IPv6), so both http://localhost and http://127.0.0.1 reach it.
    await new Promise<void>((resolve) => server.listen(HOST_PORT, resolve));
  });
  test.afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test("on a listed origin: the signup completes inside the cross-origin iframe and the host page hears of it", async ({ page, context, baseURL }) => {
    const p = newPerson();
    await page.goto(`http://localhost:${HOST_PORT}/host.html`);
    const iframe = page.locator("iframe[data-portico-embed]");
    await expect(iframe).toHaveAttribute("src", `${baseURL}/embed/signup?agent=northwind-direct&parent=${encodeURIComponent(`http://localhost:${HOST_PORT}`)}`);
    const frame = page.frameLocator("iframe[data-portico-embed]");
    await expect(frame.getByRole("heading", { level: 1 })).toHaveText("Sign up with Northwind Broadband");
    // The iframe is sized to its content by postMessage.
    await expect.poll(async () => iframe.evaluate((el) => (el as HTMLIFrameElement).style.height)).not.toBe("720px");

    await choosePlan(frame, "Fibre 300");
    await fillDetails(frame, p);
    await fillLogin(frame, p);
    await fillCard(frame, "5555 5555 5555 4444");
    await frame.getByRole("button", { name: /^Sign up and pay/ }).click();
    await expect(frame.getByRole("heading", { name: `Welcome aboard, ${p.first}!` })).toBeVisible({ timeout: 20_000 });
    const custnum = await frame.getByTestId("custnum").textContent();
    await expect(page.locator("#done")).toHaveText(`signed up: customer ${custnum}`);
    expect(await page.evaluate(() => (window as unknown as { signups: unknown[] }).signups)).toEqual([{ custnum: Number(custnum), agent: "northwind-direct" }]);
    await expect(frame.locator("#signup-portal-link")).toHaveAttribute("href", /\/login$/);
    // The flow set no cookie for the portal (it works with third-party cookies blocked).
    expect(await context.cookies(baseURL)).toEqual([]);
  });

  test("through the iframe with a prepaid card PIN", async ({ page }) => {
    const p = newPerson();
    await page.goto(`http://localhost:${HOST_PORT}/host.html`);
    const frame = page.frameLocator("iframe[data-portico-embed]");
    await choosePlan(frame, "DSL 25");
    await fillDetails(frame, p);
    await fillLogin(frame, p);
    await choosePayment(frame, "Prepaid card");
    await frame.getByLabel("Prepaid card PIN").fill("NWB-DEMO-2500");
    await frame.getByRole("button", { name: "Continue" }).click();
    await frame.getByRole("button", { name: /^Sign up/ }).click();
    await expect(frame.getByRole("heading", { name: `Welcome aboard, ${p.first}!` })).toBeVisible({ timeout: 20_000 });
    const custnum = await frame.getByTestId("custnum").textContent();
    await expect(page.locator("#done")).toHaveText(`signed up: customer ${custnum}`);
  });

  test("on an origin the agent did not list: the browser refuses to frame the signup", async ({ page }) => {
    const refusals: string[] = [];
    page.on("console", (m) => {
      if (/frame-ancestors|Refused to frame/i.test(m.text())) refusals.push(m.text());
    });
    await page.goto(`http://127.0.0.1:${HOST_PORT}/host.html`);
    await expect(page.locator("iframe[data-portico-embed]")).toHaveCount(1);
    await expect.poll(() => refusals.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(refusals.join("\n")).toContain("frame-ancestors");
    // Nothing from the signup form reached the page: the iframe kept its initial height.
    await expect(page.locator("iframe[data-portico-embed]")).toHaveAttribute("style", /height: 720px/);
  });
});

test.describe("who may frame what", () => {
  test("the CSP lists the agent's origins on /embed/signup and is 'none' elsewhere", async ({ request }) => {
    const embed = await request.get("/embed/signup?agent=northwind-direct");
    expect(embed.status()).toBe(200);
    const csp = embed.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/^frame-ancestors [^;]*http:\/\/localhost:3187/);
    expect(csp.split(";")[0]).not.toContain("'none'");
    expect(embed.headers()["x-frame-options"]).toBeUndefined();
    expect(embed.headers()["set-cookie"]).toBeUndefined();
    for (const path of ["/embed/signup", "/embed/signup?agent=no-such-agent", "/signup", "/login"]) {
      const r = await request.get(path);
      expect(r.headers()["content-security-policy"], path).toMatch(/^frame-ancestors 'none'/);
    }
    expect((await request.get("/signup")).headers()["x-frame-options"]).toBe("DENY");
    expect((await request.get("/embed/signup?agent=no-such-agent")).status()).toBe(404);
  });
});
