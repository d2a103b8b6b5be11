import type { z } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";

/**
 * Parses input with a zod schema; on failure throws INVALID_INPUT whose message is the first
 * problem (Freeside clients show `error` as one line) and whose fieldErrors map every field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const first = result.error.issues[0];
  throw new AppError("INVALID_INPUT", first ? first.message : "Invalid input", { fieldErrors });
}
