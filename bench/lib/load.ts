import autocannon, { type AutocannonRequest } from "autocannon";
import { Agent, request as httpRequest } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Endpoint } from "./endpoints";

/**
 * One measurement: autocannon at N connections for D seconds against one endpoint (or a mix),
 * every request a fresh rotation of the fixtures. Latencies are recorded per response with
 * sub-millisecond precision (autocannon's own histogram keeps whole milliseconds).
 */
export interface Measurement {
  id: string;
  connections: number;
  seconds: number;
  /** Good responses (2xx and verified) per second. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  /** The slowest good response (ms). */
  max: number;
  requests: number;
  /** Answers other than 2xx and 503, failed verifications, connection errors and timeouts (503s are `refused`). */
  bad: number;
  /** Connection errors and timeouts (autocannon's own `timeout` per request). */
  errors: number;
  /** 503 answers (the server's admission control refusing the excess: "busy"), and their p99 (ms). */
  refused: number;
  refusedP99: number;
  /**
   * The load generator itself (autocannon runs in the benchmark's process, on the same cores as
   * the server): CPU it used, in cores (1 = one core busy the whole time), and the p99 delay of its
   * event loop (ms) — a client that cannot keep up adds that much to every latency it records.
   */
  clientCores: number;
  clientLagP99: number;
}

/** Seconds autocannon waits for an answer before it counts a timeout and reconnects. */
export const REQUEST_TIMEOUT_SECONDS = 10;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** What one autocannon run saw, before it is summarised (several runs can be pooled). */
interface RawLoad {
  latencies: number[];
  refusedLatencies: number[];
  ok: number;
  /** Answers neither 2xx nor 503. */
  non2xx: number;
  mismatched: number;
  errors: number;
  seconds: number;
  clientCpuMs: number;
  clientLagP99: number;
  /** Good answers (2xx, verified) completed after the first `settleSeconds`, and the seconds after it. */
  settledGood: number;
  settledSeconds: number;
}

/**
 * What a run counts, whichever client drives it: answers by kind (2xx, 503 refused, other), the
 * good and the refused answers' latencies, every `verifyEvery`-th good body checked, what was
 * good after the first `settleSeconds`, and the load generator's own CPU and event-loop lag.
 * Created when the run starts.
 */
function startTally(opts: LoadOptions) {
  const settleMs = (opts.settleSeconds ?? 0) * 1000;
  const verifyEvery = opts.verifyEvery ?? 1;
  const t0 = performance.now();
  const settled = () => performance.now() - t0 >= settleMs;
  const latencies: number[] = [];
  const refusedLatencies: number[] = [];
  let ok = 0;
  let settledOk = 0;
  let non2xx = 0;
  let mismatched = 0;
  let settledMismatched = 0;
  let checked = 0;
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  return {
    /** One answer and how long it took (ms). */
    answer(status: number, ms: number): void {
      if (status >= 200 && status < 300) {
        ok++;
        if (settled()) settledOk++;
        latencies.push(ms);
      } else if (status === 503) refusedLatencies.push(ms);
      else non2xx++;
    },
    /** A good answer's body, checked when its turn comes. */
    verify(ep: Endpoint | undefined, status: number, body: string): void {
      if (status < 200 || status >= 300) return;
      if (checked++ % verifyEvery !== 0) return;
      if (ep && !ep.verify(body)) {
        mismatched++;
        if (settled()) settledMismatched++;
      }
    },
    finish(seconds: number, errors: number): RawLoad {
      lag.disable();
      const cpu = process.cpuUsage(cpu0);
      return {
        latencies,
        refusedLatencies,
        ok,
        non2xx,
        mismatched,
        errors,
        seconds,
        clientCpuMs: (cpu.user + cpu.system) / 1000,
        clientLagP99: lag.count ? lag.percentile(99) / 1e6 : NaN,
        settledGood: Math.max(0, settledOk - settledMismatched),
        settledSeconds: Math.max(0, seconds - settleMs / 1000),
      };
    },
  };
}

type LoadOptions = { connections: number; seconds: number; verifyEvery?: number; settleSeconds?: number };

async function runLoad(baseUrl: string, endpoints: Endpoint[], opts: LoadOptions): Promise<RawLoad> {
  let next = 0;
  const pick = () => {
    const n = next++;
    const ep = endpoints[n % endpoints.length]!;
    return { ep, req: ep.request(Math.floor(n / endpoints.length)) };
  };
  let tally: ReturnType<typeof startTally> | null = null;
  const first = pick();
  const requests: AutocannonRequest[] = [
    {
      ...first.req,
      setupRequest: (req, context) => {
        const { ep, req: r } = pick();
        context.ep = ep;
        return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
      },
      onResponse: (status, body, context) => tally?.verify(context.ep as Endpoint | undefined, status, body),
    },
  ];
  tally = startTally(opts);
  // One request in flight per connection (pipelining 1: a refused or slow answer cannot hold up
  // the next request on the same connection), a timeout well past any bound the server promises.
  const instance = autocannon({ url: baseUrl, connections: opts.connections, duration: opts.seconds, pipelining: 1, timeout: REQUEST_TIMEOUT_SECONDS, requests });
  instance.on("response", (_client: unknown, status: number, _bytes: number, time: number) => tally!.answer(status, time));
  const result = await instance;
  return tally.finish(result.duration, result.errors + result.timeouts);
}

/**
 * Which client drives a run:
 *  - "autocannon": closed loop — a connection sends its next request the moment the last is
 *    answered, whatever the answer (a 503 included);
 *  - "polite": the same, except that a connection refused with 503 waits the answer's Retry-After
 *    (within the run) before it sends again, as an API client or a person reloading the "busy"
 *    page does. Under a surge the closed loop turns every refusal into the next request at once —
 *    at 512 connections ~12,000 refusals a second on 2 cores (bench/README.md) — and measures that
 *    storm, not the server's throughput; the polite client measures what the server keeps serving.
 */
export type LoadClient = "autocannon" | "polite";

/** One request over a keep-alive agent: status, body, Retry-After (seconds), or a failure. */
function send(agent: Agent, base: URL, r: import("./endpoints").BenchRequest): Promise<{ status: number; body: string; retryAfter: number } | null> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { agent, host: base.hostname, port: base.port, method: r.method, path: r.path, headers: r.body ? { ...r.headers, "content-length": Buffer.byteLength(r.body) } : r.headers, timeout: REQUEST_TIMEOUT_SECONDS * 1000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("latin1"), retryAfter: Number(res.headers["retry-after"] ?? 0) || 0 }));
        res.on("error", () => resolve(null));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(null));
    req.end(r.body);
  });
}

async function runPoliteLoad(baseUrl: string, endpoints: Endpoint[], opts: LoadOptions): Promise<RawLoad> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  let next = 0;
  let errors = 0;
  const tally = startTally(opts);
  const end = performance.now() + opts.seconds * 1000;
  const connection = async () => {
    while (performance.now() < end) {
      const n = next++;
      const ep = endpoints[n % endpoints.length]!;
      const started = performance.now();
      const res = await send(agent, base, ep.request(Math.floor(n / endpoints.length)));
      const now = performance.now();
      if (now > end) break; // answered after the run: not counted, as autocannon does not
      if (!res) {
        errors++;
        continue;
      }
      tally.answer(res.status, now - started);
      tally.verify(ep, res.status, res.body);
      if (res.status === 503) {
        // Back after Retry-After; a connection that would come back after the run is done (a
        // timer that wakes a moment early must not send one more request at the very end).
        const resume = performance.now() + Math.max(res.retryAfter, 1) * 1000;
        if (resume >= end) break;
        await new Promise((r) => setTimeout(r, resume - performance.now()));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, connection));
  agent.destroy();
  return tally.finish(opts.seconds, errors);
}

function runWith(client: LoadClient, baseUrl: string, endpoints: Endpoint[], opts: LoadOptions): Promise<RawLoad> {
  return client === "polite" ? runPoliteLoad(baseUrl, endpoints, opts) : runLoad(baseUrl, endpoints, opts);
}

/**
 * How req/s is worked out from a run:
 *  - "completed": good responses ÷ the run's seconds;
 *  - "closed-loop": connections ÷ the mean latency of a good response (Little's law: autocannon
 *    sends a connection's next request as soon as the last one is answered). For requests that
 *    take about a second (login at 8 connections), "completed" drops the requests still in
 *    flight when a run stops — half a latency per connection, ≈ 6 % of a 10 s run and ≈ 12 % of
 *    a 5 s turn — although the server did their work; the closed-loop figure does not.
 *  - "settled": good responses completed after the first `settleSeconds` of each run ÷ the
 *    seconds after it. A run starts with every connection's first request in flight and nothing
 *    completed yet, which costs "completed" about one response time's worth of throughput: 0.5 %
 *    of a 5 s turn at 8 connections (≈25 ms) but 5 % or more at 128–512, where queued requests
 *    take ≈250 ms — enough to tip a 0.9× budget. Counting completions once the run has settled
 *    measures the steady state at every connection count alike.
 */
export type Throughput = "completed" | "closed-loop" | "settled";

/** One measurement from one or more runs of the same endpoint(s) (their requests and seconds added up). */
function summarize(id: string, connections: number, runs: RawLoad[], throughput: Throughput = "completed"): Measurement {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const refusedLatencies = runs.flatMap((r) => r.refusedLatencies).sort((a, b) => a - b);
  const sum = (f: (r: RawLoad) => number) => runs.reduce((a, r) => a + f(r), 0);
  const seconds = sum((r) => r.seconds);
  const ok = sum((r) => r.ok);
  const non2xx = sum((r) => r.non2xx);
  const mismatched = sum((r) => r.mismatched);
  const errors = sum((r) => r.errors);
  const good = Math.max(0, ok - mismatched);
  const latencySeconds = latencies.reduce((a, b) => a + b, 0) / 1000;
  return {
    id,
    connections,
    seconds,
    rps:
      throughput === "closed-loop"
        ? latencySeconds > 0
          ? (connections * good) / latencySeconds
          : 0
        : throughput === "settled"
          ? sum((r) => r.settledGood) / Math.max(1e-9, sum((r) => r.settledSeconds))
          : good / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    max: latencies.length ? latencies[latencies.length - 1]! : NaN,
    requests: ok + non2xx + refusedLatencies.length,
    bad: non2xx + mismatched + errors,
    errors,
    refused: refusedLatencies.length,
    refusedP99: percentile(refusedLatencies, 99),
    clientCores: seconds > 0 ? sum((r) => r.clientCpuMs) / 1000 / seconds : NaN,
    clientLagP99: Math.max(...runs.map((r) => r.clientLagP99).filter((n) => !Number.isNaN(n)), 0),
  };
}

export async function measure(
  baseUrl: string,
  endpoints: Endpoint[],
  opts: { connections: number; seconds: number; verifyEvery?: number; id?: string },
): Promise<Measurement> {
  return summarize(opts.id ?? endpoints.map((e) => e.id).join("+"), opts.connections, [await runLoad(baseUrl, endpoints, opts)]);
}

/** One side of an interleaved comparison: an endpoint on a server (at its own connection count, if given). */
export interface Side {
  id: string;
  baseUrl: string;
  endpoint: Endpoint;
  connections?: number;
}

/**
 * Two (or more) sides measured in turns of `sliceSeconds` — A B, B A, A B… — until each has had
 * `seconds`, and each side's turns pooled into one measurement. On this machine throughput moves
 * by ±20 % from one second to the next and drifts by more over minutes, so two figures measured
 * a few seconds apart in one block each can differ by more than what is being compared; taking
 * turns puts both sides through the same moments, and the ratio of the pooled figures keeps the
 * difference between them, not the machine's.
 */
export async function measureInterleaved(
  sides: Side[],
  opts: { connections: number; seconds: number; sliceSeconds: number; settleSeconds?: number; beforeTurn?: (side: Side) => Promise<void>; client?: LoadClient },
): Promise<Measurement[]> {
  const slices = Math.max(2, Math.round(opts.seconds / opts.sliceSeconds));
  const raw: RawLoad[][] = sides.map(() => []);
  for (let i = 0; i < slices; i++) {
    const order = sides.map((_, k) => k);
    if (i % 2 === 1) order.reverse();
    for (const k of order) {
      const side = sides[k]!;
      if (opts.beforeTurn) await opts.beforeTurn(side);
      raw[k]!.push(await runWith(opts.client ?? "autocannon", side.baseUrl, [side.endpoint], { connections: side.connections ?? opts.connections, seconds: opts.sliceSeconds, settleSeconds: opts.settleSeconds }));
    }
  }
  return sides.map((s, k) => summarize(s.id, s.connections ?? opts.connections, raw[k]!, opts.settleSeconds ? "settled" : "completed"));
}

/**
 * One endpoint in turns with something that is not a load — for login, timing the password hash
 * on the idle machine: `turnSeconds` of load, then `between()`, until the endpoint has had
 * `seconds`; its turns pooled, with req/s worked out as `throughput` says.
 */
export async function measureInTurnsWith(
  baseUrl: string,
  ep: Endpoint,
  opts: { connections: number; seconds: number; turnSeconds: number; throughput: Throughput; between: () => Promise<void> },
): Promise<Measurement> {
  const turns = Math.max(2, Math.round(opts.seconds / opts.turnSeconds));
  const raw: RawLoad[] = [];
  for (let i = 0; i < turns; i++) {
    raw.push(await runLoad(baseUrl, [ep], { connections: opts.connections, seconds: opts.turnSeconds }));
    await opts.between();
  }
  return summarize(ep.id, opts.connections, raw, opts.throughput);
}

/**
 * Waits until the server answers /api/health (never refused; one database round trip) within
 * `quietMs` twice in a row, or `timeoutMs` has passed; returns the milliseconds waited. Between
 * the curve's turns: when a turn of 512 connections stops, the server is still finishing what it
 * had admitted and closing hundreds of connections (seen as sockets in CLOSE-WAIT, and /api/health
 * taking seconds), and the next turn — 1 or 8 connections, say — would measure that instead.
 */
export async function waitForQuietServer(baseUrl: string, opts: { quietMs?: number; timeoutMs?: number } = {}): Promise<number> {
  const quietMs = opts.quietMs ?? 50;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const start = performance.now();
  let quiet = 0;
  while (performance.now() - start < timeoutMs) {
    const t = performance.now();
    try {
      await (await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(timeoutMs) })).arrayBuffer();
    } catch {}
    if (performance.now() - t < quietMs) {
      if (++quiet >= 2) break;
    } else quiet = 0;
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - start;
}

/** One request through fetch, for the probe before the load (status, body, content type). */
export async function probe(baseUrl: string, ep: Endpoint): Promise<{ status: number; ok: boolean; note: string }> {
  const r = ep.request(0);
  const res = await fetch(`${baseUrl}${r.path}`, { method: r.method, headers: r.headers, body: r.body, redirect: "manual" });
  const body = ep.id === "invoice-pdf" ? Buffer.from(await res.arrayBuffer()).toString("latin1") : await res.text();
  if (res.status === 404) return { status: 404, ok: false, note: "404 (not built yet?)" };
  if (res.status !== 200) return { status: res.status, ok: false, note: `HTTP ${res.status}${res.headers.get("location") ? ` → ${res.headers.get("location")}` : ""}` };
  if (!ep.verify(body)) return { status: 200, ok: false, note: `unexpected answer: ${body.slice(0, 160).replace(/\s+/g, " ")}` };
  return { status: 200, ok: true, note: "" };
}
