// bench/lib/balancer.ts, the scale-out measurement's Node balancer, against real node:http
// backends: round robin, keep-alive to the backends, bodies and answers piped through unchanged.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { forwardedHeaders, roundRobin, startBalancer, type Balancer } from "../../bench/lib/balancer";

describe("roundRobin", () => {
  test("gives each backend in turn, from the first", () => {
    const next = roundRobin(3);
    assert.deepEqual(Array.from({ length: 7 }, next), [0, 1, 2, 0, 1, 2, 0]);
    const one = roundRobin(1);
    assert.deepEqual([one(), one()], [0, 0]);
  });

  test("needs at least one backend", () => {
    assert.throws(() => roundRobin(0), /at least one backend/);
  });
});

test("forwardedHeaders drops the hop-by-hop headers and those the Connection header names", () => {
  assert.deepEqual(forwardedHeaders({ host: "a", connection: "keep-alive, x-trace", "keep-alive": "timeout=5", "x-trace": "1", "transfer-encoding": "chunked", cookie: "s=1" }), { host: "a", cookie: "s=1" });
});

describe("the balancer in front of two backends", () => {
  const backends: Server[] = [];
  const sockets: number[] = [0, 0];
  let balancer: Balancer;

  before(async () => {
    for (const n of [0, 1]) {
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          if (req.url === "/busy") {
            res.writeHead(503, { "retry-after": "2", "content-type": "text/plain" });
            return res.end("busy");
          }
          res.writeHead(200, { "content-type": "application/json", "x-backend": String(n), "set-cookie": ["a=1", "b=2"] });
          res.end(JSON.stringify({ backend: n, method: req.method, url: req.url, cookie: req.headers.cookie ?? null, body: Buffer.concat(chunks).toString("utf8") }));
        });
      });
      server.on("connection", () => sockets[n]!++);
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      backends.push(server);
    }
    balancer = await startBalancer(backends.map((s) => ({ host: "127.0.0.1", port: (s.address() as AddressInfo).port })));
  });

  after(async () => {
    await balancer.close();
    for (const s of backends) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  test("requests alternate between the backends, with method, path, headers, body and answer passed through", async () => {
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await fetch(`${balancer.url}/account?i=${i}`, { method: "POST", headers: { cookie: "portico.session=abc", "content-type": "text/plain" }, body: `body ${i}` });
      assert.equal(r.status, 200);
      assert.deepEqual(r.headers.getSetCookie(), ["a=1", "b=2"]);
      const j = (await r.json()) as { backend: number; method: string; url: string; cookie: string; body: string };
      assert.equal(r.headers.get("x-backend"), String(j.backend));
      assert.deepEqual({ method: j.method, url: j.url, cookie: j.cookie, body: j.body }, { method: "POST", url: `/account?i=${i}`, cookie: "portico.session=abc", body: `body ${i}` });
      seen.push(j.backend);
    }
    assert.deepEqual(seen, [0, 1, 0, 1]);
  });

  test("a 503 with Retry-After comes through as it is", async () => {
    const r = await fetch(`${balancer.url}/busy`);
    assert.equal(r.status, 503);
    assert.equal(r.headers.get("retry-after"), "2");
    assert.equal(await r.text(), "busy");
  });

  test("under concurrent load every request is answered, split evenly, over reused keep-alive connections", async () => {
    const before = [...balancer.counts];
    const socketsBefore = [...sockets];
    // 4 rounds of 16 concurrent requests.
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => fetch(`${balancer.url}/x${i}`).then((r) => r.json() as Promise<{ backend: number }>)));
      assert.equal(answers.length, 16);
    }
    const split = balancer.counts.map((n, i) => n - before[i]!);
    assert.deepEqual(split, [32, 32]);
    const opened = sockets.map((n, i) => n - socketsBefore[i]!);
    assert.ok(opened.every((n) => n <= 16), `backend connections are kept alive and reused (opened ${opened.join("/")} for 32 requests each)`);
  });

  test("a backend that is down: 502, and the next request goes to the other", async () => {
    const dead = await startBalancer([{ host: "127.0.0.1", port: 1 }, { host: "127.0.0.1", port: (backends[0]!.address() as AddressInfo).port }]);
    try {
      const a = await fetch(`${dead.url}/`);
      assert.equal(a.status, 502);
      const b = await fetch(`${dead.url}/`);
      assert.equal(b.status, 200);
    } finally {
      await dead.close();
    }
  });
});
