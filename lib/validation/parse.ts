import type { z } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";
import { isWellFormedText, toWellFormedText } from "./fields";

/**
 * The input with every string made well-formed (a lone UTF-16 surrogate becomes U+FFFD), so no
 * form, action or domain function ever hands PostgreSQL text it cannot store. Returns the same
 * object when nothing needed it (the common case: no copy).
 */
export function wellFormedInput(v: unknown, depth = 0): unknown {
  if (typeof v === "string") return isWellFormedText(v) ? v : toWellFormedText(v);
  if (depth > 32 || v === null || typeof v !== "object" || v instanceof Date || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    v.forEach((x, i) => {
      const y = wellFormedInput(x, depth + 1);
      if (y !== x) (out ??= [...v])[i] = y;
    });
    return out ?? v;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  let out: Record<string, unknown> | null = null;
  for (const [k, x] of Object.entries(v)) {
    const key = isWellFormedText(k) ? k : toWellFormedText(k);
    const y = wellFormedInput(x, depth + 1);
    if (y !== x || key !== k) {
      out ??= { ...(v as Record<string, unknown>) };
      if (key !== k) delete out[k];
      out[key] = y;
    }
  }
  return out ?? v;
}

/**
 * Parses input with a zod schema; on failure throws INVALID_INPUT whose message is the first
 * problem (Freeside clients show `error` as one line) and whose fieldErrors map every field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(wellFormedInput(input));
  if (result.success) return result.data;
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const first = result.error.issues[0];
  throw new AppError("INVALID_INPUT", first ? first.message : "Invalid input", { fieldErrors });
}
