/**
 * Numbers from the URL (`?page=`, `/invoices/[invnum]`), read so that bad input never throws:
 * anything but a plain whole number is treated as "not given" (a page) or "not found" (an id).
 */

/** `?page=` → a page from 1; missing, non-numeric, zero or absurdly large values → 1. */
export function parsePageParam(value: string | string[] | undefined): number {
  const s = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!s || !/^\d{1,6}$/.test(s)) return 1;
  return Math.max(1, Number(s));
}

/** An invnum from the path: a whole number within PostgreSQL's integer range, else null. */
export function parseInvnumParam(value: string): number | null {
  if (!/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= 2_147_483_647 ? n : null;
}
