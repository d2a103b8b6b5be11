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

export type Env = z.infer<typeof envSchema> & { authSecret: string };

let cached: Env | undefined;

export class EnvError extends Error {}

/** Reads and validates the environment (memoised). Throws EnvError with every problem listed. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Portico cannot start: invalid environment\n${lines.join("\n")}`);
  }
  const authSecret = parsed.data.AUTH_SECRET ?? parsed.data.NEXTAUTH_SECRET;
  if (!authSecret || authSecret.length < 32) {
    throw new EnvError(
      "Portico cannot start: AUTH_SECRET must be set to at least 32 random characters (e.g. `openssl rand -hex 32`).",
    );
  }
  cached = { ...parsed.data, authSecret };
  return cached;
}

/** For tests: forget the memoised environment after changing process.env. */
export function resetEnvForTests(): void {
  cached = undefined;
}
