// Pure decisions of `npm test` (scripts/test.mjs), kept apart so tests/tooling can check them
// without a PostgreSQL or a browser: what to run, which PostgreSQL, which Chromium.

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
export const SYSTEM_CHROMIUM = "/usr/bin/chromium";
export const INSTALL_CHROMIUM = "npx playwright install chromium";

/**
 * The command line of `npm test -- …`:
 *   (nothing)                    every node:test file, tests/core again on PGlite, then e2e
 *   --no-e2e                     without the browser part (also PORTICO_SKIP_E2E=1)
 *   PATH…                        only these test files / folders (no PGlite rerun, no e2e)
 *   --e2e [ARG…]                 also e2e; every argument after it goes to Playwright
 *   --only-e2e [ARG…]            only e2e; the other arguments go to Playwright
 * e.g. `npm test -- tests/core --e2e e2e/login.spec.ts`.
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} [env]
 */
export function parseTestArgs(argv, env = {}) {
  const onlyAt = argv.indexOf("--only-e2e");
  if (onlyAt !== -1) {
    return { unit: false, unitTargets: [], pglite: false, e2e: true, playwrightArgs: argv.filter((a) => a !== "--only-e2e") };
  }
  const e2eAt = argv.indexOf("--e2e");
  const own = e2eAt === -1 ? argv : argv.slice(0, e2eAt);
  const playwrightArgs = e2eAt === -1 ? [] : argv.slice(e2eAt + 1);
  const unknown = own.filter((a) => a.startsWith("--") && a !== "--no-e2e");
  if (unknown.length) throw new Error(`npm test: unknown option ${unknown.join(" ")} (see the header of scripts/test.mjs)`);
  const unitTargets = own.filter((a) => !a.startsWith("--"));
  const noE2e = own.includes("--no-e2e") || env.PORTICO_SKIP_E2E === "1";
  if (noE2e && e2eAt !== -1) throw new Error("npm test: --no-e2e (or PORTICO_SKIP_E2E=1) and --e2e contradict each other");
  return {
    unit: true,
    unitTargets,
    pglite: unitTargets.length === 0,
    e2e: e2eAt !== -1 || (!noE2e && unitTargets.length === 0),
    playwrightArgs,
  };
}

/**
 * Which PostgreSQL the run uses.
 *   PORTICO_TEST_EMBEDDED_PG=1   the embedded one, even if 5432 answers (CI's fresh-machine run)
 *   TEST_DATABASE_URL            that server, as before
 *   PORTICO_TEST_EMBEDDED_PG=0   127.0.0.1:5432 without looking (never the embedded one)
 *   otherwise                    127.0.0.1:5432 if something answers there, else the embedded one
 * @param {Record<string, string | undefined>} env
 * @param {() => Promise<boolean>} localAnswers  whether something accepts connections on 127.0.0.1:5432
 * @returns {Promise<{ embedded: true, why: string } | { embedded: false, url: string, why: string }>}
 */
export async function choosePostgres(env, localAnswers) {
  const force = env.PORTICO_TEST_EMBEDDED_PG;
  if (force === "1") {
    return { embedded: true, why: `PORTICO_TEST_EMBEDDED_PG=1${env.TEST_DATABASE_URL ? " (TEST_DATABASE_URL ignored)" : ""}` };
  }
  if (force !== undefined && force !== "" && force !== "0") throw new Error(`PORTICO_TEST_EMBEDDED_PG must be 1 or 0 (got ${force})`);
  if (env.TEST_DATABASE_URL) return { embedded: false, url: env.TEST_DATABASE_URL, why: "TEST_DATABASE_URL" };
  if (force === "0") return { embedded: false, url: DEFAULT_DATABASE_URL, why: "PORTICO_TEST_EMBEDDED_PG=0" };
  if (await localAnswers()) return { embedded: false, url: DEFAULT_DATABASE_URL, why: "it answers on 127.0.0.1:5432" };
  return { embedded: true, why: "nothing answers on 127.0.0.1:5432 and TEST_DATABASE_URL is unset" };
}

/** A database URL for printing: the password replaced. @param {string} url */
export function redactUrl(url) {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/**
 * Which Chromium the end-to-end tests run in.
 *   PLAYWRIGHT_CHROMIUM, then CHROMIUM_PATH: that file (it must exist); the value `playwright`
 *   means Playwright's own Chromium even when /usr/bin/chromium is there;
 *   else /usr/bin/chromium when present; else Playwright's own Chromium, installed when missing.
 * @param {{ env: Record<string, string | undefined>, exists: (p: string) => boolean, playwrightChromium: string }} o
 * @returns {{ path: string, source: string } | { install: true, path: string, why: string } | { error: string }}
 */
export function chooseChromium({ env, exists, playwrightChromium }) {
  let skipSystem = false;
  for (const name of ["PLAYWRIGHT_CHROMIUM", "CHROMIUM_PATH"]) {
    const value = env[name];
    if (!value) continue;
    if (value === "playwright") {
      skipSystem = true;
      break;
    }
    if (exists(value)) return { path: value, source: name };
    return {
      error:
        `${name}=${value}, and there is no such file. Point it at a Chromium or Chrome executable, ` +
        `set it to \`playwright\` for Playwright's own Chromium, or unset it (then ${SYSTEM_CHROMIUM} or Playwright's Chromium is used).`,
    };
  }
  if (!skipSystem && exists(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: "Debian's Chromium" };
  if (exists(playwrightChromium)) return { path: playwrightChromium, source: "Playwright's Chromium" };
  return {
    install: true,
    path: playwrightChromium,
    why: skipSystem ? "Playwright's Chromium was asked for and is not installed" : `${SYSTEM_CHROMIUM} is absent and Playwright's Chromium is not installed`,
  };
}

/**
 * The message that stops the run when no Chromium could be had.
 * @param {{ why: string, path: string, code: number | null, output: string }} o
 */
export function noChromiumMessage({ why, path, code, output }) {
  const errors = [...new Set(output.split("\n").map((l) => l.trim()).filter((l) => /^Error:/.test(l)))].slice(-3).map((l) => `      ${l}`);
  return [
    "npm test: no Chromium for the end-to-end tests — stopping before any test (nothing was skipped).",
    `  Why: ${why}, and \`${INSTALL_CHROMIUM}\` failed (exit ${code ?? "signal"}).`,
    "  It downloads the browser from Playwright's servers, which needs the internet; here the download failed" + (errors.length ? ":" : "."),
    ...errors,
    "  Do one of these, then run npm test again:",
    `    ${INSTALL_CHROMIUM}              # once this machine can reach the internet (installs ${path})`,
    `    apt-get install -y chromium                  # Debian's Chromium, used at ${SYSTEM_CHROMIUM}`,
    "    PLAYWRIGHT_CHROMIUM=/path/to/chrome npm test  # a Chromium or Chrome you have",
    "  Or run everything but the browser tests:  npm test -- --no-e2e",
  ].join("\n");
}
