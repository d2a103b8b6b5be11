import autocannon, { type AutocannonRequest } from "autocannon";
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
  requests: number;
  /** Non-2xx answers, failed verifications, connection errors and timeouts. */
  bad: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export async function measure(
  baseUrl: string,
  endpoints: Endpoint[],
  opts: { connections: number; seconds: number; verifyEvery?: number; id?: string },
): Promise<Measurement> {
  let next = 0;
  let mismatched = 0;
  let checked = 0;
  const verifyEvery = opts.verifyEvery ?? 1;
  const pick = () => {
    const n = next++;
    const ep = endpoints[n % endpoints.length]!;
    return { ep, req: ep.request(Math.floor(n / endpoints.length)) };
  };
  const first = pick();
  const requests: AutocannonRequest[] = [
    {
      ...first.req,
      setupRequest: (req, context) => {
        const { ep, req: r } = pick();
        context.ep = ep;
        return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
      },
      onResponse: (status, body, context) => {
        if (status < 200 || status >= 300) return;
        if (checked++ % verifyEvery !== 0) return;
        const ep = context.ep as Endpoint | undefined;
        if (ep && !ep.verify(body)) mismatched++;
      },
    },
  ];
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  const instance = autocannon({ url: baseUrl, connections: opts.connections, duration: opts.seconds, timeout: 30, requests });
  instance.on("response", (_client: unknown, status: number, _bytes: number, time: number) => {
    if (status >= 200 && status < 300) {
      ok++;
      latencies.push(time);
    } else non2xx++;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const good = Math.max(0, ok - mismatched);
  return {
    id: opts.id ?? endpoints.map((e) => e.id).join("+"),
    connections: opts.connections,
    seconds: result.duration,
    rps: good / result.duration,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    requests: ok + non2xx,
    bad: non2xx + mismatched + result.errors + result.timeouts,
    errors: result.errors + result.timeouts,
  };
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
