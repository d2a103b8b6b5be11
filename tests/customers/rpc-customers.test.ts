import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, orderTestPackage, TEST_PASSWORD, type World } from "../support/fixtures";
import { pyXmlRpc, jsonRpc, startRpcServer, type RpcServer } from "../support/rpc-server";
import { getCustomerInfo } from "../../lib/customers/customer-info";

let t: TestDb;
let srv: RpcServer;
let world: World;
let xml: string;
let cust: { custnum: number; email: string };
let other: { custnum: number; email: string };
const username = `rpcuser${Date.now().toString(36)}`;
const phonenum = `415555${String(Date.now()).slice(-4)}`;

type Struct = Record<string, unknown>;

async function call(method: string, args: Struct): Promise<Struct> {
  const r = await pyXmlRpc(xml, `FS.ClientAPI_XMLRPC.${method}`, args);
  assert.ok(r.ok, `XML-RPC call ${method} failed: ${JSON.stringify(r)}`);
  return r.value as Struct;
}

async function sessionFor(args: Struct): Promise<string> {
  const r = await call("login", args);
  assert.equal(r.error, "", `login failed: ${String(r.error)}`);
  return String(r.session_id);
}

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
  cust = await createTestCustomer(t.db, world, { company: "Rpc Co" });
  other = await createTestCustomer(t.db, world);
  await orderTestPackage(t.db, cust.custnum, world.pkgparts.dslMonthly, { service: { svcdb: "svc_acct", username, password: "Acct-pass-456" } });
  await orderTestPackage(t.db, cust.custnum, world.pkgparts.voip, { service: { svcdb: "svc_phone", countrycode: "1", phonenum, pin: "2468" } });
  srv = await startRpcServer(t.url!);
  xml = `${srv.url}/api/selfservice/xmlrpc`;
});
after(async () => {
  await srv.close();
  await t.drop();
});

describe("customer_info and edit_info over XML-RPC (Python xmlrpc.client)", () => {
  test("login each of the three ways, then customer_info names the same customer", async () => {
    const ways: Struct[] = [
      { email: cust.email, password: TEST_PASSWORD },
      { username, domain: "isp.test", password: "Acct-pass-456" },
      { username: phonenum, domain: "svc_phone", password: "2468" },
    ];
    for (const way of ways) {
      const session_id = await sessionFor(way);
      const info = await call("customer_info", { session_id });
      assert.equal(info.error, "");
      assert.equal(info.custnum, String(cust.custnum));
      assert.equal(info.company, "Rpc Co");
      assert.equal(info.balance, "0.00");
      assert.equal(info.city, "Oakland");
      assert.deepEqual(info.open_invoices, []);
      assert.match(String(info.small_custview), /<table/);
      assert.match(String(info.small_custview), /\(Balance: <b>\$[\d,.-]+<\/b>\)/, "Freeside's \"(Balance: <b>$X</b>)\"");
    }
  });

  test("a wrong password is an in-band error, the same for an unknown account", async () => {
    assert.deepEqual(await call("login", { email: cust.email, password: "wrong-password" }), { error: "Incorrect login or password." });
    assert.deepEqual(await call("login", { email: "nobody@example.com", password: "wrong-password" }), { error: "Incorrect login or password." });
  });

  test("customer_info without or with a bogus session → Can't resume session", async () => {
    assert.equal((await call("customer_info", {})).error, "Can't resume session");
    assert.equal((await call("customer_info", { session_id: "f".repeat(64) })).error, "Can't resume session");
  });

  test("edit_info changes only what is sent, for the session's customer only", async () => {
    const session_id = await sessionFor({ email: cust.email, password: TEST_PASSWORD });
    const otherBefore = await getCustomerInfo(t.db, other.custnum);
    const r = await call("edit_info", { session_id, daytime: "510-555-0142", address2: "Suite 9", custnum: other.custnum });
    assert.deepEqual(r, { error: "" });
    const info = await call("customer_info", { session_id });
    assert.equal(info.daytime, "510-555-0142");
    assert.equal(info.address2, "Suite 9");
    assert.equal(info.address1 !== "", true);
    assert.deepEqual(await getCustomerInfo(t.db, other.custnum), otherBefore, "a custnum argument cannot redirect the edit");
  });

  test("edit_info with bad input → error text, nothing saved", async () => {
    const session_id = await sessionFor({ email: cust.email, password: TEST_PASSWORD });
    const before = await getCustomerInfo(t.db, cust.custnum);
    const r = await call("edit_info", { session_id, first: "Changed", zip: "not-a-zip" });
    assert.match(String(r.error), /ZIP code is not valid/);
    const r2 = await call("edit_info", { session_id, first: "Changed", state: "ZZ" });
    assert.match(String(r2.error), /state/i);
    assert.deepEqual(await getCustomerInfo(t.db, cust.custnum), before);
  });

  test("edit_info with payby: stores the first payment method, then updates it; a bad card changes nothing", async () => {
    const fresh = await createTestCustomer(t.db, world);
    const session_id = await sessionFor({ email: fresh.email, password: TEST_PASSWORD });
    const card = { payby: "CARD", payinfo: "4111111111111111", paydate: "12/2030", payname: "Pat Payer" };
    const r = await call("edit_info", { session_id, daytime: "510-555-0100", ...card });
    assert.equal(r.error, "");
    const list1 = (await call("list_payby", { session_id })).payby as Struct[];
    assert.equal(list1.length, 1);
    assert.equal(list1[0]!.paymask, "xxxxxxxxxxxx1111");

    assert.equal((await call("edit_info", { session_id, ...card, payinfo: "5555555555554444", payname: "Pat Payer Jr" })).error, "");
    const list2 = (await call("list_payby", { session_id })).payby as Struct[];
    assert.equal(list2.length, 1, "the first method is updated, not added to");
    assert.equal(list2[0]!.custpaybynum, list1[0]!.custpaybynum);
    assert.deepEqual([list2[0]!.paymask, list2[0]!.payname], ["xxxxxxxxxxxx4444", "Pat Payer Jr"]);

    const before = await getCustomerInfo(t.db, fresh.custnum);
    const bad = await call("edit_info", { session_id, daytime: "510-555-0199", ...card, payinfo: "4111111111111112" });
    assert.match(String(bad.error), /card number/i);
    assert.deepEqual(await getCustomerInfo(t.db, fresh.custnum), before, "the phone is not saved either");
    assert.deepEqual(((await call("list_payby", { session_id })).payby as Struct[])[0]!.paymask, "xxxxxxxxxxxx4444");
  });

  test("JSON-RPC: customer_info with the same session", async () => {
    const session_id = await sessionFor({ email: cust.email, password: TEST_PASSWORD });
    const r = await jsonRpc(`${srv.url}/api/selfservice/jsonrpc`, "customer_info", { session_id });
    assert.equal(r.status, 200);
    const body = r.body as { result: Struct };
    assert.equal(body.result.error, "");
    assert.equal(body.result.custnum, cust.custnum, "JSON keeps numbers as numbers");
  });
});

describe("HTML fragments over XML-RPC", () => {
  test("regionselector returns the three selects rendered from the component, with the cascade script", async () => {
    const r = await call("regionselector", { selected_country: "US", selected_state: "CA", selected_county: "Alameda", prefix: "ship_" });
    assert.equal(r.error, "");
    assert.match(String(r.country_html), /<select[^>]*name="ship_country"/);
    assert.match(String(r.state_html), /<option value="CA" selected="">California<\/option>/);
    assert.match(String(r.county_html), /<option value="Alameda" selected="">Alameda<\/option>/);
    assert.match(String(r.county_html), /San Francisco/);
    assert.doesNotMatch(String(r.county_html), /King/, "only the chosen state's counties");
    assert.match(String(r.html), /<script>/);
  });

  test("regionselector rejects a prefix that could inject markup", async () => {
    const r = await call("regionselector", { prefix: '"><script>alert(1)</script>' });
    assert.match(String(r.error), /prefix/);
  });

  test("location_form needs a session and shows the session customer's bill address", async () => {
    assert.equal((await call("location_form", {})).error, "Can't resume session");
    const session_id = await sessionFor({ email: cust.email, password: TEST_PASSWORD });
    const r = await call("location_form", { session_id, address1_label: "Street" });
    assert.equal(r.error, "");
    assert.match(String(r.output), /<label[^>]*for="address1"[^>]*>Street/);
    assert.match(String(r.output), /value="Oakland"/);
    assert.match(String(r.output), /name="zip"/);
  });
});
