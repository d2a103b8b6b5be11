import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { eq, sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../support/db";
import { createTestCustomer, createWorld, orderTestPackage, type World } from "../support/fixtures";
import { billCustomer } from "../../lib/billing/bill-customer";
import { allocateTax, parseRateE4 } from "../../lib/billing/tax";
import { addMonthsAnchored, duePeriods } from "../../lib/billing/periods";
import { createPackageDefinition, createTaxRegions } from "../../lib/catalog/catalog-admin";
import { cancelPackage, suspendPackage } from "../../lib/packages/package-state";
import { queryRows } from "../../lib/db/rows";
import { custMain, custPkg } from "../../db/schema";
import { isAppError } from "../../lib/errors";

let t: TestDb;
let world: World;

before(async () => {
  t = await createTestDb();
  world = await createWorld(t.db);
});
after(() => t.drop());

const D = (iso: string) => new Date(iso);

interface Line {
  billpkgnum: number;
  pkgnum: number | null;
  setup: number;
  recur: number;
  unitrecur: number | null;
  quantity: number | null;
  sdate: string | null;
  edate: string | null;
  itemdesc: string | null;
}

async function invoiceLines(invnum: number): Promise<Line[]> {
  const rows = await queryRows<Line>(
    t.db,
    sql`SELECT billpkgnum, pkgnum, (setup * 100)::int AS setup, (recur * 100)::int AS recur, (unitrecur * 100)::int AS unitrecur, quantity,
               to_char(sdate AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS sdate,
               to_char(edate AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS edate, itemdesc
          FROM cust_bill_pkg WHERE invnum = ${invnum} ORDER BY billpkgnum`,
  );
  return rows.map((r) => ({ ...r, billpkgnum: Number(r.billpkgnum), pkgnum: r.pkgnum === null ? null : Number(r.pkgnum), setup: Number(r.setup), recur: Number(r.recur) }));
}

async function invoice(invnum: number) {
  const [row] = await queryRows<{ custnum: number; charged: number; owed: number; date: string }>(
    t.db,
    sql`SELECT custnum, (charged * 100)::int AS charged, (owed * 100)::int AS owed, to_char(_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS date
          FROM cust_bill WHERE invnum = ${invnum}`,
  );
  return row!;
}

async function invoiceCount(custnum: number): Promise<number> {
  const [r] = await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM cust_bill WHERE custnum = ${custnum}`);
  return Number(r!.n);
}

async function pkgDates(pkgnum: number) {
  const [p] = await t.db.select().from(custPkg).where(eq(custPkg.pkgnum, pkgnum));
  return p!;
}

function taxLines(lines: Line[]) {
  return lines.filter((l) => l.pkgnum === null).map((l) => ({ name: l.itemdesc, cents: l.setup + l.recur }));
}

const OAKLAND = { address1: "1 Broadway", address2: "", city: "Oakland", county: "Alameda", state: "CA", zip: "94607", country: "US" };

async function customerAt(location: Partial<typeof OAKLAND> | null) {
  return createTestCustomer(t.db, world, location === null ? {} : { location: { ...OAKLAND, ...location } });
}

describe("pure helpers", () => {
  test("tax rates parse exactly; allocation rounds the sum half-up and shares add up", () => {
    assert.equal(parseRateE4("10.25"), 102500);
    assert.equal(parseRateE4("8.6250"), 86250);
    assert.equal(parseRateE4("0"), 0);
    // 890.00 × 10.25 % = 91.225 → 91.23 (half-up)
    assert.deepEqual(allocateTax([89000], 102500), { totalCents: 9123, perLine: [9123] });
    // three 5-cent lines: 0.5125 c each; on the sum 1.5375 → 2 (per-line rounding would give 3)
    const r = allocateTax([5, 5, 5], 102500);
    assert.equal(r.totalCents, 2);
    assert.deepEqual(r.perLine, [1, 1, 0]);
    const big = allocateTax([995, 995, 995, 995], 102500);
    assert.equal(big.totalCents, 408);
    assert.equal(big.perLine.reduce((a, b) => a + b, 0), 408);
  });

  test("months in the ISP's timezone keep local midnight across DST and clamp to short months", () => {
    const tz = "America/Los_Angeles";
    const jan31 = D("2026-01-31T08:00:00Z"); // 00:00 PST
    assert.equal(addMonthsAnchored(jan31, 1, 31, tz).toISOString(), "2026-02-28T08:00:00.000Z");
    assert.equal(addMonthsAnchored(D("2026-02-28T08:00:00Z"), 1, 31, tz).toISOString(), "2026-03-31T07:00:00.000Z"); // PDT
    const periods = duePeriods({ bill: D("2026-01-01T08:00:00Z"), setup: null, freqMonths: 1, asOf: D("2026-04-01T07:00:00Z"), tz });
    assert.deepEqual(
      periods.map((p) => p.edate.toISOString()),
      ["2026-02-01T08:00:00.000Z", "2026-03-01T08:00:00.000Z", "2026-04-01T07:00:00.000Z", "2026-05-01T07:00:00.000Z"],
    );
    // UTC arithmetic would have said 08:00Z for April: local midnight is 07:00Z under PDT.
    assert.equal(duePeriods({ bill: D("2026-01-01T08:00:00Z"), setup: null, freqMonths: 1, asOf: D("2026-04-01T06:59:59Z"), tz }).length, 3);
  });
});

describe("billCustomer", () => {
  test("first bill: setup fee once plus the first period; the package's dates advance", async () => {
    const c = await customerAt(null);
    const { pkgnum } = await orderTestPackage(t.db, c.custnum, world.pkgparts.dslMonthly, { orderDate: D("2026-01-15T10:00:00Z") });

    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-01-15T12:00:00Z") });
    assert.ok(r.invnum);
    // 49.00 + 39.95 = 88.95; 10.25 % Alameda = 9.117… → 9.12
    assert.equal(r.totalCents, 8895 + 912);
    const lines = await invoiceLines(r.invnum);
    assert.deepEqual(
      lines.map((l) => [l.pkgnum, l.setup, l.recur, l.sdate, l.edate]),
      [
        [pkgnum, 4900, 3995, "2026-01-15T10:00Z", "2026-02-15T10:00Z"],
        [null, 912, 0, null, null],
      ],
    );
    assert.deepEqual(taxLines(lines), [{ name: "CA sales tax", cents: 912 }]);
    const inv = await invoice(r.invnum);
    assert.equal(inv.charged, 9807);
    assert.equal(inv.owed, 9807);
    assert.equal(inv.date, "2026-01-15T12:00Z");

    const p = await pkgDates(pkgnum);
    assert.equal(p.setup?.toISOString(), "2026-01-15T10:00:00.000Z");
    assert.equal(p.lastBill?.toISOString(), "2026-01-15T10:00:00.000Z");
    assert.equal(p.bill?.toISOString(), "2026-02-15T10:00:00.000Z");

    // Same date again: nothing due, no second invoice.
    assert.deepEqual(await billCustomer(t.db, c.custnum, { asOf: D("2026-01-15T12:00:00Z") }), { invnum: null, totalCents: 0 });
    assert.equal(await invoiceCount(c.custnum), 1);

    // Next month: the recurring fee only (no second setup).
    const r2 = await billCustomer(t.db, c.custnum, { asOf: D("2026-02-15T10:00:00Z") });
    assert.equal(r2.totalCents, 3995 + 409); // 4.094875 → 4.09
    const l2 = await invoiceLines(r2.invnum!);
    assert.deepEqual(
      l2.map((l) => [l.setup, l.recur, l.sdate, l.edate]),
      [
        [0, 3995, "2026-02-15T10:00Z", "2026-03-15T10:00Z"],
        [409, 0, null, null],
      ],
    );
    assert.equal((await pkgDates(pkgnum)).setup?.toISOString(), "2026-01-15T10:00:00.000Z", "setup date kept");
  });

  test("nothing due → no invoice; a package not yet due is left alone", async () => {
    const c = await customerAt(null);
    const { pkgnum } = await orderTestPackage(t.db, c.custnum, world.pkgparts.hosting, { orderDate: D("2026-05-01T00:00:00Z") });
    assert.deepEqual(await billCustomer(t.db, c.custnum, { asOf: D("2026-04-30T23:59:59Z") }), { invnum: null, totalCents: 0 });
    assert.equal(await invoiceCount(c.custnum), 0);
    assert.equal((await pkgDates(pkgnum)).setup, null);
  });

  test("multi-period catch-up: one line per whole period, tax on their sum", async () => {
    const c = await customerAt(null);
    const { pkgnum } = await orderTestPackage(t.db, c.custnum, world.pkgparts.hosting, { orderDate: D("2026-01-01T00:00:00Z") });
    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-04-10T00:00:00Z") });
    const lines = await invoiceLines(r.invnum!);
    assert.deepEqual(
      lines.filter((l) => l.pkgnum).map((l) => [l.recur, l.sdate, l.edate]),
      [
        [995, "2026-01-01T00:00Z", "2026-02-01T00:00Z"],
        [995, "2026-02-01T00:00Z", "2026-03-01T00:00Z"],
        [995, "2026-03-01T00:00Z", "2026-04-01T00:00Z"],
        [995, "2026-04-01T00:00Z", "2026-05-01T00:00Z"],
      ],
    );
    // 39.80 × 10.25 % = 4.0795 → 4.08
    assert.deepEqual(taxLines(lines), [{ name: "CA sales tax", cents: 408 }]);
    assert.equal(r.totalCents, 3980 + 408);
    const p = await pkgDates(pkgnum);
    assert.equal(p.bill?.toISOString(), "2026-05-01T00:00:00.000Z");
    assert.equal(p.lastBill?.toISOString(), "2026-04-01T00:00:00.000Z");
    // Per-line tax detail: one row per taxed line, adding up to the tax line.
    const detail = await queryRows<{ amount: number; taxable: number }>(
      t.db,
      sql`SELECT (d.amount * 100)::int AS amount, d.taxable_billpkgnum AS taxable FROM cust_bill_pkg_tax_location d
            JOIN cust_bill_pkg bp ON bp.billpkgnum = d.billpkgnum WHERE bp.invnum = ${r.invnum} ORDER BY d.taxable_billpkgnum`,
    );
    assert.equal(detail.length, 4);
    assert.equal(detail.reduce((s, d) => s + Number(d.amount), 0), 408);
  });

  test("yearly package: one period of twelve months, tax rounded half-up", async () => {
    const c = await customerAt(null);
    const { pkgnum } = await orderTestPackage(t.db, c.custnum, world.pkgparts.fibreYearly, { orderDate: D("2026-03-01T00:00:00Z") });
    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-03-01T00:00:00Z") });
    assert.equal(r.totalCents, 89000 + 9123); // 91.225 → 91.23
    const lines = await invoiceLines(r.invnum!);
    assert.deepEqual(lines[0]!.edate, "2027-03-01T00:00Z");
    assert.equal((await pkgDates(pkgnum)).bill?.toISOString(), "2027-03-01T00:00:00.000Z");
    assert.equal((await billCustomer(t.db, c.custnum, { asOf: D("2026-12-31T00:00:00Z") })).invnum, null);
  });

  test("one-time charge: billed once, then no bill date", async () => {
    const c = await customerAt(null);
    const { pkgnum } = await orderTestPackage(t.db, c.custnum, world.pkgparts.install, { orderDate: D("2026-02-10T00:00:00Z") });
    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-02-10T00:00:00Z") });
    assert.equal(r.totalCents, 9900 + 1015); // 10.1475 → 10.15
    const lines = await invoiceLines(r.invnum!);
    assert.deepEqual(
      lines.map((l) => [l.setup, l.recur, l.edate]),
      [
        [9900, 0, null],
        [1015, 0, null],
      ],
    );
    const p = await pkgDates(pkgnum);
    assert.equal(p.bill, null);
    assert.equal(p.setup?.toISOString(), "2026-02-10T00:00:00.000Z");
    assert.equal((await billCustomer(t.db, c.custnum, { asOf: D("2027-01-01T00:00:00Z") })).invnum, null);
  });

  test("quantity multiplies the fees; unit prices are kept", async () => {
    const c = await customerAt(null);
    await orderTestPackage(t.db, c.custnum, world.pkgparts.hosting, { orderDate: D("2026-01-01T00:00:00Z"), quantity: 3 });
    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-01-01T00:00:00Z") });
    const [line] = await invoiceLines(r.invnum!);
    assert.equal(line!.recur, 2985);
    assert.equal(Number(line!.unitrecur), 995);
    assert.equal(Number(line!.quantity), 3);
    assert.equal(r.totalCents, 2985 + 306); // 3.059625 → 3.06
  });

  test("suspended and cancelled packages are not billed", async () => {
    const c = await customerAt(null);
    const live = await orderTestPackage(t.db, c.custnum, world.pkgparts.hosting, { orderDate: D("2026-01-01T00:00:00Z") });
    const susp = await orderTestPackage(t.db, c.custnum, world.pkgparts.dslMonthly, { orderDate: D("2026-01-01T00:00:00Z") });
    const canc = await orderTestPackage(t.db, c.custnum, world.pkgparts.fibreYearly, { orderDate: D("2026-01-01T00:00:00Z") });
    await t.db.transaction(async (tx) => {
      await suspendPackage(tx, c.custnum, susp.pkgnum, D("2025-12-31T00:00:00Z"));
      await cancelPackage(tx, c.custnum, canc.pkgnum, D("2025-12-31T00:00:00Z"));
    });
    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-01-01T00:00:00Z") });
    const lines = await invoiceLines(r.invnum!);
    assert.deepEqual([...new Set(lines.filter((l) => l.pkgnum).map((l) => l.pkgnum))], [live.pkgnum]);
    assert.equal((await pkgDates(susp.pkgnum)).setup, null);
    assert.equal((await pkgDates(canc.pkgnum)).setup, null);
  });

  test("two runs at the same time for the same customer make one invoice", async () => {
    const c = await customerAt(null);
    await orderTestPackage(t.db, c.custnum, world.pkgparts.dslMonthly, { orderDate: D("2026-01-01T00:00:00Z") });
    const asOf = D("2026-01-01T00:00:00Z");
    const results = await Promise.all([billCustomer(t.db, c.custnum, { asOf }), billCustomer(t.db, c.custnum, { asOf })]);
    assert.equal(results.filter((r) => r.invnum !== null).length, 1);
    assert.equal(await invoiceCount(c.custnum), 1);
  });

  test("an unknown customer is not found", async () => {
    await assert.rejects(billCustomer(t.db, 99_999_999, { asOf: new Date() }), (e: unknown) => isAppError(e) && e.code === "NOT_FOUND");
  });
});

describe("taxes", () => {
  async function billOne(location: Partial<typeof OAKLAND>, pkgpart: number, asOf = D("2026-01-01T00:00:00Z")) {
    const c = await customerAt(location);
    await orderTestPackage(t.db, c.custnum, pkgpart, { orderDate: asOf });
    const r = await billCustomer(t.db, c.custnum, { asOf });
    return { c, r, lines: await invoiceLines(r.invnum!) };
  }

  test("county → state fallback: a county with no row of its own gets the state's rate", async () => {
    const { lines } = await billOne({ city: "Los Angeles", county: "", zip: "90012" }, world.pkgparts.dslMonthly);
    // 88.95 × 7.25 % = 6.448875 → 6.45
    assert.deepEqual(taxLines(lines), [{ name: "CA sales tax", cents: 645 }]);
    const wa = await billOne({ city: "Spokane", county: "", state: "WA", zip: "99201" }, world.pkgparts.hosting);
    assert.deepEqual(taxLines(wa.lines), [{ name: "WA sales tax", cents: 65 }]); // 9.95 × 6.5 % = 0.64675 → 0.65
    const king = await billOne({ city: "Seattle", county: "King", state: "WA", zip: "98101" }, world.pkgparts.hosting);
    assert.deepEqual(taxLines(king.lines), [{ name: "WA sales tax", cents: 100 }]); // 10.1 % = 1.00495 → 1.00
  });

  test("state → country fallback (GB VAT), and a zero rate makes no tax line", async () => {
    const gb = await billOne({ city: "London", county: "", state: "", zip: "SW1A 1AA", country: "GB" }, world.pkgparts.hosting);
    assert.deepEqual(taxLines(gb.lines), [{ name: "VAT", cents: 199 }]);
    const or = await billOne({ city: "Portland", county: "", state: "OR", zip: "97201" }, world.pkgparts.hosting);
    assert.deepEqual(taxLines(or.lines), []);
    assert.equal(or.r.totalCents, 995);
  });

  test("a tax exempt from setup (San Francisco) taxes only the recurring charge", async () => {
    const { r, lines } = await billOne({ city: "San Francisco", county: "San Francisco", zip: "94103" }, world.pkgparts.dslMonthly);
    // only 39.95 × 8.625 % = 3.4456875 → 3.45
    assert.deepEqual(taxLines(lines), [{ name: "CA sales tax", cents: 345 }]);
    assert.equal(r.totalCents, 8895 + 345);
  });

  test("a package exempt from tax on its setup fee", async () => {
    const pkgpart = await t.db.transaction((tx) =>
      createPackageDefinition(tx, { pkg: "Exempt setup", freqMonths: 1, setupFeeCents: 2000, recurFeeCents: 1000, setupTaxExempt: true }),
    );
    const { r, lines } = await billOne({}, pkgpart);
    assert.deepEqual(taxLines(lines), [{ name: "CA sales tax", cents: 103 }]); // 10.00 × 10.25 % = 1.025 → 1.03
    assert.equal(r.totalCents, 3000 + 103);
  });

  test("several tax names: one line each (BC GST and PST)", async () => {
    const { lines, r } = await billOne({ city: "Vancouver", county: "", state: "BC", zip: "V6B 1A1", country: "CA" }, world.pkgparts.dslMonthly);
    // 88.95 × 5 % = 4.4475 → 4.45; × 7 % = 6.2265 → 6.23
    assert.deepEqual(taxLines(lines), [
      { name: "GST", cents: 445 },
      { name: "PST", cents: 623 },
    ]);
    assert.equal(r.totalCents, 8895 + 445 + 623);
  });

  test("one tax line per name, computed on the sum of the lines it taxes", async () => {
    const pkgpart = await t.db.transaction((tx) => createPackageDefinition(tx, { pkg: "Nickel", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 5 }));
    const c = await customerAt({});
    for (let i = 0; i < 3; i++) await orderTestPackage(t.db, c.custnum, pkgpart, { orderDate: D("2026-01-01T00:00:00Z") });
    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-01-01T00:00:00Z") });
    const lines = await invoiceLines(r.invnum!);
    // 0.15 × 10.25 % = 0.015375 → 0.02 (rounding each 0.05125 line would make 0.03)
    assert.deepEqual(taxLines(lines), [{ name: "CA sales tax", cents: 2 }]);
    assert.equal(r.totalCents, 17);
  });

  test("per tax class: a class-specific rate replaces the general one; the package's location counts", async () => {
    await t.db.transaction((tx) => createTaxRegions(tx, [{ country: "US", state: "WA", county: "King", taxclass: "telecom", tax: "5", taxname: "Telecom tax" }]));
    const c = await customerAt({ city: "Seattle", county: "King", state: "WA", zip: "98101" });
    await orderTestPackage(t.db, c.custnum, world.pkgparts.voip, { orderDate: D("2026-01-01T00:00:00Z") });
    await orderTestPackage(t.db, c.custnum, world.pkgparts.hosting, { orderDate: D("2026-01-01T00:00:00Z") });
    // A VoIP line at an Alameda address: telecom falls back to the general Alameda rate there.
    const [loc] = await queryRows<{ locationnum: number }>(
      t.db,
      sql`INSERT INTO cust_location (custnum, address1, city, county, state, zip, country)
          VALUES (${c.custnum}, '9 Bay St', 'Oakland', 'Alameda', 'CA', '94607', 'US') RETURNING locationnum`,
    );
    const far = await orderTestPackage(t.db, c.custnum, world.pkgparts.voip, { orderDate: D("2026-01-01T00:00:00Z") });
    await t.db.update(custPkg).set({ locationnum: Number(loc!.locationnum) }).where(eq(custPkg.pkgnum, far.pkgnum));

    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-01-01T00:00:00Z") });
    const lines = await invoiceLines(r.invnum!);
    assert.deepEqual(taxLines(lines), [
      { name: "Telecom tax", cents: 125 }, // 24.95 × 5 % = 1.2475 → 1.25
      { name: "WA sales tax", cents: 100 }, // 9.95 × 10.1 % → 1.00
      { name: "CA sales tax", cents: 256 }, // 24.95 × 10.25 % = 2.557375 → 2.56
    ]);
    assert.equal(r.totalCents, 2495 * 2 + 995 + 125 + 100 + 256);
  });

  test("a tax-exempt customer pays no tax", async () => {
    const c = await customerAt({});
    await t.db.update(custMain).set({ tax: "Y" }).where(eq(custMain.custnum, c.custnum));
    await orderTestPackage(t.db, c.custnum, world.pkgparts.dslMonthly, { orderDate: D("2026-01-01T00:00:00Z") });
    const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-01-01T00:00:00Z") });
    assert.equal(r.totalCents, 8895);
    assert.deepEqual(taxLines(await invoiceLines(r.invnum!)), []);
  });
});

describe("timezone", () => {
  test("periods follow local months in PORTICO_TIMEZONE", async () => {
    const saved = process.env.PORTICO_TIMEZONE;
    process.env.PORTICO_TIMEZONE = "America/Los_Angeles";
    try {
      const c = await customerAt({});
      const { pkgnum } = await orderTestPackage(t.db, c.custnum, world.pkgparts.hosting, { orderDate: D("2026-01-31T08:00:00Z") });
      const r = await billCustomer(t.db, c.custnum, { asOf: D("2026-03-15T00:00:00Z") });
      const lines = (await invoiceLines(r.invnum!)).filter((l) => l.pkgnum);
      assert.deepEqual(
        lines.map((l) => [l.sdate, l.edate]),
        [
          ["2026-01-31T08:00Z", "2026-02-28T08:00Z"], // local midnight, PST
          ["2026-02-28T08:00Z", "2026-03-31T07:00Z"], // back on the 31st, local midnight under PDT
        ],
      );
      const r2 = await billCustomer(t.db, c.custnum, { asOf: D("2026-04-01T00:00:00Z") });
      assert.deepEqual(
        (await invoiceLines(r2.invnum!)).filter((l) => l.pkgnum).map((l) => [l.sdate, l.edate]),
        [["2026-03-31T07:00Z", "2026-04-30T07:00Z"]],
      );
      assert.equal((await pkgDates(pkgnum)).bill?.toISOString(), "2026-04-30T07:00:00.000Z");
      assert.equal((await billCustomer(t.db, c.custnum, { asOf: D("2026-04-01T00:00:00Z") })).invnum, null);
      // From a clamped Apr 30 the package returns to its setup day, the 31st.
      const r4 = await billCustomer(t.db, c.custnum, { asOf: D("2026-04-30T07:00:00Z") });
      assert.deepEqual((await invoiceLines(r4.invnum!)).filter((l) => l.pkgnum).map((l) => l.edate), ["2026-05-31T07:00Z"]);
    } finally {
      if (saved === undefined) delete process.env.PORTICO_TIMEZONE;
      else process.env.PORTICO_TIMEZONE = saved;
    }
  });
});

describe("invariants", () => {
  test("every invoice's lines add up to its total, and tax details to their tax lines", async () => {
    const bad = await queryRows<{ invnum: number }>(
      t.db,
      sql`SELECT b.invnum FROM cust_bill b
           WHERE b.charged <> (SELECT COALESCE(sum(setup + recur), 0) FROM cust_bill_pkg WHERE invnum = b.invnum)`,
    );
    assert.deepEqual([...bad], []);
    const badTax = await queryRows<{ billpkgnum: number }>(
      t.db,
      sql`SELECT bp.billpkgnum FROM cust_bill_pkg bp WHERE bp.pkgnum IS NULL
             AND bp.setup <> (SELECT COALESCE(sum(amount), 0) FROM cust_bill_pkg_tax_location WHERE billpkgnum = bp.billpkgnum)`,
    );
    assert.deepEqual([...badTax], []);
    const [n] = await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM cust_bill`);
    assert.ok(Number(n!.n) >= 15);
  });
});
