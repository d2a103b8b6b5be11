// scripts/support/server-flags.mjs: the Node flags `npm start` and `npm run bench` give the
// production server, and that node itself accepts them.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const { serverNodeFlags } = (await import("../../scripts/support/server-flags.mjs" as string)) as { serverNodeFlags: (env?: Record<string, string | undefined>) => string[] };

describe("serverNodeFlags", () => {
  test("defaults: a 256 MB old generation that may grow to 3× the live heap between full collections", () => {
    assert.deepEqual(serverNodeFlags({}), ["--max-old-space-size=256", "--heap-growing-percent=200"]);
  });

  test("each can be set or turned off (0)", () => {
    assert.deepEqual(serverNodeFlags({ PORTICO_SERVER_HEAP_MB: "512", PORTICO_SERVER_HEAP_GROWTH_PERCENT: "0" }), ["--max-old-space-size=512"]);
    assert.deepEqual(serverNodeFlags({ PORTICO_SERVER_HEAP_MB: "0", PORTICO_SERVER_HEAP_GROWTH_PERCENT: "100" }), ["--heap-growing-percent=100"]);
  });

  test("a value that is not a whole number is refused, naming the variable", () => {
    assert.throws(() => serverNodeFlags({ PORTICO_SERVER_HEAP_MB: "lots" }), /PORTICO_SERVER_HEAP_MB must be a whole number of megabytes \(got lots\)/);
    assert.throws(() => serverNodeFlags({ PORTICO_SERVER_HEAP_GROWTH_PERCENT: "-5" }), /PORTICO_SERVER_HEAP_GROWTH_PERCENT must be a whole number of percent/);
    assert.throws(() => serverNodeFlags({ PORTICO_SERVER_HEAP_GROWTH_PERCENT: "1.5" }), /PORTICO_SERVER_HEAP_GROWTH_PERCENT/);
  });

  test("this node accepts the default flags", () => {
    const r = spawnSync(process.execPath, [...serverNodeFlags({}), "-e", "process.stdout.write('ok')"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "ok");
  });
});
