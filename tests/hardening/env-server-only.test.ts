import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Issue 22 §11: lib/env.ts holds the secrets, so it is `import "server-only"`: a client bundle
 * that reached it would fail to build. Scripts under plain Node still load it through
 * scripts/support/register.mjs, whose hook resolves "server-only" to an empty module.
 */
const ENV_MODULE = path.join(process.cwd(), "lib", "env.ts");
const probe = `import(${JSON.stringify(ENV_MODULE)}).then((m) => { console.log(typeof m.getEnv); }, (e) => { console.log("threw: " + e.message); process.exit(3); })`;

describe('lib/env.ts is "server-only"', () => {
  test("its first import is server-only", () => {
    const firstImport = /^\s*import\s+["']([^"']+)["']/m.exec(readFileSync(ENV_MODULE, "utf8"));
    assert.equal(firstImport?.[1], "server-only");
  });

  test("outside a server bundle (no server-only hook) it refuses to load", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", probe], { encoding: "utf8", env: process.env });
    assert.equal(r.status, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /threw: .*Client Component/);
  });

  test("scripts under plain Node (register.mjs) still load it", () => {
    const r = spawnSync(process.execPath, ["--import", "./scripts/support/register.mjs", "-e", probe], { encoding: "utf8", env: process.env });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim(), "function");
  });
});
