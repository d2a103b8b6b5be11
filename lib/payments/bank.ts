/**
 * Bank accounts for electronic checks (ACH), Freeside's way: payinfo is `account@routing`,
 * the routing number is a 9-digit ABA number with its checksum, the account type is one of
 * Freeside's four paytypes and the bank's state is a state code. Pure functions, shared by the
 * browser form and the server.
 */
import { stateName } from "@/lib/customers/region-names";

/** Freeside's paytypes, in its order ('' first = not given). */
export const PAYTYPES = ["Personal checking", "Personal savings", "Business checking", "Business savings"] as const;
export type Paytype = (typeof PAYTYPES)[number];

/** payment_info's `paytypes`, exactly as Freeside sends them. */
export const FREESIDE_PAYTYPES: readonly string[] = ["", ...PAYTYPES];

/** The canonical paytype for any capitalisation ("personal CHECKING"), or null. */
export function normalizePaytype(input: string): Paytype | null {
  const s = input.trim().replace(/\s+/g, " ").toLowerCase();
  return PAYTYPES.find((p) => p.toLowerCase() === s) ?? null;
}

/** ABA routing number checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10). */
export function abaChecksumValid(routing: string): boolean {
  if (!/^\d{9}$/.test(routing)) return false;
  const d = [...routing].map(Number);
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0 && routing !== "000000000";
}

/** The value shown in Freeside's errors: bounded, printable. */
function shown(v: string): string {
  return v.replace(/[^\x20-\x7e]/g, "?").slice(0, 32);
}

/**
 * An account number in an error: Freeside echoes what was typed ("illegal account number 12a");
 * Portico keeps only its last four characters, so a card number typed into the account field
 * (or a real account number with a typo) never comes back in full.
 */
function shownAccount(v: string): string {
  const s = shown(v);
  return s.length <= 4 ? s : `${"x".repeat(s.length - 4)}${s.slice(-4)}`;
}

export const BANK_MESSAGES = {
  illegalAccount: (v: string) => `illegal account number ${shownAccount(v)}`,
  illegalRouting: (v: string) => `illegal ABA/routing number ${shown(v)}`,
} as const;

/** Splits Freeside's `account@routing` (or takes payinfo1 + payinfo2). Spaces are removed. */
export function splitBankPayinfo(input: { payinfo?: string | null; payinfo1?: string | null; payinfo2?: string | null }): { account: string; routing: string } {
  if (input.payinfo1 !== undefined && input.payinfo1 !== null && String(input.payinfo1).trim() !== "") {
    return { account: String(input.payinfo1).replace(/\s/g, ""), routing: String(input.payinfo2 ?? "").replace(/\s/g, "") };
  }
  const s = String(input.payinfo ?? "").replace(/\s/g, "");
  const at = s.lastIndexOf("@");
  return at < 0 ? { account: s, routing: "" } : { account: s.slice(0, at), routing: s.slice(at + 1) };
}

export type BankCheck = { ok: true; account: string; routing: string } | { ok: false; field: "account" | "routing"; message: string };

/**
 * Checks an account number (1–17 digits) and an ABA routing number (9 digits, checksum).
 * Freeside's texts: "illegal account number X" / "illegal ABA/routing number X".
 */
export function checkBankAccount(account: string, routing: string): BankCheck {
  if (!/^\d{1,17}$/.test(account)) return { ok: false, field: "account", message: BANK_MESSAGES.illegalAccount(account) };
  if (!abaChecksumValid(routing)) return { ok: false, field: "routing", message: BANK_MESSAGES.illegalRouting(routing) };
  return { ok: true, account, routing };
}

/** Freeside's paymask for a bank account: the account but its last two digits as `x`, then `@routing`. */
export function maskBankAccount(account: string, routing: string): string {
  const keep = account.length > 2 ? account.slice(-2) : "";
  return `${"x".repeat(Math.max(0, account.length - keep.length))}${keep}@${routing}`;
}

/** A US state code for the bank's state ("CA"), or null when it is not one. */
export function normalizePaystate(input: string): string | null {
  const s = input.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(s) && stateName("US", s) !== s ? s : null;
}

/** The US states (and DC) a bank can be in, code and name, by name: the bank state select's options. */
export function bankStateChoices(): { code: string; name: string }[] {
  const out: { code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = stateName("US", code);
      if (name !== code) out.push({ code, name });
    }
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}
