import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CARD_TYPES,
  checkCardNumber,
  checkExpiration,
  cvvError,
  detectCardType,
  isExpired,
  luhnValid,
  maskCardNumber,
  parseExpiration,
  parseExpselectDate,
} from "../../lib/payments/card";
import { abaChecksumValid, checkBankAccount, maskBankAccount, normalizePaystate, normalizePaytype, splitBankPayinfo } from "../../lib/payments/bank";
import { checkPaybyFields, paybyFieldsSchema } from "../../lib/payments/payby-schema";

const NOW = new Date("2026-06-15T12:00:00Z");

describe("Luhn", () => {
  const table: [string, boolean][] = [
    ["4111111111111111", true],
    ["4242424242424242", true],
    ["5555555555554444", true],
    ["378282246310005", true],
    ["6011111111111117", true],
    ["4111111111111112", false],
    ["4242424242424241", false],
    ["1234567812345678", false],
    ["0000000000000000", true],
    ["", false],
    ["41x1", false],
  ];
  for (const [n, ok] of table) test(`${n || "(empty)"} → ${ok}`, () => assert.equal(luhnValid(n), ok));
});

describe("card type detection", () => {
  const table: [string, string | null][] = [
    ["4111111111111111", CARD_TYPES.visa],
    ["4222222222222", CARD_TYPES.visa],
    ["5555555555554444", CARD_TYPES.mastercard],
    ["5105105105105100", CARD_TYPES.mastercard],
    ["2223003122003222", CARD_TYPES.mastercard],
    ["2720990000000007", CARD_TYPES.mastercard],
    ["2721000000000005", null],
    ["378282246310005", CARD_TYPES.amex],
    ["371449635398431", CARD_TYPES.amex],
    ["6011111111111117", CARD_TYPES.discover],
    ["6445644564456445", CARD_TYPES.discover],
    ["6500000000000002", CARD_TYPES.discover],
    ["36227206271667", CARD_TYPES.diners],
    ["30569309025904", CARD_TYPES.diners],
    ["3530111333300000", CARD_TYPES.jcb],
    ["6200000000000005", CARD_TYPES.unionpay],
    ["37828224631000", null], // Amex prefix, wrong length
    ["9999999999999995", null],
  ];
  for (const [n, t] of table) test(`${n} → ${t}`, () => assert.equal(detectCardType(n), t));
});

describe("checkCardNumber", () => {
  test("spaces and dashes are allowed between digit groups", () => {
    const r = checkCardNumber("4111 1111-1111 1111");
    assert.ok(r.ok);
    assert.equal(r.ok && r.digits, "4111111111111111");
    assert.equal(r.ok && r.cardType, "VISA card");
  });
  test("bad Luhn / letters / too short → Freeside's invalid_card, never the number", () => {
    for (const bad of ["4111111111111112", "4111a11111111111", "4111", "41111111111111111111111"]) {
      const r = checkCardNumber(bad);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.message, "Invalid credit card number");
    }
  });
  test("valid Luhn but unknown prefix → unknown_card_type", () => {
    const r = checkCardNumber("9999999999999995");
    assert.equal(!r.ok && r.message, "Unknown card type");
  });
  test("mask keeps only the last four (Freeside paymask style)", () => {
    assert.equal(maskCardNumber("4111111111111111"), "xxxxxxxxxxxx1111");
    assert.equal(maskCardNumber("378282246310005"), "xxxxxxxxxxx0005");
  });
  test("CVV: four digits for Amex, three for the others", () => {
    assert.equal(cvvError("123", CARD_TYPES.amex), "CVV2 (CID) for American Express cards is four digits.");
    assert.equal(cvvError("1234", CARD_TYPES.amex), null);
    assert.equal(cvvError("1234", CARD_TYPES.visa), "CVV2 (CVC2/CID) is three digits.");
    assert.equal(cvvError("12a", CARD_TYPES.visa), "CVV2 (CVC2/CID) is three digits.");
    assert.equal(cvvError("987", CARD_TYPES.visa), null);
  });
});

describe("expiration dates in every Freeside form → last day of the month", () => {
  const table: [Parameters<typeof parseExpiration>[0], string | null][] = [
    [{ paydate: "2027-02-01" }, "2027-02-28"],
    [{ paydate: "2028-02-01" }, "2028-02-29"],
    [{ paydate: "2027-11-30" }, "2027-11-30"],
    [{ paydate: "12/2027" }, "2027-12-31"],
    [{ paydate: "4/2027" }, "2027-04-30"],
    [{ paydate: "04/27" }, "2027-04-30"],
    [{ paydate: "4/27" }, "2027-04-30"],
    [{ paydate: "4-27" }, "2027-04-30"],
    [{ paydate: "6-1-2027" }, "2027-06-30"],
    [{ month: "7", year: "2027" }, "2027-07-31"],
    [{ month: "07", year: "27" }, "2027-07-31"],
    [{ month: 9, year: 2030 }, "2030-09-30"],
    [{ paydate: "13/2027" }, null],
    [{ paydate: "0/27" }, null],
    [{ paydate: "2027/13/01" }, null],
    [{ paydate: "next year" }, null],
    [{ month: "7", year: "" }, null],
    [{ month: "x", year: "2027" }, null],
  ];
  for (const [input, want] of table) {
    test(`${JSON.stringify(input)} → ${want}`, () => assert.equal(parseExpiration(input)?.paydate ?? null, want));
  }
  test("expired: the month before this one is expired, this month is not", () => {
    assert.equal(isExpired({ month: 5, year: 2026 }, NOW), true);
    assert.equal(isExpired({ month: 6, year: 2026 }, NOW), false);
    assert.equal(isExpired({ month: 1, year: 2027 }, NOW), false);
    assert.equal(isExpired({ month: 12, year: 2025 }, NOW), true);
  });
  test("checkExpiration: Freeside's messages", () => {
    assert.deepEqual(checkExpiration({ paydate: "05/2026" }, NOW), { ok: false, message: "Expired card" });
    assert.deepEqual(checkExpiration({ paydate: "garbage" }, NOW), { ok: false, message: "Illegal expiration date: garbage" });
    assert.deepEqual(checkExpiration({}, NOW), { ok: false, message: "Expiration date required" });
    assert.equal(checkExpiration({ paydate: "06/2026" }, NOW).ok, true);
    assert.equal(checkExpiration({ paydate: "01/2099" }, NOW).ok, false, "absurdly far ahead");
  });
  test("expselect's date forms", () => {
    assert.deepEqual(parseExpselectDate("2027-03-31"), { month: 3, year: 2027 });
    assert.deepEqual(parseExpselectDate("3-1-2027"), { month: 3, year: 2027 });
    assert.deepEqual(parseExpselectDate("11-2028"), { month: 11, year: 2028 });
    assert.equal(parseExpselectDate(""), null);
    assert.equal(parseExpselectDate("2027-13-01"), null);
  });
});

describe("bank accounts", () => {
  const aba: [string, boolean][] = [
    ["110000000", true],
    ["011000015", true],
    ["021000021", true],
    ["011000028", true],
    ["123456789", false],
    ["021000022", false],
    ["000000000", false],
    ["02100002", false],
    ["02100002a", false],
  ];
  for (const [r, ok] of aba) test(`ABA ${r} → ${ok}`, () => assert.equal(abaChecksumValid(r), ok));

  test("Freeside's errors", () => {
    assert.deepEqual(checkBankAccount("12a", "110000000"), { ok: false, field: "account", message: "illegal account number 12a" });
    // Only the last four characters come back: never a whole card or account number.
    assert.deepEqual(checkBankAccount("4111-1111-1111-1111", "110000000"), { ok: false, field: "account", message: "illegal account number xxxxxxxxxxxxxxx1111" });
    assert.equal(checkBankAccount("123456789012345678", "110000000").ok, false);
    assert.ok(!JSON.stringify(checkBankAccount("123456789012345678", "110000000")).includes("123456789012345678"));
    assert.deepEqual(checkBankAccount("000123456789", "123456789"), { ok: false, field: "routing", message: "illegal ABA/routing number 123456789" });
    assert.deepEqual(checkBankAccount("000123456789", "110000000"), { ok: true, account: "000123456789", routing: "110000000" });
    assert.equal(checkBankAccount("1".repeat(18), "110000000").ok, false);
  });
  test("account@routing or payinfo1 + payinfo2", () => {
    assert.deepEqual(splitBankPayinfo({ payinfo: "000123456789@110000000" }), { account: "000123456789", routing: "110000000" });
    assert.deepEqual(splitBankPayinfo({ payinfo1: "0001 2345 6789", payinfo2: "110000000" }), { account: "000123456789", routing: "110000000" });
  });
  test("mask: all but the last two account digits, routing in clear", () => {
    assert.equal(maskBankAccount("000123456789", "110000000"), "xxxxxxxxxx89@110000000");
  });
  test("paytype and paystate", () => {
    assert.equal(normalizePaytype("personal CHECKING"), "Personal checking");
    assert.equal(normalizePaytype("Business savings"), "Business savings");
    assert.equal(normalizePaytype("Checking"), null);
    assert.equal(normalizePaystate("ca"), "CA");
    assert.equal(normalizePaystate("ZZ"), null);
  });
});

describe("checkPaybyFields (the one check for forms, insert_payby and process_payment)", () => {
  const check = (input: Record<string, unknown>) => checkPaybyFields(paybyFieldsSchema.parse(input), { now: NOW });
  test("a good card", () => {
    const r = check({ payby: "CARD", payinfo: "4111 1111 1111 1111", month: "12", year: "2030", payname: "Ada Lovelace", paycvv: "987" });
    assert.ok(r.ok);
    if (r.ok && r.value.kind === "card") {
      assert.equal(r.value.paymask, "xxxxxxxxxxxx1111");
      assert.equal(r.value.paydate, "2030-12-31");
      assert.equal(r.value.cardType, "VISA card");
      assert.equal(r.value.cvv, "987");
    }
  });
  test("errors name the field and never contain the number", () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ payinfo: "4111111111111112", paydate: "12/2030", payname: "A" }, "payinfo", "Invalid credit card number"],
      [{ payinfo: "4111111111111111", paydate: "01/2026", payname: "A" }, "paydate", "Expired card"],
      [{ payinfo: "4111111111111111", month: "1", year: "2026", payname: "A" }, "month", "Expired card"],
      [{ payinfo: "4111111111111111", paydate: "12/2030", payname: "" }, "payname", "Name on card is required"],
      [{ payinfo: "4111111111111111", paydate: "12/2030", payname: "<script>" }, "payname", "Illegal (name) payname: <script>"],
      [{ payinfo: "378282246310005", paydate: "12/2030", payname: "A", paycvv: "123" }, "paycvv", "CVV2 (CID) for American Express cards is four digits."],
      [{ payby: "CHEK", payinfo1: "12a", payinfo2: "110000000", payname: "Bank" }, "payinfo1", "illegal account number 12a"],
      [{ payby: "CHEK", payinfo: "000123456789@123456789", payname: "Bank" }, "payinfo", "illegal ABA/routing number 123456789"],
      [{ payby: "CHEK", payinfo: "000123456789@110000000", payname: "Bank", paytype: "Gold" }, "paytype", "Choose an account type: Personal checking, Personal savings, Business checking or Business savings"],
    ];
    for (const [input, field, message] of cases) {
      const r = check(input);
      assert.equal(r.ok, false, JSON.stringify(input));
      if (!r.ok) {
        assert.equal(r.message, message);
        assert.deepEqual(Object.keys(r.fieldErrors), [field]);
        assert.ok(!r.message.includes("4111111111111111"));
      }
    }
  });
  test("payby is refused unless CARD/DCRD/CHEK/DCHK", () => {
    assert.equal(paybyFieldsSchema.safeParse({ payby: "CASH" }).success, false);
    assert.equal(paybyFieldsSchema.safeParse({ payby: "dcrd" }).success, true);
  });
});
