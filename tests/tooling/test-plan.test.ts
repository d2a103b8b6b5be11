// scripts/support/test-plan.mjs: what `npm test` runs, which PostgreSQL and which Chromium it
// uses. Pure decisions: nothing here depends on the machine having PostgreSQL or a browser.
import { describe, test } from "node:test";
import assert from "node:assert/strict";

type Env = Record<string, string | undefined>;
type Plan = { unit: boolean; unitTargets: string[]; pglite: boolean; e2e: boolean; playwrightArgs: string[] };
type PgChoice = { embedded: true; why: string } | { embedded: false; url: string; why: string };
type ChromiumChoice = { path: string; source: string } | { install: true; path: string; why: string } | { error: string };
const plan = (await import("../../scripts/support/test-plan.mjs" as string)) as {
  DEFAULT_DATABASE_URL: string;
  parseTestArgs: (argv: string[], env?: Env) => Plan;
  choosePostgres: (env: Env, localAnswers: () => Promise<boolean>) => Promise<PgChoice>;
  chooseChromium: (o: { env: Env; exists: (p: string) => boolean; playwrightChromium: string }) => ChromiumChoice;
  noChromiumMessage: (o: { why: string; path: string; code: number | null; output: string }) => string;
  redactUrl: (url: string) => string;
};

describe("parseTestArgs", () => {
  test("no arguments: every file, the PGlite rerun and e2e", () => {
    assert.deepEqual(plan.parseTestArgs([]), { unit: true, unitTargets: [], pglite: true, e2e: true, playwrightArgs: [] });
  });

  test("--no-e2e, or PORTICO_SKIP_E2E=1, leaves the browser out", () => {
    assert.equal(plan.parseTestArgs(["--no-e2e"]).e2e, false);
    assert.equal(plan.parseTestArgs([], { PORTICO_SKIP_E2E: "1" }).e2e, false);
    assert.equal(plan.parseTestArgs(["--no-e2e"]).pglite, true);
  });

  test("files or folders: only those, no PGlite rerun, no e2e", () => {
    assert.deepEqual(plan.parseTestArgs(["tests/core", "tests/x.test.ts"]), { unit: true, unitTargets: ["tests/core", "tests/x.test.ts"], pglite: false, e2e: false, playwrightArgs: [] });
  });

  test("--e2e: the files before it, then Playwright with everything after it", () => {
    assert.deepEqual(plan.parseTestArgs(["tests/core", "--e2e", "e2e/login.spec.ts", "--grep", "logs in"]), {
      unit: true,
      unitTargets: ["tests/core"],
      pglite: false,
      e2e: true,
      playwrightArgs: ["e2e/login.spec.ts", "--grep", "logs in"],
    });
    assert.deepEqual(plan.parseTestArgs(["--e2e", "e2e/login.spec.ts"]), { unit: true, unitTargets: [], pglite: true, e2e: true, playwrightArgs: ["e2e/login.spec.ts"] });
  });

  test("--only-e2e: no node:test, every other argument to Playwright", () => {
    assert.deepEqual(plan.parseTestArgs(["--only-e2e", "e2e/login.spec.ts", "--grep", "x"]), { unit: false, unitTargets: [], pglite: false, e2e: true, playwrightArgs: ["e2e/login.spec.ts", "--grep", "x"] });
  });

  test("an unknown option or a contradiction is refused, not ignored", () => {
    assert.throws(() => plan.parseTestArgs(["--e2e-only"]), /unknown option --e2e-only/);
    assert.throws(() => plan.parseTestArgs(["--no-e2e", "--e2e", "e2e/login.spec.ts"]), /contradict/);
  });
});

describe("choosePostgres", () => {
  const answers = (yes: boolean) => {
    const probe = async () => {
      probe.calls++;
      return yes;
    };
    probe.calls = 0;
    return probe;
  };

  test("nothing on 5432 and no TEST_DATABASE_URL: the embedded server", async () => {
    assert.deepEqual(await plan.choosePostgres({}, answers(false)), { embedded: true, why: "nothing answers on 127.0.0.1:5432 and TEST_DATABASE_URL is unset" });
  });

  test("something answers on 5432: that server, as before", async () => {
    assert.deepEqual(await plan.choosePostgres({}, answers(true)), { embedded: false, url: plan.DEFAULT_DATABASE_URL, why: "it answers on 127.0.0.1:5432" });
  });

  test("TEST_DATABASE_URL: that server, without probing 5432", async () => {
    const probe = answers(false);
    const url = "postgres://me:pw@localhost:6543/postgres";
    assert.deepEqual(await plan.choosePostgres({ TEST_DATABASE_URL: url }, probe), { embedded: false, url, why: "TEST_DATABASE_URL" });
    assert.equal(probe.calls, 0);
  });

  test("PORTICO_TEST_EMBEDDED_PG=1 forces the embedded server even when 5432 answers or a URL is set", async () => {
    assert.equal((await plan.choosePostgres({ PORTICO_TEST_EMBEDDED_PG: "1" }, answers(true))).embedded, true);
    const c = await plan.choosePostgres({ PORTICO_TEST_EMBEDDED_PG: "1", TEST_DATABASE_URL: "postgres://x@127.0.0.1/y" }, answers(true));
    assert.deepEqual(c, { embedded: true, why: "PORTICO_TEST_EMBEDDED_PG=1 (TEST_DATABASE_URL ignored)" });
  });

  test("PORTICO_TEST_EMBEDDED_PG=0 never starts one; any other value is refused", async () => {
    assert.deepEqual(await plan.choosePostgres({ PORTICO_TEST_EMBEDDED_PG: "0" }, answers(false)), { embedded: false, url: plan.DEFAULT_DATABASE_URL, why: "PORTICO_TEST_EMBEDDED_PG=0" });
    await assert.rejects(plan.choosePostgres({ PORTICO_TEST_EMBEDDED_PG: "yes" }, answers(false)), /must be 1 or 0 \(got yes\)/);
  });

  test("a URL is printed without its password", () => {
    assert.equal(plan.redactUrl("postgres://postgres:s3cret@127.0.0.1:4242/postgres"), "postgres://postgres:***@127.0.0.1:4242/postgres");
    assert.equal(plan.redactUrl(plan.DEFAULT_DATABASE_URL), plan.DEFAULT_DATABASE_URL);
  });
});

describe("chooseChromium", () => {
  const PW = "/root/.cache/ms-playwright/chromium-1/chrome-linux64/chrome";
  const on = (...present: string[]) => (p: string) => present.includes(p);

  test("Debian's /usr/bin/chromium when present", () => {
    assert.deepEqual(plan.chooseChromium({ env: {}, exists: on("/usr/bin/chromium", PW), playwrightChromium: PW }), { path: "/usr/bin/chromium", source: "Debian's Chromium" });
  });

  test("PLAYWRIGHT_CHROMIUM, then CHROMIUM_PATH, before /usr/bin/chromium", () => {
    const exists = on("/usr/bin/chromium", "/opt/a", "/opt/b");
    assert.deepEqual(plan.chooseChromium({ env: { PLAYWRIGHT_CHROMIUM: "/opt/a", CHROMIUM_PATH: "/opt/b" }, exists, playwrightChromium: PW }), { path: "/opt/a", source: "PLAYWRIGHT_CHROMIUM" });
    assert.deepEqual(plan.chooseChromium({ env: { CHROMIUM_PATH: "/opt/b" }, exists, playwrightChromium: PW }), { path: "/opt/b", source: "CHROMIUM_PATH" });
  });

  test("a variable naming a file that is not there stops the run, naming it (no silent fallback)", () => {
    const c = plan.chooseChromium({ env: { CHROMIUM_PATH: "/nowhere/chrome" }, exists: on("/usr/bin/chromium"), playwrightChromium: PW });
    assert.ok("error" in c);
    assert.match(c.error, /CHROMIUM_PATH=\/nowhere\/chrome, and there is no such file/);
  });

  test("no /usr/bin/chromium: Playwright's Chromium if installed, else install it", () => {
    assert.deepEqual(plan.chooseChromium({ env: {}, exists: on(PW), playwrightChromium: PW }), { path: PW, source: "Playwright's Chromium" });
    assert.deepEqual(plan.chooseChromium({ env: {}, exists: on(), playwrightChromium: PW }), { install: true, path: PW, why: "/usr/bin/chromium is absent and Playwright's Chromium is not installed" });
  });

  test("`playwright` asks for Playwright's Chromium even when /usr/bin/chromium is there", () => {
    const c = plan.chooseChromium({ env: { PLAYWRIGHT_CHROMIUM: "playwright" }, exists: on("/usr/bin/chromium"), playwrightChromium: PW });
    assert.deepEqual(c, { install: true, path: PW, why: "Playwright's Chromium was asked for and is not installed" });
  });

  test("the stop message gives the exact command and why", () => {
    const output = "Downloading…\nError: getaddrinfo EAI_AGAIN example.invalid\n    at x\nError: getaddrinfo EAI_AGAIN example.invalid\nError: Download failure, code=1\n";
    const m = plan.noChromiumMessage({ why: "/usr/bin/chromium is absent and Playwright's Chromium is not installed", path: PW, code: 1, output });
    assert.match(m, /^ {4}npx playwright install chromium +# once this machine can reach the internet/m);
    assert.match(m, /`npx playwright install chromium` failed \(exit 1\)/);
    assert.equal(m.match(/Error: getaddrinfo EAI_AGAIN example\.invalid/g)?.length, 1, "each error once");
    assert.match(m, /Error: Download failure, code=1/);
    assert.doesNotMatch(m, /at x/);
    assert.match(m, /nothing was skipped/);
  });
});
