import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests in the Chromium `npm test` chose and passes as PORTICO_CHROMIUM:
 * PLAYWRIGHT_CHROMIUM / CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own
 * (scripts/support/test-plan.mjs). Run directly, the same variables apply, /usr/bin/chromium last.
 * `npm test` builds the app, seeds a fresh PostgreSQL database with the demo ISP and passes it
 * as DATABASE_URL; Playwright starts `next start` on it and stops it afterwards.
 */
const chromium = process.env.PORTICO_CHROMIUM || process.env.PLAYWRIGHT_CHROMIUM || process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const PORT = Number(process.env.PORTICO_E2E_PORT ?? 3110);
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: "list",
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium === "playwright" ? undefined : chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, testIgnore: /responsive\.spec\.ts/ },
    { name: "phone", use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, testMatch: /responsive\.spec\.ts/ },
  ],
  webServer: {
    // The server `npm start` runs (Next.js behind scripts/server.mjs's client-address and availability rules).
    command: "node scripts/server.mjs",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 90_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      NEXTAUTH_URL: baseURL,
      AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-only-secret-e2e-only-secret-e2e-only-secret",
      PORTICO_VAULT_KEY: process.env.PORTICO_VAULT_KEY ?? "",
      PORTICO_SCRYPT_LOG_N: process.env.PORTICO_SCRYPT_LOG_N ?? "12",
      PORTICO_SCRYPT_P: process.env.PORTICO_SCRYPT_P ?? "1",
      PORTICO_TEST_WEAK_HASH: "1",
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { PGLITE_DIR: "memory" }),
    },
  },
});
