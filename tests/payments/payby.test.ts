import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
process.env.PORTICO_VAULT_KEY ??= randomBytes(32).toString("hex");
import { resetEnvForTests } from "../../lib/env";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld } from "../support/fixtures";
import { custPayby } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { deletePayby, insertPayby, listPayby, makePaybyFirst, openStoredInstrument, updatePayby } from "../../lib/payments/payby";
import { isSealed } from "../../lib/payments/vault";
import { queryRows } from "../../lib/db/rows";

resetEnvForTests();
let t: TestDb;
let a: number;
let b: number;
const NOW = new Date("2026-06-15T12:00:00Z");
const VISA = "4111111111111111";

before(async () => {
  t = await createTestDb();
  const world = await createWorld(t.db);
  a = (await createTestCustomer(t.db, world)).custnum;
  b = (await createTestCustomer(t.db, world)).custnum;
});
after(async () => {
  await t.drop();
});

async function snapshot() {
  return queryRows<Record<string, unknown>>(t.db, sql`SELECT * FROM cust_payby ORDER BY custpaybynum`);
}

async function rejects(p: Promise<unknown>, code: string, message: string | RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.ok(!e.message.includes(VISA));
    return true;
  });
}

describe("stored payment methods", () => {
  let cardA: number;
  let bankA: number;

  test("insert a card: sealed payinfo, Freeside's paymask, last day of the month, type", async () => {
    const r = await insertPayby(t.db, { custnum: a, input: { payby: "CARD", payinfo: "4111 1111 1111 1111", month: "7", year: "2030", payname: "Ada Lovelace", paycvv: "987" }, ip: "203.0.113.9", now: NOW });
    cardA = r.custpaybynum;
    const [row] = await t.db.select().from(custPayby).where(eq(custPayby.custpaybynum, cardA));
    assert.ok(row);
    assert.ok(isSealed(row.payinfo), "payinfo is vault ciphertext");
    assert.ok(!row.payinfo.includes(VISA) && !row.payinfo.includes("1111"));
    assert.equal(row.paymask, "xxxxxxxxxxxx1111");
    assert.equal(row.paydate, "2030-07-31");
    assert.equal(row.paycardtype, "VISA card");
    assert.equal(row.payby.trim(), "CARD");
    assert.equal(row.payip, "203.0.113.9");
    assert.ok(!JSON.stringify(row).includes("987"), "no CVV stored");
    const opened = await openStoredInstrument(t.db, { custnum: a, custpaybynum: cardA });
    assert.equal(opened.instrument.kind === "card" && opened.instrument.number, VISA);
  });

  test("insert a bank account (account@routing) and one with payinfo1/payinfo2", async () => {
    const r = await insertPayby(t.db, { custnum: a, input: { payby: "DCHK", payinfo: "000123456789@110000000", payname: "First Bank", paytype: "business savings", paystate: "ca" }, now: NOW });
    bankA = r.custpaybynum;
    const r2 = await insertPayby(t.db, { custnum: b, input: { payby: "CHEK", payinfo1: "987654321", payinfo2: "011000015", payname: "Other Bank" }, now: NOW });
    const list = await listPayby(t.db, { custnum: a });
    const bank = list.find((p) => p.custpaybynum === bankA);
    assert.deepEqual(bank, {
      custpaybynum: bankA,
      weight: 2,
      payby: "DCHK",
      paymask: "xxxxxxxxxx89@110000000",
      paydate: "",
      payname: "First Bank",
      paystate: "CA",
      paytype: "Business savings",
      paycardtype: "",
    });
    const opened = await openStoredInstrument(t.db, { custnum: b, custpaybynum: r2.custpaybynum });
    assert.deepEqual(opened.instrument, { kind: "bank", account: "987654321", routing: "011000015", accountType: null, name: "Other Bank", state: null });
  });

  test("list: only this customer's, masked, lowest weight first", async () => {
    const list = await listPayby(t.db, { custnum: a });
    assert.deepEqual(list.map((p) => p.custpaybynum), [cardA, bankA]);
    assert.deepEqual(list.map((p) => p.weight), [1, 2]);
    assert.ok(!JSON.stringify(list).includes(VISA));
    assert.ok(!JSON.stringify(list).includes("000123456789"));
    assert.equal((await listPayby(t.db, { custnum: b })).length, 1);
  });

  test("makePaybyFirst reorders the weights", async () => {
    await makePaybyFirst(t.db, { custnum: a, custpaybynum: bankA });
    assert.deepEqual((await listPayby(t.db, { custnum: a })).map((p) => [p.custpaybynum, p.weight]), [[bankA, 1], [cardA, 2]]);
    await makePaybyFirst(t.db, { custnum: a, custpaybynum: cardA });
    assert.deepEqual((await listPayby(t.db, { custnum: a })).map((p) => p.custpaybynum), [cardA, bankA]);
    await rejects(makePaybyFirst(t.db, { custnum: b, custpaybynum: cardA }), "NOT_FOUND", `unknown custpaybynum ${cardA}`);
  });

  test("update: omitted fields kept, a masked payinfo keeps the number, a new number is sealed", async () => {
    await updatePayby(t.db, { custnum: a, input: { custpaybynum: cardA, payname: "Ada King", payinfo: "xxxxxxxxxxxx1111" }, now: NOW });
    let [row] = await t.db.select().from(custPayby).where(eq(custPayby.custpaybynum, cardA));
    assert.equal(row!.payname, "Ada King");
    assert.equal(row!.paydate, "2030-07-31");
    let opened = await openStoredInstrument(t.db, { custnum: a, custpaybynum: cardA });
    assert.equal(opened.instrument.kind === "card" && opened.instrument.number, VISA);

    await updatePayby(t.db, { custnum: a, input: { custpaybynum: cardA, payinfo: "5555555555554444", paydate: "2031-02-01", payby: "DCRD", weight: "5" }, now: NOW });
    [row] = await t.db.select().from(custPayby).where(eq(custPayby.custpaybynum, cardA));
    assert.equal(row!.paymask, "xxxxxxxxxxxx4444");
    assert.equal(row!.paycardtype, "MasterCard");
    assert.equal(row!.paydate, "2031-02-28");
    assert.equal(row!.payby.trim(), "DCRD");
    assert.equal(row!.weight, 5);
    opened = await openStoredInstrument(t.db, { custnum: a, custpaybynum: cardA });
    assert.equal(opened.instrument.kind === "card" && opened.instrument.number, "5555555555554444");
  });

  test("update a bank account sent back masked in payinfo1 + payinfo2: the number is kept", async () => {
    await updatePayby(t.db, { custnum: a, input: { custpaybynum: bankA, payinfo1: "xxxxxxxxxx89", payinfo2: "110000000", payname: "First Bank Renamed" }, now: NOW });
    const opened = await openStoredInstrument(t.db, { custnum: a, custpaybynum: bankA });
    assert.deepEqual([opened.instrument.kind === "bank" && opened.instrument.account, opened.paymask], ["000123456789", "xxxxxxxxxx89@110000000"]);
    // A masked account with another routing number is not the stored account: the full number is asked for.
    await rejects(
      updatePayby(t.db, { custnum: a, input: { custpaybynum: bankA, payinfo1: "xxxxxxxxxx89", payinfo2: "011000015" }, now: NOW }),
      "INVALID_INPUT",
      /account number/,
    );
  });

  test("switching a card to a check needs the account: refused, nothing changed", async () => {
    const before = await snapshot();
    await rejects(updatePayby(t.db, { custnum: a, input: { custpaybynum: cardA, payby: "CHEK" }, now: NOW }), "INVALID_INPUT", "Enter the full account and routing numbers");
    assert.deepEqual(await snapshot(), before);
  });

  test("another customer's custpaybynum is not found, exactly like a missing one, and nothing changes", async () => {
    const before = await snapshot();
    await rejects(updatePayby(t.db, { custnum: b, input: { custpaybynum: cardA, payname: "Mallory" }, now: NOW }), "NOT_FOUND", `unknown custpaybynum ${cardA}`);
    await rejects(updatePayby(t.db, { custnum: b, input: { custpaybynum: 999999, payname: "Mallory" }, now: NOW }), "NOT_FOUND", "unknown custpaybynum 999999");
    await rejects(deletePayby(t.db, { custnum: b, custpaybynum: cardA }), "NOT_FOUND", `unknown custpaybynum ${cardA}`);
    await rejects(openStoredInstrument(t.db, { custnum: b, custpaybynum: cardA }), "NOT_FOUND", `unknown custpaybynum ${cardA}`);
    assert.deepEqual(await snapshot(), before);
  });

  test("bad input → a clear error, nothing written", async () => {
    const before = await snapshot();
    const huge = "4".repeat(100_000);
    const cases: [Record<string, unknown>, string | RegExp][] = [
      [{ payinfo: "4111111111111112", paydate: "12/2030", payname: "A" }, "Invalid credit card number"],
      [{ payinfo: VISA, paydate: "05/2026", payname: "A" }, "Expired card"],
      [{ payinfo: VISA, month: "13", year: "2030", payname: "A" }, "Illegal expiration date: 13/2030"],
      [{ payinfo: VISA, paydate: "12/2030" }, "Name on card is required"],
      [{ payinfo: VISA, paydate: "12/2030", payname: "x".repeat(5000) }, "Name must be at most 160 characters"],
      [{ payinfo: huge, paydate: "12/2030", payname: "A" }, "Card or account number must be at most 64 characters"],
      [{ payby: "CASH", payinfo: VISA, paydate: "12/2030", payname: "A" }, "Illegal payby"],
      [{ payby: "CHEK", payinfo1: "12a", payinfo2: "110000000", payname: "Bank" }, "illegal account number 12a"],
      [{ payby: "CHEK", payinfo: "000123456789@123456789", payname: "Bank" }, "illegal ABA/routing number 123456789"],
      [{ payby: "CHEK", payinfo: "000123456789@110000000", payname: "Bank", paystate: "ZZ" }, "Choose the bank's state"],
      [{ payinfo: "378282246310005", paydate: "12/2030", payname: "A", paycvv: "123" }, "CVV2 (CID) for American Express cards is four digits."],
      [{ payinfo: VISA, paydate: "12/2030", payname: "A", weight: "heavy" }, "Weight must be a number"],
    ];
    for (const [input, message] of cases) {
      await rejects(insertPayby(t.db, { custnum: a, input, now: NOW }), "INVALID_INPUT", message);
    }
    assert.deepEqual(await snapshot(), before);
  });

  test("audit rows for insert/update/delete hold the mask, never the number", async () => {
    await deletePayby(t.db, { custnum: a, custpaybynum: bankA, ip: "198.51.100.7" });
    assert.deepEqual((await listPayby(t.db, { custnum: a })).map((p) => p.custpaybynum), [cardA]);
    const rows = await queryRows<{ action: string; detail: unknown; ip: string | null }>(t.db, sql`SELECT action, detail, ip FROM audit_log WHERE custnum = ${a} AND action LIKE 'payby_%' ORDER BY auditnum`);
    assert.deepEqual(rows.map((r) => r.action), ["payby_insert", "payby_insert", "payby_update", "payby_update", "payby_update", "payby_update", "payby_update", "payby_delete"]);
    const text = JSON.stringify(rows);
    assert.ok(!text.includes(VISA) && !text.includes("5555555555554444") && !text.includes("000123456789"));
    assert.match(text, /xxxxxxxxxx89@110000000/);
    assert.equal(rows.at(-1)!.ip, "198.51.100.7");
  });
});
