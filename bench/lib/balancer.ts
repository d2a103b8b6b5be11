import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// The scale-out measurement's load balancer (bench/run.ts, --scale-out): a node:http server that
// hands each request to the next backend in turn, over keep-alive connections, piping the request
// and the answer through unchanged (no http-proxy: a few lines of node:http do it). It stands in
// for the nginx or cloud balancer a deployment of several `npm start` processes would have.

/** Headers that belong to one connection, not to the request (RFC 9110 §7.6.1): not forwarded. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]);

export function forwardedHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(k) && !named.has(k) && v !== undefined) out[k] = v;
  }
  return out;
}

/** Round robin over `count` backends: each call gives the next index, 0, 1, …, count − 1, 0, … */
export function roundRobin(count: number): () => number {
  if (!Number.isInteger(count) || count < 1) throw new Error("round robin needs at least one backend");
  let next = 0;
  return () => {
    const i = next;
    next = (next + 1) % count;
    return i;
  };
}

export interface Backend {
  host: string;
  port: number;
}

export interface Balancer {
  url: string;
  /** Requests handed to each backend so far (by index). */
  counts: number[];
  close(): Promise<void>;
}

/** Starts a balancer on 127.0.0.1 (`port` 0: any free port) in front of `backends`. */
export async function startBalancer(backends: Backend[], port = 0): Promise<Balancer> {
  const pick = roundRobin(backends.length);
  const counts = backends.map(() => 0);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });
  const server: Server = createServer((req, res) => {
    const i = pick();
    counts[i]!++;
    const b = backends[i]!;
    const upstream = httpRequest({ host: b.host, port: b.port, method: req.method, path: req.url, headers: forwardedHeaders(req.headers), agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardedHeaders(answer.headers) as Record<string, string | string[]>);
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    upstream.on("error", () => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
        res.end("bad gateway");
      } else res.destroy();
    });
    // The client gave up: so does the backend request.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
