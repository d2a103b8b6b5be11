/**
 * Money is integer cents in TypeScript and numeric(10,2) in PostgreSQL. Never a float.
 * These helpers convert between the two without ever passing through a binary float.
 */

/** Largest amount numeric(10,2) can hold, in cents. */
export const MAX_CENTS = 99_999_999_99;

/** "12.50" / "-3" / "0.5" (as PostgreSQL prints numeric) → 1250 / -300 / 50. Throws on anything else. */
export function parseDbMoney(value: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) throw new Error(`not a money value: ${JSON.stringify(value)}`);
  const cents = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] === "-" ? -cents : cents;
}

/** 1250 → "12.50", -5 → "-0.05". Freeside sends money as strings with two decimals. */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`not an integer number of cents: ${cents}`);
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** 1250 → "$12.50", -300 → "-$3.00" (Freeside's money_pretty). */
export function formatMoneyPretty(cents: number, moneyChar = "$"): string {
  const s = formatCents(Math.abs(cents));
  const [whole, frac] = s.split(".") as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${cents < 0 ? "-" : ""}${moneyChar}${grouped}.${frac}`;
}

/**
 * An amount sent as a number (a JSON number, an XML-RPC <double> or <int>) as Freeside's text:
 * a finite, non-negative number with at most two decimals as JavaScript renders it (12 → "12.00",
 * 12.5 → "12.50", 12.25 → "12.25"); null for anything else (12.345, -1, NaN, 1e21, 1e-7). A number
 * has no "one decimal" spelling of its own: 12.5 and 12.50 are the same JSON number.
 */
export function amountTextOfNumber(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  const m = /^(\d{1,8})(?:\.(\d{1,2}))?$/.exec(String(n));
  if (!m) return null;
  return `${m[1]}.${(m[2] ?? "").padEnd(2, "0")}`;
}

/**
 * Parses an amount typed by a person or sent by a client, Freeside's way:
 * digits with optional two decimals ("10", "10.50"); one decimal, three decimals,
 * signs, exponents and anything else are refused (returns null). A number (not text) is read
 * with amountTextOfNumber: at most two decimals, so 12.5 sent as a JSON number is $12.50.
 */
export function parseAmountInput(value: unknown): number | null {
  if (typeof value === "number") value = amountTextOfNumber(value);
  if (typeof value !== "string") return null;
  const m = /^\s*(\d{1,8})(?:\.(\d{2}))?\s*$/.exec(value);
  if (!m) return null;
  return Number(m[1]) * 100 + Number(m[2] ?? "0");
}

/** Rounds a rational number of cents (num/den, den > 0) half-up (away from zero on .5) to whole cents. */
export function roundHalfUpDiv(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new Error("denominator must be positive");
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (a * 2n + den) / (den * 2n);
  return neg ? -q : q;
}
