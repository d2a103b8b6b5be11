import "server-only";
import { z } from "zod";

/**
 * The environment, validated once. A missing or malformed secret stops the boot with a clear
 * message instead of failing later inside a request.
 */
const optionalNonEmpty = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalNonEmpty,
  PGLITE_DIR: z.string().default(".data/pglite"),
  PGPOOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  AUTH_SECRET: optionalNonEmpty,
  NEXTAUTH_SECRET: optionalNonEmpty,
  PORTICO_VAULT_KEY: optionalNonEmpty,
  PORTICO_BACKEND_SECRET: optionalNonEmpty,
  PORTICO_GATEWAY: z.enum(["test"]).default("test"),
  PORTICO_TEST_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).default(15_000),
  PORTICO_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  PORTICO_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  PORTICO_SECURE_COOKIES: z.enum(["auto", "0", "1"]).default("auto"),
  PORTICO_TIMEZONE: z.string().default("UTC"),
  NEXTAUTH_URL: optionalNonEmpty,
});

/**
 * The password hash cost (lib/auth/password.ts): scrypt N = 2^PORTICO_SCRYPT_LOG_N, r, p.
 * Production defaults are N = 2^14, r = 8, p = 5; nothing below the floor N = 2^14, r = 8, p = 1
 * (OWASP's scrypt minimum) is accepted, because every login re-hashes a password to this cost.
 * Tests only: PORTICO_TEST_WEAK_HASH=1 (set by scripts/test.mjs and playwright.config.ts, never by
 * `npm start`) lifts the floor so their thousands of hashes stay fast.
 */
export const SCRYPT_FLOOR = { logN: 14, r: 8, p: 1 } as const;

const scryptSchema = z.object({
  PORTICO_SCRYPT_LOG_N: z.coerce.number().int().min(1).max(20).default(14),
  PORTICO_SCRYPT_R: z.coerce.number().int().min(1).max(32).default(8),
  PORTICO_SCRYPT_P: z.coerce.number().int().min(1).max(16).default(5),
  PORTICO_TEST_WEAK_HASH: z.enum(["0", "1"]).default("0"),
});

export interface ScryptSettings {
  logN: number;
  r: number;
  p: number;
}

/** The back-office secret's minimum length: shorter ones are refused and the back office stays off. */
export const BACKEND_SECRET_MIN_LENGTH = 32;

export type Env = z.infer<typeof envSchema> & {
  authSecret: string;
  /** PORTICO_BACKEND_SECRET when it is long enough, else undefined (the back office is off). */
  backendSecret: string | undefined;
  scrypt: ScryptSettings;
  /** What the start output should say about settings that were refused without stopping the boot. */
  warnings: string[];
};

const WARNED = Symbol.for("portico.env.warned");
let cached: Env | undefined;
let cachedScrypt: ScryptSettings | undefined;

export class EnvError extends Error {}

function formatIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `  ${i.path.map(String).join(".")}: ${i.message}`).join("\n");
}

/**
 * The validated scrypt cost (memoised). Separate from getEnv so that scripts which hash passwords
 * without the server's secrets (the demo seed) validate the cost all the same.
 */
export function getScryptSettings(): ScryptSettings {
  if (cachedScrypt) return cachedScrypt;
  const parsed = scryptSchema.safeParse(process.env);
  if (!parsed.success) throw new EnvError(`Portico cannot start: invalid environment\n${formatIssues(parsed.error.issues)}`);
  const { PORTICO_SCRYPT_LOG_N: logN, PORTICO_SCRYPT_R: r, PORTICO_SCRYPT_P: p, PORTICO_TEST_WEAK_HASH } = parsed.data;
  if (PORTICO_TEST_WEAK_HASH !== "1") {
    const low: string[] = [];
    if (logN < SCRYPT_FLOOR.logN) low.push(`PORTICO_SCRYPT_LOG_N=${logN} (N = 2^${logN}; the floor is ${SCRYPT_FLOOR.logN}, N = 2^${SCRYPT_FLOOR.logN})`);
    if (r < SCRYPT_FLOOR.r) low.push(`PORTICO_SCRYPT_R=${r} (the floor is ${SCRYPT_FLOOR.r})`);
    if (p < SCRYPT_FLOOR.p) low.push(`PORTICO_SCRYPT_P=${p} (the floor is ${SCRYPT_FLOOR.p})`);
    if (low.length) {
      throw new EnvError(
        `Portico cannot start: the password hash cost is below the safe floor: ${low.join(", ")}. ` +
          "Unset these variables for the default cost (N = 2^14, r = 8, p = 5). Only test runs may go lower, with PORTICO_TEST_WEAK_HASH=1.",
      );
    }
  }
  cachedScrypt = { logN, r, p };
  return cachedScrypt;
}

/** Reads and validates the environment (memoised). Throws EnvError with every problem listed. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) throw new EnvError(`Portico cannot start: invalid environment\n${formatIssues(parsed.error.issues)}`);
  const authSecret = parsed.data.AUTH_SECRET ?? parsed.data.NEXTAUTH_SECRET;
  if (!authSecret || authSecret.length < 32) {
    throw new EnvError(
      "Portico cannot start: AUTH_SECRET must be set to at least 32 random characters (e.g. `openssl rand -hex 32`).",
    );
  }
  const scrypt = getScryptSettings();
  const warnings: string[] = [];
  let backendSecret = parsed.data.PORTICO_BACKEND_SECRET;
  if (backendSecret && backendSecret.length < BACKEND_SECRET_MIN_LENGTH) {
    warnings.push(
      `PORTICO_BACKEND_SECRET is refused: it has ${backendSecret.length} characters, at least ${BACKEND_SECRET_MIN_LENGTH} are required ` +
        "(e.g. `openssl rand -hex 32`). The back-office API (/api/backend/*) stays off (404) until it is set to a longer one.",
    );
    backendSecret = undefined;
  }
  if (parsed.data.NODE_ENV === "production" && process.env.PORTICO_TEST_WEAK_HASH === "1" && (scrypt.logN < SCRYPT_FLOOR.logN || scrypt.r < SCRYPT_FLOOR.r)) {
    warnings.push(`PORTICO_TEST_WEAK_HASH=1: passwords are hashed below the safe floor (N = 2^${scrypt.logN}). For tests only.`);
  }
  // Once per process, though each Next bundle (instrumentation, proxy, routes) has its own copy of this module.
  const g = globalThis as { [WARNED]?: boolean };
  if (warnings.length && !g[WARNED]) {
    g[WARNED] = true;
    for (const w of warnings) console.warn(`[env] ${w}`);
  }
  cached = { ...parsed.data, PORTICO_BACKEND_SECRET: backendSecret, authSecret, backendSecret, scrypt, warnings };
  return cached;
}

/** For tests: forget the memoised environment after changing process.env. */
export function resetEnvForTests(): void {
  cached = undefined;
  cachedScrypt = undefined;
}
