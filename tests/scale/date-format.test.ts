// lib/format/dates.ts prints dates without date-fns on the hot path (list pages and RPC lists
// print several per row); its output must stay exactly what date-fns' `format` of a TZDate gave.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { format } from "date-fns";
import { TZDate } from "@date-fns/tz";
import { formatDateDashed, formatDateHuman, formatDateIso, formatDateLong, formatDateShort } from "../../lib/format/dates";

const PATTERNS = [
  ["MMM do, yyyy", formatDateLong],
  ["MM/dd/yyyy", formatDateShort],
  ["MM-dd-yyyy", formatDateDashed],
  ["yyyy-MM-dd", formatDateIso],
  ["d MMM yyyy", formatDateHuman],
] as const;

const ZONES = ["UTC", "America/Los_Angeles", "America/St_Johns", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Kiritimati"];
const saved = process.env.PORTICO_TIMEZONE;
after(() => {
  if (saved === undefined) delete process.env.PORTICO_TIMEZONE;
  else process.env.PORTICO_TIMEZONE = saved;
});

function instants(): number[] {
  const out: number[] = [];
  // Every hour around DST changes and month ends, plus a spread over 1970–2199.
  for (const iso of ["2026-03-08T00:00:00Z", "2026-10-25T00:00:00Z", "2026-11-01T00:00:00Z", "2026-04-05T00:00:00Z", "2027-12-31T00:00:00Z", "2024-02-28T00:00:00Z"]) {
    const t = Date.parse(iso);
    for (let h = -30; h <= 54; h++) out.push(t + h * 3_600_000 + 59 * 60_000);
  }
  let x = 12345;
  for (let i = 0; i < 3000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(Math.floor((x / 2147483648) * Date.UTC(2199, 11, 31)));
  }
  out.push(0, Date.UTC(2000, 0, 1), Date.UTC(2199, 11, 31, 23, 59, 59));
  return out;
}

describe("date formatting matches date-fns", () => {
  for (const zone of ZONES) {
    test(zone, () => {
      process.env.PORTICO_TIMEZONE = zone;
      for (const ms of instants()) {
        for (const [pattern, fn] of PATTERNS) {
          const expected = format(new TZDate(ms, zone), pattern);
          assert.equal(fn(new Date(ms)), expected, `${pattern} of ${new Date(ms).toISOString()} in ${zone}`);
          if (ms % 1000 === 0) assert.equal(fn(ms / 1000), expected, `${pattern} of unix ${ms / 1000} in ${zone}`);
        }
      }
    });
  }

  test("an invalid date throws, as date-fns does", () => {
    process.env.PORTICO_TIMEZONE = "UTC";
    assert.throws(() => formatDateLong(new Date(NaN)), RangeError);
    assert.throws(() => formatDateShort(Number.NaN), RangeError);
  });

  test("it is faster than date-fns' format for the same dates (a ratio, so a busy machine can't fail it)", () => {
    for (const zone of ["UTC", "America/Los_Angeles"]) {
      process.env.PORTICO_TIMEZONE = zone;
      const dates = Array.from({ length: 20_000 }, (_, i) => new Date(1_700_000_000_000 + i * 86_400_000));
      const t0 = performance.now();
      for (const d of dates) formatDateLong(d);
      const ours = performance.now() - t0;
      const t1 = performance.now();
      for (const d of dates) format(new TZDate(d.getTime(), zone), "MMM do, yyyy");
      const theirs = performance.now() - t1;
      assert.ok(ours < theirs, `${zone}: ours ${ours.toFixed(0)} ms, date-fns ${theirs.toFixed(0)} ms`);
    }
  });
});
