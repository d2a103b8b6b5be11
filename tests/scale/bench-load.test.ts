// bench/lib/load.ts against a real node:http server: 503s (the server's admission control refusing
// the excess) are counted apart from errors, with their own latency; the slowest good answer is
// kept; connection counts can differ between the sides of an interleaved measurement.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { measure, measureInterleaved, waitForQuietServer } from "../../bench/lib/load";
import type { Endpoint } from "../../bench/lib/endpoints";

const endpoint = (path: string): Endpoint => ({
  id: path.slice(1),
  label: path,
  kind: "page",
  baseline: null,
  list: false,
  request: () => ({ method: "GET", path, headers: {} }),
  verify: (b) => b === "ok",
});

describe("load measurements", () => {
  let server: Server;
  let url: string;
  let n = 0;
  let open = 0;
  let most = 0;
  let health = 0;

  before(async () => {
    server = createServer((req, res) => {
      open++;
      most = Math.max(most, open);
      res.on("close", () => open--);
      if (req.url === "/api/health") {
        // Busy for the first three checks, then quick.
        return void setTimeout(() => res.end("{}"), health++ < 3 ? 120 : 0);
      }
      if (req.url === "/mixed") {
        // 200, 503 (busy), 500, wrong body — in turn.
        const k = n++ % 4;
        if (k === 0) return res.end("ok");
        if (k === 1) return res.writeHead(503, { "retry-after": "2" }).end("busy");
        if (k === 2) return res.writeHead(500).end("boom");
        return res.end("not ok");
      }
      if (req.url === "/busy") {
        // Always refused, asking the client to come back in a second.
        return res.writeHead(503, { "retry-after": "1" }).end("busy");
      }
      setTimeout(() => res.end("ok"), 5);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  test("503s are refused, not bad; other statuses and wrong bodies are bad; throughput counts good answers only", async () => {
    const m = await measure(url, [endpoint("/mixed")], { connections: 2, seconds: 1 });
    const quarter = m.requests / 4;
    assert.ok(m.requests >= 40, `enough requests (${m.requests})`);
    assert.ok(Math.abs(m.refused - quarter) <= 2, `refused ≈ a quarter (${m.refused} of ${m.requests})`);
    assert.ok(Math.abs(m.bad - 2 * quarter) <= 4, `500s and wrong bodies are bad (${m.bad} of ${m.requests})`);
    assert.equal(m.errors, 0);
    assert.ok(Number.isFinite(m.refusedP99) && m.refusedP99 >= 0);
    assert.ok(Math.abs(m.rps * m.seconds - quarter) <= 3, `req/s from the good answers (${m.rps} req/s over ${m.seconds} s)`);
    assert.ok(m.max >= m.p99 && m.p99 >= m.p50);
    assert.ok(m.clientCores > 0 && Number.isFinite(m.clientLagP99));
  });

  test("waitForQuietServer waits until /api/health answers quickly twice in a row, within its timeout", async () => {
    health = 0;
    const waited = await waitForQuietServer(url);
    assert.ok(waited >= 3 * 120, `waited through the busy answers (${waited.toFixed(0)} ms)`);
    assert.ok(waited < 2000, `and no longer (${waited.toFixed(0)} ms)`);
    assert.equal(health, 5);
    health = 0;
    const capped = await waitForQuietServer(url, { quietMs: 0, timeoutMs: 300 });
    assert.ok(capped >= 300 && capped < 1000, `a server never quiet enough: the timeout (${capped.toFixed(0)} ms)`);
  });

  test("sides of an interleaved measurement each at their own connection count, throughput from the settled part of each turn", async () => {
    most = 0;
    const [one, many] = await measureInterleaved(
      [
        { id: "a", baseUrl: url, endpoint: endpoint("/slow"), connections: 1 },
        { id: "a", baseUrl: url, endpoint: endpoint("/slow"), connections: 6 },
      ],
      { connections: 8, seconds: 1, sliceSeconds: 0.5, settleSeconds: 0.2 },
    );
    assert.equal(one!.connections, 1);
    assert.equal(many!.connections, 6);
    // Six at once (a turn's last requests can still be finishing as the next turn starts).
    assert.ok(most >= 6, `six requests at once (${most})`);
    assert.ok(one!.refused === 0 && one!.bad === 0 && many!.bad === 0);
    // 5 ms per request: one connection ≤ ≈200/s, six ≈6× that.
    assert.ok(one!.rps > 20 && one!.rps < 210, `one connection ${one!.rps} req/s`);
    assert.ok(many!.rps > 2.5 * one!.rps, `six connections ${many!.rps} req/s against ${one!.rps}`);
  });

  test("the polite client waits a refused connection's Retry-After; the closed loop does not", async () => {
    const [polite] = await measureInterleaved([{ id: "busy", baseUrl: url, endpoint: endpoint("/busy"), connections: 4 }], {
      connections: 4,
      seconds: 3,
      sliceSeconds: 1.5,
      client: "polite",
    });
    // 4 connections, 2 turns of 1.5 s, each refused connection back after 1 s: at most 2 refusals per connection per turn.
    assert.ok(polite!.refused >= 8 && polite!.refused <= 16, `polite: ${polite!.refused} refused`);
    assert.equal(polite!.rps, 0);
    const closed = await measure(url, [endpoint("/busy")], { connections: 4, seconds: 1 });
    assert.ok(closed.refused > 100, `closed loop: ${closed.refused} refused`);
  });

  test("the polite client counts good answers and verifies bodies like autocannon", async () => {
    const [m] = await measureInterleaved([{ id: "ok", baseUrl: url, endpoint: endpoint("/ok"), connections: 2 }], { connections: 2, seconds: 2, sliceSeconds: 1, client: "polite" });
    assert.ok(m!.rps > 20, `rps ${m!.rps}`);
    assert.equal(m!.bad, 0);
    assert.equal(m!.refused, 0);
  });
});
