import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, orderTestPackage, type CustomerFixture, type World } from "../support/fixtures";
import { billCustomer } from "../../lib/billing/bill-customer";
import { getBalanceCents, getNextBillDate } from "../../lib/billing/balance";
import { recordCredit, recordPayment, recordRefund } from "../../lib/billing/record-payment";
import { listInvoices } from "../../lib/billing/list-invoices";
import { listPayments } from "../../lib/billing/list-payments";
import { billingHistory } from "../../lib/billing/billing-history";
import { getInvoice, renderInvoiceHtml, renderInvoiceText } from "../../lib/billing/invoice";
import { renderInvoicePdf } from "../../lib/billing/invoice-pdf";
import { getCustomerInfo } from "../../lib/customers/customer-info";
import { queryRows } from "../../lib/db/rows";
import { isAppError } from "../../lib/errors";

let t: TestDb;
let world: World;

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
});
after(() => t.drop());

const D = (iso: string) => new Date(iso);

/** A customer with DSL from Jan 1, billed monthly through `months` runs: invoices of 98.07 then 44.04. */
async function billedCustomer(months: number, overrides: Parameters<typeof createTestCustomer>[2] = {}): Promise<{ c: CustomerFixture; invnums: number[] }> {
  const c = await createTestCustomer(t.db, world, overrides);
  await orderTestPackage(t.db, c.custnum, world.pkgparts.dslMonthly, { orderDate: D("2026-01-01T00:00:00Z") });
  const invnums: number[] = [];
  for (let m = 0; m < months; m++) {
    const r = await billCustomer(t.db, c.custnum, { asOf: new Date(Date.UTC(2026, m, 1, 6)) });
    invnums.push(r.invnum!);
  }
  return { c, invnums };
}

async function owed(invnum: number): Promise<number> {
  const [r] = await queryRows<{ owed: number }>(t.db, sql`SELECT (owed * 100)::int AS owed FROM cust_bill WHERE invnum = ${invnum}`);
  return Number(r!.owed);
}

async function notFound(p: Promise<unknown>) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAppError(e), String(e));
    assert.equal(e.code, "NOT_FOUND");
    assert.equal(e.message, "Can't find invnum");
    return true;
  });
}

describe("payments and credits applied to invoices", () => {
  test("oldest invoice first; an over-payment leaves a credit balance", async () => {
    const { c, invnums } = await billedCustomer(3); // 98.07, 44.04, 44.04
    assert.equal(await getBalanceCents(t.db, c.custnum), 9807 + 4404 + 4404);

    await t.db.transaction((tx) => recordPayment(tx, { custnum: c.custnum, paidCents: 12000, payby: "CASH", date: D("2026-03-05T00:00:00Z") }));
    assert.deepEqual(await Promise.all(invnums.map(owed)), [0, 4404 - (12000 - 9807), 4404]);

    await t.db.transaction((tx) => recordCredit(tx, { custnum: c.custnum, amountCents: 500, reason: "Outage", date: D("2026-03-06T00:00:00Z") }));
    assert.deepEqual(await Promise.all(invnums.map(owed)), [0, 4404 - 2193 - 500, 4404]);

    await t.db.transaction((tx) => recordPayment(tx, { custnum: c.custnum, paidCents: 10000, payby: "CHEK", date: D("2026-03-07T00:00:00Z") }));
    assert.deepEqual(await Promise.all(invnums.map(owed)), [0, 0, 0]);
    const balance = 9807 + 4404 + 4404 - 12000 - 500 - 10000;
    assert.equal(balance, -3885);
    assert.equal(await getBalanceCents(t.db, c.custnum), balance, "credit balance");

    // The unapplied rest pays the next invoice as soon as it is billed.
    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-04-01T06:00:00Z") });
    assert.equal(await owed(r.invnum!), 4404 - 3885);
    const apps = await queryRows<{ invnum: number; amount: number }>(
      t.db,
      sql`SELECT invnum, (amount * 100)::int AS amount FROM cust_bill_pay WHERE invnum = ${r.invnum}`,
    );
    assert.equal(apps.reduce((s, a) => s + Number(a.amount), 0), 3885);
  });

  test("balance = invoices − payments − credits + refunds, also in customer_info", async () => {
    const { c } = await billedCustomer(2);
    await t.db.transaction(async (tx) => {
      await recordPayment(tx, { custnum: c.custnum, paidCents: 20000, payby: "CASH" });
      await recordCredit(tx, { custnum: c.custnum, amountCents: 1000 });
      await recordRefund(tx, { custnum: c.custnum, refundCents: 2500, payby: "CASH" });
    });
    const expected = 9807 + 4404 - 20000 - 1000 + 2500;
    assert.equal(await getBalanceCents(t.db, c.custnum), expected);
    const info = await getCustomerInfo(t.db, c.custnum);
    assert.equal(info.balanceCents, expected);
    assert.deepEqual(info.openInvoices, []);
  });

  test("next bill date is the earliest bill of active recurring packages", async () => {
    const { c } = await billedCustomer(1);
    assert.equal((await getNextBillDate(t.db, c.custnum))?.toISOString(), "2026-02-01T00:00:00.000Z");
    const other = await createTestCustomer(t.db, world);
    assert.equal(await getNextBillDate(t.db, other.custnum), null);
  });
});

describe("listInvoices", () => {
  test("newest first, paginated on the database, with totals, owed, status and running owed", async () => {
    const { c, invnums } = await billedCustomer(5);
    const { c: other } = await billedCustomer(2);
    await t.db.transaction((tx) => recordPayment(tx, { custnum: c.custnum, paidCents: 9807 + 1000, payby: "CASH", date: D("2026-05-02T00:00:00Z") }));

    const now = D("2026-05-10T00:00:00Z");
    const p1 = await listInvoices(t.db, { custnum: c.custnum, page: 1, pageSize: 2, now });
    assert.equal(p1.total, 5);
    assert.equal(p1.pageCount, 3);
    assert.deepEqual(
      p1.invoices.map((i) => i.invnum),
      [invnums[4], invnums[3]],
    );
    assert.equal(p1.invoices[0]!.chargedCents, 4404);
    assert.equal(p1.invoices[0]!.status, "open");
    assert.equal(p1.invoices[0]!.runningOwedCents, 4404 * 4 - 1000, "sum of owed up to and including it");
    assert.equal(p1.balanceCents, await getBalanceCents(t.db, c.custnum), "the balance comes with the page");
    assert.equal(p1.balanceCents, 4404 * 4 - 1000);
    const pastEnd = await listInvoices(t.db, { custnum: c.custnum, page: 9, pageSize: 2, now });
    assert.deepEqual([pastEnd.invoices.length, pastEnd.total, pastEnd.balanceCents], [0, 5, p1.balanceCents]);
    // No invoices at all, but a credit: the balance is still read.
    const fresh = await createTestCustomer(t.db, world);
    await t.db.transaction((tx) => recordCredit(tx, { custnum: fresh.custnum, amountCents: 250, reason: "Welcome", date: now }));
    const none = await listInvoices(t.db, { custnum: fresh.custnum, now });
    assert.deepEqual([none.invoices.length, none.total, none.balanceCents], [0, 0, -250]);

    const p3 = await listInvoices(t.db, { custnum: c.custnum, page: 3, pageSize: 2, now });
    assert.deepEqual(
      p3.invoices.map((i) => i.invnum),
      [invnums[0]],
    );
    const first = p3.invoices[0]!;
    assert.equal(first.status, "paid");
    assert.equal(first.owedCents, 0);
    assert.equal(first.lastPaymentDate?.toISOString(), "2026-05-02T00:00:00.000Z");
    assert.equal(first.previousBalanceCents, 0);

    const p2 = await listInvoices(t.db, { custnum: c.custnum, page: 2, pageSize: 2, now });
    assert.deepEqual(
      p2.invoices.map((i) => [i.invnum, i.status, i.owedCents]),
      [
        [invnums[2], "overdue", 4404], // Mar 1 + 30 days < May 10
        [invnums[1], "overdue", 3404], // part paid, but past due
      ],
    );
    assert.equal(p2.invoices[1]!.previousBalanceCents, 9807);

    const past = await listInvoices(t.db, { custnum: c.custnum, page: 9, pageSize: 2 });
    assert.deepEqual(past.invoices, []);
    assert.equal(past.total, 5);

    // The other customer sees only their own two.
    const theirs = await listInvoices(t.db, { custnum: other.custnum });
    assert.equal(theirs.total, 2);
    assert.ok(theirs.invoices.every((i) => !invnums.includes(i.invnum)));
  });

  test("partly paid and not yet due is 'partial'; clamps silly page sizes", async () => {
    const { c } = await billedCustomer(1);
    await t.db.transaction((tx) => recordPayment(tx, { custnum: c.custnum, paidCents: 100, payby: "CASH" }));
    const page = await listInvoices(t.db, { custnum: c.custnum, page: 0, pageSize: 10_000, now: D("2026-01-05T00:00:00Z") });
    assert.equal(page.page, 1);
    assert.equal(page.pageSize, 100);
    assert.equal(page.invoices[0]!.status, "partial");
  });
});

describe("getInvoice and its renderings", () => {
  test("ISP, bill-to, lines with periods, taxes, payments applied, amount due — in text, HTML and PDF", async () => {
    const { c, invnums } = await billedCustomer(2, { company: "Smith & <Sons>" });
    await t.db.transaction((tx) => recordPayment(tx, { custnum: c.custnum, paidCents: 5000, payby: "CASH", paymask: "cheque 42", date: D("2026-01-10T00:00:00Z") }));
    const inv = await getInvoice(t.db, { custnum: c.custnum, invnum: invnums[0]!, now: D("2026-01-11T00:00:00Z") });

    assert.equal(inv.isp.name, "Test ISP");
    assert.deepEqual(inv.isp.address, ["1 Test Way", "Testville, CA 94000"]);
    assert.equal(inv.billTo.company, "Smith & <Sons>");
    assert.ok(inv.billTo.address.some((a) => a.includes("Oakland")));
    assert.deepEqual(
      inv.lines.map((l) => [l.kind, l.description, l.amountCents, l.sdate?.toISOString() ?? null]),
      [
        ["setup", "DSL 25 setup", 4900, null],
        ["recur", "DSL 25", 3995, "2026-01-01T00:00:00.000Z"],
      ],
    );
    assert.deepEqual(inv.taxes, [{ name: "CA sales tax", amountCents: 912 }]);
    assert.equal(inv.subtotalCents + inv.taxCents, inv.totalCents);
    assert.equal(inv.totalCents, 9807);
    assert.deepEqual(
      inv.applied.map((a) => [a.kind, a.amountCents]),
      [["payment", 5000]],
    );
    assert.equal(inv.amountDueCents, 4807);
    assert.equal(inv.status, "partial");

    const text = renderInvoiceText(inv);
    assert.match(text, new RegExp(`Invoice #${inv.invnum}`));
    assert.match(text, /Test ISP\n1 Test Way\nTestville, CA 94000/);
    assert.match(text, /DSL 25 \(01\/01\/2026 - 02\/01\/2026\)\s+\$39\.95/);
    assert.match(text, /DSL 25 setup\s+\$49\.00/);
    assert.match(text, /CA sales tax\s+\$9\.12/);
    assert.match(text, /Total\s+\$98\.07/);
    assert.match(text, /Payment #\d+ \(Cash cheque 42\), 01\/10\/2026\s+-\$50\.00/);
    assert.match(text, /Amount due\s+\$48\.07/);

    const html = renderInvoiceHtml(inv);
    assert.ok(html.startsWith('<article class="portico-invoice"'));
    assert.ok(html.includes("Smith &amp; &lt;Sons&gt;"), "escaped");
    assert.ok(!html.includes("<Sons>"));
    assert.ok(html.includes("@media print"));
    for (const s of [`#${inv.invnum}`, "Test ISP", "1 Test Way", "DSL 25 setup", "01/01/2026 - 02/01/2026", "CA sales tax", "$9.12", "$98.07", "-$50.00", "$48.07"]) {
      assert.ok(html.includes(s), `HTML has ${s}`);
    }

    const pdf = await renderInvoicePdf(inv);
    assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
    assert.ok(pdf.length > 1000);
    if (existsSync("/usr/bin/pdftotext")) {
      const out = execFileSync("/usr/bin/pdftotext", ["-layout", "-", "-"], { input: pdf }).toString("utf8");
      for (const s of [`#${inv.invnum}`, "Test ISP", "1 Test Way", "Bill to", "Smith & <Sons>", "DSL 25 setup", "01/01/2026 - 02/01/2026", "CA sales tax", "$98.07", "-$50.00", "$48.07"]) {
        assert.ok(out.includes(s), `PDF text has ${s}:\n${out}`);
      }
    }
  });

  test("another customer's invoice is not found, exactly like a missing one", async () => {
    const { invnums } = await billedCustomer(1);
    const stranger = await createTestCustomer(t.db, world);
    await notFound(getInvoice(t.db, { custnum: stranger.custnum, invnum: invnums[0]! }));
    await notFound(getInvoice(t.db, { custnum: stranger.custnum, invnum: 2_000_000_000 }));
    await notFound(getInvoice(t.db, { custnum: stranger.custnum, invnum: -1 }));
  });

  test("quantity and one-time lines; text outside WinAnsi does not break the PDF", async () => {
    const c = await createTestCustomer(t.db, world, { first: "Zoë", last: "Łukasz 漢字" });
    await orderTestPackage(t.db, c.custnum, world.pkgparts.hosting, { orderDate: D("2026-01-01T00:00:00Z"), quantity: 2 });
    await orderTestPackage(t.db, c.custnum, world.pkgparts.install, { orderDate: D("2026-01-01T00:00:00Z") });
    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-01-01T00:00:00Z") });
    const inv = await getInvoice(t.db, { custnum: c.custnum, invnum: r.invnum! });
    assert.deepEqual(
      inv.lines.map((l) => [l.kind, l.quantity, l.unitCents, l.amountCents]),
      [
        ["recur", 2, 995, 1990],
        ["onetime", 1, 9900, 9900],
      ],
    );
    assert.match(renderInvoiceText(inv), /2 x \$9\.95/);
    const pdf = await renderInvoicePdf(inv);
    assert.equal(pdf.subarray(0, 4).toString("latin1"), "%PDF");
    if (existsSync("/usr/bin/pdftotext")) {
      const out = execFileSync("/usr/bin/pdftotext", ["-", "-"], { input: pdf }).toString("utf8");
      assert.ok(out.includes("Zoë"), out);
      assert.ok(out.includes(`$${(inv.totalCents / 100).toFixed(2)}`), out);
    }
  });
});

describe("billingHistory and listPayments", () => {
  test("invoices, payments, credits and refunds, newest first, with a running balance", async () => {
    const { c, invnums } = await billedCustomer(2); // Jan 1 98.07, Feb 1 44.04
    await t.db.transaction(async (tx) => {
      await recordPayment(tx, { custnum: c.custnum, paidCents: 9807, payby: "CARD", paymask: "************1111", date: D("2026-01-05T00:00:00Z") });
      await recordCredit(tx, { custnum: c.custnum, amountCents: 404, reason: "Outage", date: D("2026-02-03T00:00:00Z") });
      await recordRefund(tx, { custnum: c.custnum, refundCents: 100, payby: "CASH", reason: "Goodwill", date: D("2026-02-04T00:00:00Z") });
    });
    const h = await billingHistory(t.db, { custnum: c.custnum });
    assert.deepEqual(
      h.rows.map((r) => [r.type, r.amountCents, r.balanceCents]),
      [
        ["Refund", 100, 4100],
        ["Credit", -404, 4000],
        ["Invoice", 4404, 4404],
        ["Payment", -9807, 0],
        ["Invoice", 9807, 9807],
      ],
    );
    assert.equal(h.rows[4]!.description, `Invoice #${invnums[0]}`);
    assert.equal(h.rows[3]!.description, "Payment by Credit card ************1111");
    assert.equal(h.rows[1]!.description, "Credit (Outage)");
    assert.equal(h.balanceCents, 4100);
    assert.equal(h.total, 5);

    const page2 = await billingHistory(t.db, { custnum: c.custnum, page: 2, pageSize: 2 });
    assert.deepEqual(
      page2.rows.map((r) => [r.type, r.balanceCents]),
      [
        ["Invoice", 4404],
        ["Payment", 0],
      ],
    );

    const pays = await listPayments(t.db, { custnum: c.custnum });
    assert.equal(pays.total, 1);
    assert.deepEqual(
      pays.payments.map((p) => [p.paidCents, p.payby, p.paymask, p.unappliedCents]),
      [[9807, "CARD", "************1111", 0]],
    );

    const stranger = await createTestCustomer(t.db, world);
    assert.equal((await billingHistory(t.db, { custnum: stranger.custnum })).total, 0);
    assert.equal((await listPayments(t.db, { custnum: stranger.custnum })).total, 0);
  });
});
