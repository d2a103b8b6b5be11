// The benchmark's baseline route (app/api/bench/trivial) is served only when the server runs with
// PORTICO_BENCH=1, as `npm run bench` starts it; a production server answers 404. (The baseline
// page, app/bench/trivial, makes the same check; it needs a request scope to run.)
import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";

const route = await import("../../app/api/bench/trivial/route");
const saved = process.env.PORTICO_BENCH;

describe("the trivial route handler", () => {
  afterEach(() => {
    if (saved === undefined) delete process.env.PORTICO_BENCH;
    else process.env.PORTICO_BENCH = saved;
  });

  test("404 for GET and POST without PORTICO_BENCH=1", async () => {
    for (const value of [undefined, "0", "true"]) {
      if (value === undefined) delete process.env.PORTICO_BENCH;
      else process.env.PORTICO_BENCH = value;
      assert.equal(route.GET().status, 404);
      assert.equal((await route.POST(new Request("http://x/api/bench/trivial", { method: "POST", body: '{"ping":1}' }))).status, 404);
    }
  });

  test("answers with PORTICO_BENCH=1", async () => {
    process.env.PORTICO_BENCH = "1";
    assert.equal(route.GET().status, 200);
    const r = await route.POST(new Request("http://x/api/bench/trivial", { method: "POST", body: '{"ping":1}' }));
    assert.deepEqual(await r.json(), { ok: true, bytes: 10 });
  });
});
