import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, orderTestPackage, TEST_PASSWORD, type CustomerFixture, type World } from "../support/fixtures";
import { jsonRpc, pyXmlRpc, startRpcServer, type RpcServer } from "../support/rpc-server";
import { billCustomer } from "../../lib/billing/bill-customer";
import { recordCredit, recordPayment } from "../../lib/billing/record-payment";

let t: TestDb;
let srv: RpcServer;
let world: World;
let xml: string;
let cust: CustomerFixture;
let other: CustomerFixture;
let invnums: number[] = [];
let otherInvnum: number;
let session: string;

type Struct = Record<string, unknown>;

async function call(method: string, args: Struct, flat = false): Promise<Struct> {
  const r = await pyXmlRpc(xml, `FS.ClientAPI_XMLRPC.${method}`, args, { flat });
  assert.ok(r.ok, `XML-RPC call ${method} failed: ${JSON.stringify(r)}`);
  return r.value as Struct;
}

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
  cust = await createTestCustomer(t.db, world, { company: "Invoice & Co" });
  other = await createTestCustomer(t.db, world);
  await orderTestPackage(t.db, cust.custnum, world.pkgparts.dslMonthly, { orderDate: new Date("2026-01-01T00:00:00Z") });
  await orderTestPackage(t.db, other.custnum, world.pkgparts.hosting, { orderDate: new Date("2026-01-01T00:00:00Z") });
  for (let m = 0; m < 3; m++) {
    const r = await billCustomer(t.db, cust.custnum, { asOf: new Date(Date.UTC(2026, m, 1, 6)) });
    invnums.push(r.invnum!);
  }
  otherInvnum = (await billCustomer(t.db, other.custnum, { asOf: new Date("2026-01-01T06:00:00Z") })).invnum!;
  await t.db.transaction(async (tx) => {
    await recordPayment(tx, { custnum: cust.custnum, paidCents: 10000, payby: "CARD", paymask: "************4242", date: new Date("2026-01-10T00:00:00Z") });
    await recordCredit(tx, { custnum: cust.custnum, amountCents: 500, reason: "Outage", date: new Date("2026-02-10T00:00:00Z") });
  });
  srv = await startRpcServer(t.url!);
  xml = `${srv.url}/api/selfservice/xmlrpc`;
  const login = await call("login", { email: cust.email, password: TEST_PASSWORD });
  assert.equal(login.error, "");
  session = String(login.session_id);
});
after(async () => {
  await srv.close();
  await t.drop();
});

describe("billing over XML-RPC (Python xmlrpc.client)", () => {
  test("list_invoices: Freeside keys, money as strings, newest first, paginated", async () => {
    const r = await call("list_invoices", { session_id: session });
    assert.equal(r.error, "");
    // 98.07 + 44.04 + 44.04 − 100.00 − 5.00
    assert.equal(r.balance, "81.15");
    assert.equal(r.money_char, "$");
    assert.equal(r.total, "3");
    const invoices = r.invoices as Struct[];
    assert.deepEqual(
      invoices.map((i) => i.invnum),
      [...invnums].reverse().map(String),
    );
    const oldest = invoices[2]!;
    assert.equal(oldest._date, String(Date.UTC(2026, 0, 1, 6) / 1000));
    assert.equal(oldest.date, "Jan 1st, 2026");
    assert.equal(oldest.date_short, "01-01-2026");
    assert.equal(oldest.charged, "98.07");
    assert.equal(oldest.owed, "0.00");
    assert.equal(oldest.previous, "0.00");
    assert.equal(oldest.balance, "0.00");
    assert.equal(oldest.status, "paid");
    assert.equal(oldest.lastpay, String(Date.parse("2026-01-10T00:00:00Z") / 1000));
    const middle = invoices[1]!;
    assert.equal(middle.owed, String((4404 - 193 - 500) / 100)); // 37.11
    assert.equal(middle.balance, "37.11");
    assert.equal(invoices[0]!.balance, "81.15");

    const page = await call("list_invoices", { session_id: session, page: 2, page_size: 2 });
    assert.deepEqual(
      (page.invoices as Struct[]).map((i) => i.invnum),
      [String(invnums[0])],
    );
    assert.equal(page.pages, "2");
    // Freeside's PHP portal sends a flat key/value list.
    const flat = await call("list_invoices", { session_id: session, page: "1", page_size: "1" }, true);
    assert.deepEqual(
      (flat.invoices as Struct[]).map((i) => i.invnum),
      [String(invnums[2])],
    );
  });

  test("invoice: text and HTML of one's own invoice; another customer's is Can't find invnum", async () => {
    const r = await call("invoice", { session_id: session, invnum: invnums[0] });
    assert.equal(r.error, "");
    assert.equal(r.invnum, String(invnums[0]));
    assert.match(String(r.invoice_text), new RegExp(`Invoice #${invnums[0]}`));
    assert.match(String(r.invoice_text), /Total\s+\$98\.07/);
    assert.match(String(r.invoice_html), /Invoice &amp; Co/);
    assert.match(String(r.invoice_html), /\$98\.07/);

    for (const invnum of [otherInvnum, 99_999_999, "abc", ""]) {
      assert.deepEqual(await call("invoice", { session_id: session, invnum }), { error: "Can't find invnum" });
      assert.deepEqual(await call("invoice_pdf", { session_id: session, invnum }), { error: "Can't find invnum" });
    }
    assert.deepEqual(await call("invoice", { invnum: invnums[0] }), { error: "Can't resume session" });
    assert.deepEqual(Object.keys(r).sort(), ["error", "invnum", "invoice_html", "invoice_text"]);
  });

  test("invoice, invoice_pdf and billing_history: a bad session is Can't resume session before anything about the invnum", async () => {
    for (const session_id of ["0".repeat(64), "nope", ""]) {
      for (const invnum of [invnums[0]!, otherInvnum, 99_999_999, "abc"]) {
        assert.deepEqual(await call("invoice", { session_id, invnum }), { error: "Can't resume session" }, `invoice ${invnum}`);
        assert.deepEqual(await call("invoice_pdf", { session_id, invnum }), { error: "Can't resume session" }, `invoice_pdf ${invnum}`);
      }
      assert.deepEqual(await call("billing_history", { session_id }), { error: "Can't resume session" });
      assert.deepEqual(await call("billing_history", { session_id, page: "abc" }), { error: "Can't resume session" });
    }
  });

  test("invoice_pdf: a base64 PDF whose text has the invoice number and total", async () => {
    const r = await call("invoice_pdf", { session_id: session, invnum: invnums[0] });
    assert.equal(r.error, "");
    const b64 = (r.invoice_pdf as { __base64__?: string }).__base64__;
    assert.ok(b64, `invoice_pdf is XML-RPC base64: ${JSON.stringify(r.invoice_pdf).slice(0, 80)}`);
    const pdf = Buffer.from(b64, "base64");
    assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
    if (existsSync("/usr/bin/pdftotext")) {
      const text = execFileSync("/usr/bin/pdftotext", ["-", "-"], { input: pdf }).toString("utf8");
      assert.ok(text.includes(`#${invnums[0]}`), text);
      assert.ok(text.includes("$98.07"), text);
    }
    // JSON-RPC carries the same document as a base64 string.
    const j = await jsonRpc(`${srv.url}/api/selfservice/jsonrpc`, "invoice_pdf", { session_id: session, invnum: invnums[0] });
    const result = (j.body as { result: Struct }).result;
    assert.equal(Buffer.from(String(result.invoice_pdf), "base64").subarray(0, 5).toString("latin1"), "%PDF-");
  });

  test("billing_history: signed amounts, running balance, newest first", async () => {
    const r = await call("billing_history", { session_id: session });
    assert.equal(r.error, "");
    assert.equal(r.balance, "81.15");
    assert.equal(r.balance_pretty, "$81.15");
    assert.equal(r.next_bill_date, String(Date.parse("2026-04-01T00:00:00Z") / 1000));
    assert.equal(r.next_bill_date_pretty, "04/01/2026");
    const h = r.history as Struct[];
    assert.deepEqual(
      h.map((x) => [x.type, x.amount, x.balance]),
      [
        ["Invoice", "44.04", "81.15"],
        ["Credit", "-5.00", "37.11"],
        ["Invoice", "44.04", "42.11"],
        ["Payment", "-100.00", "-1.93"],
        ["Invoice", "98.07", "98.07"],
      ],
    );
    assert.equal(h[3]!.paid, "100.00");
    assert.equal(h[1]!.credit, "5.00");
    assert.equal(h[4]!.charged, "98.07");
    assert.equal(h[3]!.amount_pretty, "-$100.00");
    assert.equal(h[4]!.description, `Invoice #${invnums[0]}`);
    // Freeside's keys (and Portico's paging additions), unchanged.
    assert.deepEqual(Object.keys(r).sort(), [
      "balance",
      "balance_pretty",
      "error",
      "history",
      "money_char",
      "next_bill_date",
      "next_bill_date_pretty",
      "page",
      "page_size",
      "pages",
      "total",
    ]);
    const common = ["amount", "amount_pretty", "balance", "balance_pretty", "date", "date_pretty", "description", "id", "type"];
    assert.deepEqual(Object.keys(h[3]!).sort(), [...common, "paid"].sort());
    assert.deepEqual(Object.keys(h[4]!).sort(), [...common, "charged"].sort());
    assert.deepEqual(Object.keys(h[1]!).sort(), [...common, "credit"].sort());
    assert.equal(h[3]!.date_pretty, "01/10/2026");
    assert.equal(h[3]!.balance_pretty, "-$1.93");
    assert.match(String(h[3]!.id), /^\d+$/);
    const paged = await call("billing_history", { session_id: session, page: 2, page_size: 2 });
    assert.deepEqual(
      (paged.history as Struct[]).map((x) => [x.type, x.balance]),
      [
        ["Invoice", "42.11"],
        ["Payment", "-1.93"],
      ],
    );
    assert.deepEqual([paged.page, paged.page_size, paged.total, paged.pages], ["2", "2", "5", "3"]);
  });

  test("list_payments: only this customer's payments", async () => {
    const r = await call("list_payments", { session_id: session });
    assert.equal(r.error, "");
    const p = r.payments as Struct[];
    assert.equal(p.length, 1);
    assert.equal(p[0]!.paid, "100.00");
    assert.equal(p[0]!.payby, "CARD");
    assert.equal(p[0]!.paymask, "************4242");
    assert.equal(p[0]!.date_short, "01-10-2026");

    const login = await call("login", { email: other.email, password: TEST_PASSWORD });
    const theirs = await call("list_payments", { session_id: String(login.session_id) });
    assert.deepEqual(theirs.payments, []);
    const theirInvoices = await call("list_invoices", { session_id: String(login.session_id) });
    assert.deepEqual(
      (theirInvoices.invoices as Struct[]).map((i) => i.invnum),
      [String(otherInvnum)],
    );
  });
});
