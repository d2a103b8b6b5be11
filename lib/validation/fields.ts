import { z } from "zod";

/**
 * Field builders shared by forms and RPC. XML-RPC clients send numbers and strings
 * interchangeably (Freeside sends every scalar as a string), so scalars are accepted as either
 * and normalised to trimmed strings. Every text is bounded in length.
 */
const toText = (v: unknown) => (typeof v === "number" || typeof v === "bigint" ? String(v) : v);

/** PostgreSQL text cannot hold U+0000: refused as input rather than failing in the database. */
export const hasNulCharacter = (s: string) => s.includes("\u0000");
const nulMessage = (label: string) => `${label} contains a character that is not allowed`;

/** A lone UTF-16 surrogate (JSON's "\\ud800", a broken form post) is not text: PostgreSQL cannot store it either. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isWellFormedText = (s: string) => !LONE_SURROGATE.test(s);

/** The same text with every lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
export const toWellFormedText = (s: string) => (isWellFormedText(s) ? s : s.replace(new RegExp(LONE_SURROGATE.source, "g"), "\uFFFD"));

export function requiredText(label: string, max: number) {
  return z.preprocess(
    toText,
    z
      .string({ error: `${label} is required` })
      .trim()
      .min(1, `${label} is required`)
      .max(max, `${label} must be at most ${max} characters`)
      .refine((t) => !hasNulCharacter(t), nulMessage(label)),
  );
}

/** Optional text: missing stays undefined ("leave alone"); "" stays "" ("clear"). */
export function optionalText(label: string, max: number) {
  return z.preprocess(
    (v) => (v === null ? "" : toText(v)),
    z
      .string({ error: `${label} must be text` })
      .trim()
      .max(max, `${label} must be at most ${max} characters`)
      .refine((t) => !hasNulCharacter(t), nulMessage(label))
      .optional(),
  );
}

/** A positive integer id given as number or digit string. */
export function idNumber(label: string) {
  return z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d{1,10}\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `${label} must be a number` })
      .int(`${label} must be a whole number`)
      .positive(`${label} must be a positive number`)
      .max(2_147_483_647, `${label} is out of range`),
  );
}

/** Freeside booleans: 1/0, "1"/"0", "Y"/"", true/false, "on". */
export function flagBoolean() {
  return z.preprocess((v) => {
    if (typeof v === "boolean") return v;
    if (v === undefined || v === null) return undefined;
    const s = String(v).trim().toLowerCase();
    return s === "1" || s === "y" || s === "yes" || s === "true" || s === "on";
  }, z.boolean().optional());
}

export const EMAIL_RE = /^[^\s@<>(),;:"[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isEmail(s: string): boolean {
  return s.length <= 80 && EMAIL_RE.test(s);
}
