import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
process.env.PORTICO_VAULT_KEY ??= randomBytes(32).toString("hex");
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, TEST_PASSWORD } from "../support/fixtures";
import { jsonRpc, pyXmlRpc, startRpcServer, type RpcServer } from "../support/rpc-server";
import { custBill, custPay } from "../../db/schema";
import { TEST_BANK, TEST_CARDS } from "../../lib/payments/gateway/test-gateway";

type Struct = Record<string, unknown>;
let t: TestDb;
let srv: RpcServer;
let xml: string;
let cust: { custnum: number; email: string };
let other: { custnum: number; email: string };
const YEAR = String(new Date().getUTCFullYear() + 2);
/** Every response body, searched at the end for full numbers. */
const responses: string[] = [];

async function call(method: string, args: Struct, opts: { flat?: boolean } = {}): Promise<Struct> {
  const r = await pyXmlRpc(xml, `FS.ClientAPI_XMLRPC.${method}`, args, opts);
  assert.ok(r.ok, `XML-RPC call ${method} failed: ${JSON.stringify(r)}`);
  responses.push(JSON.stringify(r.value));
  return r.value as Struct;
}

async function sessionFor(email: string): Promise<string> {
  const r = await call("login", { email, password: TEST_PASSWORD });
  assert.equal(r.error, "", String(r.error));
  return String(r.session_id);
}

before(async () => {
  t = await createTestDb();
  const world = await createWorld(t.db);
  cust = await createTestCustomer(t.db, world);
  other = await createTestCustomer(t.db, world);
  await t.db.insert(custBill).values({ custnum: cust.custnum, date: new Date(Date.now() - 86_400_000), charged: 10_000, owed: 10_000 });
  srv = await startRpcServer(t.url!, { PORTICO_TEST_GATEWAY_TIMEOUT_MS: "300", PORTICO_GATEWAY: "test" });
  xml = `${srv.url}/api/selfservice/xmlrpc`;
});
after(async () => {
  await srv.close();
  await t.drop();
});

describe("payments over XML-RPC (Python xmlrpc.client)", () => {
  test("no session → Can't resume session, for every payment method", async () => {
    for (const m of ["payment_info", "process_payment", "list_payby", "insert_payby", "update_payby", "delete_payby"]) {
      assert.deepEqual(await call(m, { session_id: "nope" }), { error: "Can't resume session" }, m);
    }
  });

  test("insert_payby / list_payby: masked only, Freeside's keys, never the number", async () => {
    const session_id = await sessionFor(cust.email);
    const ins = await call("insert_payby", { session_id, payby: "CARD", payinfo: TEST_CARDS.visa, month: "7", year: YEAR, payname: "Rpc Payer", paycvv: "321" });
    assert.equal(ins.error, "");
    assert.match(String(ins.custpaybynum), /^\d+$/);
    const bank = await call("insert_payby", { session_id, payby: "DCHK", payinfo1: TEST_BANK.approved, payinfo2: TEST_BANK.routing, payname: "Rpc Bank", paytype: "Personal savings", paystate: "CA" }, { flat: true });
    assert.equal(bank.error, "");
    const list = await call("list_payby", { session_id });
    assert.equal(list.error, "");
    const rows = list.payby as Struct[];
    assert.equal(rows.length, 2);
    assert.deepEqual(Object.keys(rows[0]!).sort(), ["custpaybynum", "payby", "paydate", "paymask", "payname", "paystate", "paytype", "weight"]);
    assert.deepEqual(rows[0], { custpaybynum: String(ins.custpaybynum), weight: "1", payby: "CARD", paymask: "xxxxxxxxxxxx1111", paydate: `${YEAR}-07-31`, payname: "Rpc Payer", paystate: "", paytype: "" });
    assert.equal(rows[1]!.paymask, "xxxxxxxxxx89@110000000");
    assert.equal(rows[1]!.paytype, "Personal savings");
    const otherSession = await sessionFor(other.email);
    assert.deepEqual((await call("list_payby", { session_id: otherSession })).payby, []);
  });

  test("insert_payby bad input: Freeside's errors, nothing stored", async () => {
    const session_id = await sessionFor(cust.email);
    const before = ((await call("list_payby", { session_id })).payby as Struct[]).length;
    assert.equal((await call("insert_payby", { session_id, payby: "CHEK", payinfo1: "12a", payinfo2: TEST_BANK.routing, payname: "Bank" })).error, "illegal account number 12a");
    assert.equal((await call("insert_payby", { session_id, payby: "CARD", payinfo: "4111111111111112", month: "7", year: YEAR, payname: "A" })).error, "Invalid credit card number");
    assert.equal((await call("insert_payby", { session_id, payby: "CARD", payinfo: TEST_CARDS.visa, month: "1", year: "2021", payname: "A" })).error, "Expired card");
    assert.equal((await call("insert_payby", { session_id, payby: "CARD", payinfo: "4".repeat(5000), month: "1", year: YEAR, payname: "A" })).error, "Card or account number must be at most 64 characters");
    assert.equal(((await call("list_payby", { session_id })).payby as Struct[]).length, before);
  });

  test("update_payby and delete_payby: another customer's custpaybynum is unknown", async () => {
    const session_id = await sessionFor(cust.email);
    const mine = (await call("list_payby", { session_id })).payby as Struct[];
    const id = String(mine[0]!.custpaybynum);
    const otherSession = await sessionFor(other.email);
    assert.deepEqual(await call("update_payby", { session_id: otherSession, custpaybynum: id, payname: "Mallory" }), { error: `unknown custpaybynum ${id}` });
    assert.deepEqual(await call("delete_payby", { session_id: otherSession, custpaybynum: id }), { error: `unknown custpaybynum ${id}` });
    const upd = await call("update_payby", { session_id, custpaybynum: id, payname: "Rpc Payer Two", payinfo: "xxxxxxxxxxxx1111" });
    assert.deepEqual(upd, { error: "", custpaybynum: id });
    const after = (await call("list_payby", { session_id })).payby as Struct[];
    assert.equal(after[0]!.payname, "Rpc Payer Two");
    assert.equal(after[0]!.paymask, "xxxxxxxxxxxx1111");
    const bankId = String(after[1]!.custpaybynum);
    assert.deepEqual(await call("delete_payby", { session_id, custpaybynum: bankId }), { error: "" });
    assert.equal(((await call("list_payby", { session_id })).payby as Struct[]).length, 1);
  });

  test("payment_info: balance, masked stored card, card types, paytypes, a fresh key every call", async () => {
    const session_id = await sessionFor(cust.email);
    const a = await call("payment_info", { session_id });
    const b = await call("payment_info", { session_id, omit_cust_main_county: 1 });
    assert.equal(a.error, "");
    assert.equal(a.balance, "100.00");
    assert.match(String(a.payunique), /^webui-MyAccount-\d+-[0-9a-f]{32}$/);
    assert.equal(a.paybatch, a.payunique);
    assert.notEqual(a.payunique, b.payunique);
    assert.deepEqual(a.paytypes, ["", "Personal checking", "Personal savings", "Business checking", "Business savings"]);
    assert.equal((a.card_types as Struct).VISA, "VISA card");
    assert.equal((a.card_types as Struct)["American Express"], "American Express card");
    assert.equal(a.payinfo, "xxxxxxxxxxxx1111");
    assert.equal(a.payby, "CARD");
    assert.equal(a.month, "7");
    assert.equal(a.year, YEAR);
    assert.equal(a.card_type, "VISA card");
    assert.equal(a.city, "Oakland");
    assert.ok(Array.isArray(a.cust_main_county) && (a.cust_main_county as unknown[]).length > 0);
    assert.equal(b.cust_main_county, undefined);
    assert.deepEqual(a.states, ["CA", "OR", "WA"]);
    const paybys = a.cust_paybys as Struct[];
    assert.equal(paybys[0]!.payinfo, "xxxxxxxxxxxx1111");
  });

  test("process_payment: Freeside's amount errors; nothing charged", async () => {
    const session_id = await sessionFor(cust.email);
    const key = String((await call("payment_info", { session_id })).payunique);
    const base = { session_id, payby: "CARD", payinfo: TEST_CARDS.visa, month: "12", year: YEAR, payname: "Rpc Payer", paybatch: key };
    assert.equal((await call("process_payment", { ...base, amount: "abc" })).error, "Illegal amount");
    assert.equal((await call("process_payment", { ...base, amount: "0" })).error, "Amount must be greater than 0");
    assert.equal((await call("process_payment", { ...base, amount: "10.5" })).error, "Illegal amount");
    assert.equal((await call("process_payment", { ...base, amount: "10.505" })).error, "Illegal amount");
    assert.equal((await call("process_payment", { ...base, amount: "-10" })).error, "Illegal amount");
    assert.equal((await call("process_payment", { ...base, amount: "10.00", payinfo: "4111111111111112" })).error, "Invalid credit card number");
    assert.equal((await call("process_payment", { ...base, amount: "10.00", payunique: "bill-1" })).error, "This payment key is reserved");
    assert.equal((await t.db.select().from(custPay).where(eq(custPay.custnum, cust.custnum))).length, 0);
  });

  test("process_payment with a new card (flat list, as the PHP portal sends it); the key twice charges once", async () => {
    const session_id = await sessionFor(cust.email);
    const key = String((await call("payment_info", { session_id })).payunique);
    const args = { session_id, amount: "25.00", payby: "CARD", payinfo: TEST_CARDS.mastercard, month: "12", year: YEAR, payname: "Rpc Payer", paycvv: "654", paybatch: key };
    const r = await call("process_payment", args, { flat: true });
    assert.equal(r.error, "");
    assert.equal(r.amount, "25.00");
    assert.match(String(r.date), /^\d+$/);
    assert.match(String(r.date_pretty), /^\d{4}-\d{2}-\d{2}$/);
    assert.match(String(r.time_pretty), /^\d{2}:\d{2}:\d{2}$/);
    assert.match(String(r.auth_num), /^[0-9A-F]{6}$/);
    assert.match(String(r.order_num), /^TEST-/);
    assert.match(String(r.receipt_html), /xxxxxxxxxxxx4444/);
    const again = await call("process_payment", { ...args, payunique: key, paybatch: undefined as unknown as string });
    assert.equal(again.error, "");
    assert.equal(again.paynum, r.paynum);
    const pays = await t.db.select().from(custPay).where(eq(custPay.custnum, cust.custnum));
    assert.equal(pays.length, 1);
    assert.equal((await call("payment_info", { session_id })).balance, "75.00");
  });

  test("process_payment with the stored card (custpaybynum + CVV), a decline, and a bank account", async () => {
    const session_id = await sessionFor(cust.email);
    const info = await call("payment_info", { session_id });
    const r = await call("process_payment", { session_id, amount: "5.00", custpaybynum: info.custpaybynum, paycvv: "321", payunique: info.payunique });
    assert.equal(r.error, "");
    assert.match(String(r.receipt_html), /xxxxxxxxxxxx1111/);
    const declined = await call("process_payment", {
      session_id,
      amount: "5.00",
      payinfo: TEST_CARDS.declined,
      month: "12",
      year: YEAR,
      payname: "Rpc Payer",
      payunique: (await call("payment_info", { session_id })).payunique,
    });
    assert.deepEqual(declined, { error: "Payment declined: Card declined" });
    const chek = await call("process_payment", {
      session_id,
      amount: "10.00",
      payby: "CHEK",
      payinfo1: TEST_BANK.approved,
      payinfo2: TEST_BANK.routing,
      payname: "Rpc Bank",
      paytype: "Personal checking",
      payunique: (await call("payment_info", { session_id })).payunique,
    });
    assert.equal(chek.error, "");
    assert.match(String(chek.receipt_html), /Electronic check #xxxxxxxxxx89@110000000/);
    assert.equal((await call("payment_info", { session_id })).balance, "60.00");
    // Another customer cannot pay with this customer's stored card.
    const otherSession = await sessionFor(other.email);
    assert.deepEqual(await call("process_payment", { session_id: otherSession, amount: "1.00", custpaybynum: info.custpaybynum, payunique: `other-${Date.now()}` }), { error: `unknown custpaybynum ${info.custpaybynum}` });
  });

  test("JSON-RPC: list_payby with the same session", async () => {
    const session_id = await sessionFor(cust.email);
    const r = await jsonRpc(`${srv.url}/api/selfservice/jsonrpc`, "list_payby", { session_id });
    const body = r.body as { result: { error: string; payby: Struct[] } };
    assert.equal(body.result.error, "");
    assert.equal(body.result.payby[0]!.paymask, "xxxxxxxxxxxx1111");
    responses.push(JSON.stringify(r.body));
  });

  test("expselect: the component's HTML, month/year selects named by the prefix", async () => {
    const r = await call("expselect", { prefix: "card", date: "2031-03-01" });
    assert.equal(r.error, "");
    const html = String(r.html);
    assert.match(html, /<select[^>]*name="card_month"/);
    assert.match(html, /<select[^>]*name="card_year"/);
    assert.match(html, /<option value="3" selected="">3<\/option>/);
    assert.match(html, /<option value="2031" selected="">2031<\/option>/);
    const mdY = await call("expselect", { prefix: "x", date: "4-1-2030" }, { flat: true });
    assert.match(String(mdY.html), /<option value="4" selected="">4<\/option>/);
    assert.match((await call("expselect", { prefix: "<script>" })).error as string, /prefix/);
  });

  test("process_payment: an amount sent as a number with at most two decimals is accepted (JSON-RPC and XML-RPC <double>)", async () => {
    const session_id = await sessionFor(cust.email);
    const url = `${srv.url}/api/selfservice/jsonrpc`;
    const paid = async () => (await t.db.select().from(custPay).where(eq(custPay.custnum, cust.custnum))).length;
    const before = await paid();
    const json = async (amount: unknown) => {
      const key = String((await call("payment_info", { session_id })).payunique);
      const r = await jsonRpc(url, "process_payment", { session_id, amount, custpaybynum: (await call("payment_info", { session_id })).custpaybynum, payunique: key });
      responses.push(JSON.stringify(r.body));
      return (r.body as { result: Struct }).result;
    };
    for (const [amount, text] of [[12.5, "12.50"], [12, "12.00"], [12.25, "12.25"], [0.1, "0.10"]] as const) {
      const r = await json(amount);
      assert.equal(r.error, "", `${amount}: ${String(r.error)}`);
      assert.equal(r.amount, text);
    }
    for (const amount of [12.345, -1, -12.5, 1e21, 1e-7, "12.5", "1e3"]) {
      assert.equal((await json(amount)).error, "Illegal amount", String(amount));
    }
    assert.equal((await json(0)).error, "Amount must be greater than 0");
    // Python's xmlrpc.client sends a float as <double> and an int as <int>.
    const xmlPay = async (amount: number) =>
      call("process_payment", { session_id, amount, custpaybynum: (await call("payment_info", { session_id })).custpaybynum, payunique: (await call("payment_info", { session_id })).payunique });
    const d = await xmlPay(1.5);
    assert.equal(d.error, "");
    assert.equal(d.amount, "1.50");
    assert.equal((await xmlPay(2)).amount, "2.00");
    assert.equal((await xmlPay(1.255)).error, "Illegal amount");
    assert.equal(await paid(), before + 6);
  });

  test("no response ever carried a full card or account number, or a CVV", () => {
    const all = responses.join("\n");
    for (const s of [TEST_CARDS.visa, TEST_CARDS.mastercard, TEST_CARDS.declined, TEST_BANK.approved, '"654"', '"321"']) {
      assert.ok(!all.includes(s), `a response contained ${s.slice(-4)}`);
    }
  });
});
