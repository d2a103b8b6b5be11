/**
 * One error taxonomy for every surface. Domain functions throw `AppError`; pages, server
 * actions and the RPC endpoints translate it: HTTP status, XML-RPC/JSON-RPC in-band `{ error }`,
 * form messages. Anything that is not an AppError is unexpected: logged with a correlation id,
 * shown to people as a plain "something went wrong".
 */
export const ERROR_CODES = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYMENT_DECLINED: 402,
  GATEWAY_ERROR: 502,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors?: FieldErrors;
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options?: { fieldErrors?: FieldErrors; retryAfterSeconds?: number; cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options?.fieldErrors;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }
}

/** Freeside's exact text for a missing, unknown or expired session. */
export const SESSION_ERROR = "Can't resume session";

export const notFound = (message: string) => new AppError("NOT_FOUND", message);
export const invalidInput = (message: string, fieldErrors?: FieldErrors) => new AppError("INVALID_INPUT", message, { fieldErrors });
export const unauthenticated = () => new AppError("UNAUTHENTICATED", SESSION_ERROR);

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** A short random id to tie a user-facing "something went wrong" to the server log line. */
export function correlationId(): string {
  return Math.random().toString(36).slice(2, 10);
}

/** Logs an unexpected error with a correlation id and returns the id. Never logs request bodies. */
export function logUnexpected(where: string, error: unknown): string {
  const id = correlationId();
  console.error(`[portico] unexpected error in ${where} (ref ${id}): ${describeForLog(error)}`);
  return id;
}

/**
 * An error as the log may see it: name, message and stack frames, with a failed query's
 * parameters cut out. Drizzle's message is "Failed query: <sql>\nparams: <values>", and a value
 * may itself hold newlines (or text that looks like a stack frame), so everything from
 * "params:" to the end of the message goes, wherever it occurs (the stack repeats the message).
 */
export function describeForLog(error: unknown): string {
  if (!(error instanceof Error)) return redactQueryParams(String(error));
  const head = `${error.name}: ${error.message}`;
  const stack = error.stack ?? "";
  const frames = stack.startsWith(head) ? stack.slice(head.length) : stack.split("\n").filter((l) => /^\s+at /.test(l)).map((l) => `\n${l}`).join("");
  return `${error.name}: ${redactQueryParams(error.message)}${frames}`;
}

/** Cuts a failed query's parameters (drizzle's "params: …", to the end of the text) out of a message. */
export function redactQueryParams(text: string): string {
  const at = text.search(/(^|\n)\s*params:/);
  if (at < 0) return text;
  const keep = text.slice(0, at);
  return `${keep}${keep ? "\n" : ""}params: [redacted]`;
}
