/**
 * Card numbers and expiration dates, Freeside's way. Pure functions with no secrets and no
 * database, so the browser form and the server share them.
 *
 * Never put a card number in a message: every error here names the problem, not the number.
 */

/** Freeside's (Business::CreditCard's) card type names, as stored in `paycardtype`. */
export const CARD_TYPES = {
  visa: "VISA card",
  mastercard: "MasterCard",
  amex: "American Express card",
  discover: "Discover card",
  diners: "Diner's Club/Carte Blanche",
  jcb: "JCB",
  unionpay: "China Union Pay",
} as const;

export type CardType = (typeof CARD_TYPES)[keyof typeof CARD_TYPES];

/** payment_info's `card_types`: display name → the exact type string. */
export const CARD_TYPE_CHOICES: Record<string, CardType> = {
  VISA: CARD_TYPES.visa,
  MasterCard: CARD_TYPES.mastercard,
  "American Express": CARD_TYPES.amex,
  Discover: CARD_TYPES.discover,
  "Diners Club": CARD_TYPES.diners,
  JCB: CARD_TYPES.jcb,
  "China Union Pay": CARD_TYPES.unionpay,
};

/** Short names for people ("Visa ending 1111"). */
export function cardTypeLabel(type: string | null | undefined): string {
  switch (type) {
    case CARD_TYPES.visa:
      return "Visa";
    case CARD_TYPES.mastercard:
      return "Mastercard";
    case CARD_TYPES.amex:
      return "American Express";
    case CARD_TYPES.discover:
      return "Discover";
    case CARD_TYPES.diners:
      return "Diners Club";
    case CARD_TYPES.jcb:
      return "JCB";
    case CARD_TYPES.unionpay:
      return "UnionPay";
    default:
      return "Card";
  }
}

/** Freeside's message catalogue texts used for cards. */
export const CARD_MESSAGES = {
  invalidCard: "Invalid credit card number",
  unknownCardType: "Unknown card type",
  expiredCard: "Expired card",
  cvvAmex: "CVV2 (CID) for American Express cards is four digits.",
  cvvOther: "CVV2 (CVC2/CID) is three digits.",
} as const;

/** Removes the spaces and dashes people type between digit groups. Anything else stays (and fails). */
export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, "");
}

/** The Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function prefixBetween(digits: string, len: number, lo: number, hi: number): boolean {
  const p = Number(digits.slice(0, len));
  return digits.length >= len && p >= lo && p <= hi;
}

/** The card type from the number's prefix and length (IIN ranges), or null when unknown. */
export function detectCardType(digits: string): CardType | null {
  if (!/^\d+$/.test(digits)) return null;
  const n = digits.length;
  if (/^4/.test(digits)) return n === 13 || n === 16 || n === 19 ? CARD_TYPES.visa : null;
  if (/^5[1-5]/.test(digits) || prefixBetween(digits, 4, 2221, 2720)) return n === 16 ? CARD_TYPES.mastercard : null;
  if (/^3[47]/.test(digits)) return n === 15 ? CARD_TYPES.amex : null;
  if (/^6011/.test(digits) || /^64[4-9]/.test(digits) || /^65/.test(digits) || prefixBetween(digits, 6, 622126, 622925)) {
    return n >= 16 && n <= 19 ? CARD_TYPES.discover : null;
  }
  if (prefixBetween(digits, 4, 3528, 3589)) return n >= 16 && n <= 19 ? CARD_TYPES.jcb : null;
  if (/^3(0[0-5]|095|6|8|9)/.test(digits)) return n >= 14 && n <= 19 ? CARD_TYPES.diners : null;
  if (/^62/.test(digits)) return n >= 16 && n <= 19 ? CARD_TYPES.unionpay : null;
  return null;
}

export type CardCheck = { ok: true; digits: string; cardType: CardType } | { ok: false; message: string };

/**
 * Validates a card number: 12–19 digits after removing spaces/dashes, Luhn, a known type.
 * Messages are Freeside's (`invalid_card`, `unknown_card_type`) and never contain the number.
 */
export function checkCardNumber(input: string): CardCheck {
  const digits = normalizeCardNumber(input);
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) return { ok: false, message: CARD_MESSAGES.invalidCard };
  const cardType = detectCardType(digits);
  if (!cardType) return { ok: false, message: CARD_MESSAGES.unknownCardType };
  return { ok: true, digits, cardType };
}

/** Freeside's paymask for a card: every digit but the last four as `x` ("xxxxxxxxxxxx1111"). */
export function maskCardNumber(digits: string): string {
  const d = normalizeCardNumber(digits);
  if (d.length <= 4) return "x".repeat(d.length);
  return "x".repeat(d.length - 4) + d.slice(-4);
}

/** The last four digits shown to people ("•••• 1111"). */
export function lastFour(paymask: string): string {
  return paymask.slice(-4);
}

/** CVV: four digits for American Express, three for every other card. Returns an error message or null. */
export function cvvError(cvv: string, cardType: string | null): string | null {
  if (cardType === CARD_TYPES.amex) return /^\d{4}$/.test(cvv) ? null : CARD_MESSAGES.cvvAmex;
  return /^\d{3}$/.test(cvv) ? null : CARD_MESSAGES.cvvOther;
}

/* ------------------------------------------------------------------------------------------ */
/* Expiration dates                                                                            */
/* ------------------------------------------------------------------------------------------ */

export interface Expiration {
  month: number;
  year: number;
  /** `yyyy-mm-dd`, the last day of the expiration month (the card is good through that day). */
  paydate: string;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fullYear(y: string): number {
  return y.length === 2 ? 2000 + Number(y) : Number(y);
}

function toExpiration(month: number, year: number): Expiration | null {
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  if (!Number.isInteger(year) || year < 1970 || year > 2199) return null;
  const mm = String(month).padStart(2, "0");
  return { month, year, paydate: `${year}-${mm}-${String(lastDayOfMonth(year, month)).padStart(2, "0")}` };
}

/**
 * Reads an expiration date in every form Freeside's clients send: `yyyy-mm-dd` (also `yy-mm-dd`),
 * `mm/yyyy`, `m/yyyy`, `mm/yy`, `m/yy` (also with `-`), `m-d-yyyy` (expselect's other form),
 * or a separate month and year (2 or 4 digits). Returns null when it is not a date.
 */
export function parseExpiration(input: { paydate?: string | null; month?: string | number | null; year?: string | number | null }): Expiration | null {
  const month = input.month === undefined || input.month === null ? "" : String(input.month).trim();
  const year = input.year === undefined || input.year === null ? "" : String(input.year).trim();
  if (month !== "" || year !== "") {
    if (!/^\d{1,2}$/.test(month) || !/^(\d{2}|\d{4})$/.test(year)) return null;
    return toExpiration(Number(month), fullYear(year));
  }
  const s = (input.paydate ?? "").trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4}|\d{2})[/-](\d{1,2})[/-](\d{1,2})$/.exec(s))) return toExpiration(Number(m[2]), fullYear(m[1]!));
  if ((m = /^(\d{4})-(\d{1,2})$/.exec(s))) return toExpiration(Number(m[2]), Number(m[1]));
  if ((m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(s))) return toExpiration(Number(m[1]), Number(m[3]));
  if ((m = /^(\d{1,2})[/-](\d{2}|\d{4})$/.exec(s))) return toExpiration(Number(m[1]), fullYear(m[2]!));
  return null;
}

/** Year and month (1–12) of a moment, in UTC or a given IANA timezone. */
export function yearMonthOf(now: Date, timeZone = "UTC"): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric" }).formatToParts(now);
  return {
    year: Number(parts.find((p) => p.type === "year")?.value),
    month: Number(parts.find((p) => p.type === "month")?.value),
  };
}

/** A card is expired once its expiration month has passed (it is good through the month's last day). */
export function isExpired(exp: { month: number; year: number }, now: Date, timeZone = "UTC"): boolean {
  const cur = yearMonthOf(now, timeZone);
  return exp.year < cur.year || (exp.year === cur.year && exp.month < cur.month);
}

/** Freeside's "Illegal expiration date: X" (X is a date, never a number worth hiding, but bounded). */
export function illegalExpirationMessage(given: string): string {
  return `Illegal expiration date: ${given.slice(0, 20)}`;
}

/**
 * Parses and checks an expiration: a readable date, not expired, not absurdly far ahead
 * (20 years). Returns the expiration or an error message (Freeside's texts).
 */
export function checkExpiration(
  input: { paydate?: string | null; month?: string | number | null; year?: string | number | null },
  now: Date,
  timeZone = "UTC",
): { ok: true; value: Expiration } | { ok: false; message: string } {
  const exp = parseExpiration(input);
  const given = input.paydate ? String(input.paydate) : `${input.month ?? ""}/${input.year ?? ""}`;
  if (!exp) {
    if (!input.paydate && (input.month === undefined || input.month === null || input.month === "") && (input.year === undefined || input.year === null || input.year === "")) {
      return { ok: false, message: "Expiration date required" };
    }
    return { ok: false, message: illegalExpirationMessage(given) };
  }
  if (isExpired(exp, now, timeZone)) return { ok: false, message: CARD_MESSAGES.expiredCard };
  if (exp.year > yearMonthOf(now, timeZone).year + 20) return { ok: false, message: illegalExpirationMessage(given) };
  return { ok: true, value: exp };
}

/**
 * Reads a stored or expselect date for display: `yyyy-mm-dd`, `m-d-yyyy` or `m-yyyy`
 * (Freeside's expselect input). Returns month and year, or null.
 */
export function parseExpselectDate(date: string | null | undefined): { month: number; year: number } | null {
  const s = (date ?? "").trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})(?:-\d{1,2})?$/.exec(s))) return sane(Number(m[2]), Number(m[1]));
  if ((m = /^(\d{1,2})[-/]\d{1,2}[-/](\d{4})$/.exec(s))) return sane(Number(m[1]), Number(m[2]));
  if ((m = /^(\d{1,2})[-/](\d{4})$/.exec(s))) return sane(Number(m[1]), Number(m[2]));
  return null;
}

function sane(month: number, year: number): { month: number; year: number } | null {
  return month >= 1 && month <= 12 && year >= 1970 && year <= 2199 ? { month, year } : null;
}
