/** True when `e` (or a cause of it) is PostgreSQL's unique_violation, optionally on one constraint/index. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const c = cur as { code?: string; constraint_name?: string; constraint?: string };
    if (c.code === "23505") return !constraint || c.constraint_name === constraint || c.constraint === constraint;
  }
  return false;
}

/** True for serialization failures and deadlocks, which a transaction may retry. */
export function isRetryableTxError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: string }).code;
    if (code === "40001" || code === "40P01") return true;
  }
  return false;
}
