import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { spawn } from "node:child_process";
import path from "node:path";

/**
 * Serves Portico's real RPC handlers (the same functions the Next route handlers call) on a
 * local port, against the test database, so tests can drive them with foreign clients:
 * Python's xmlrpc.client (not Portico's codec) and plain fetch for JSON-RPC.
 *
 * Call after the test database exists: it points DATABASE_URL at it before the first getDb().
 */
export interface RpcServer {
  url: string;
  close(): Promise<void>;
}

export async function startRpcServer(databaseUrl: string, env: Record<string, string> = {}): Promise<RpcServer> {
  process.env.DATABASE_URL = databaseUrl;
  process.env.AUTH_SECRET ??= "test-secret-".padEnd(48, "x");
  Object.assign(process.env, env);
  const { resetEnvForTests } = await import("../../lib/env");
  resetEnvForTests();
  const { handleXmlRpc, handleJsonRpc } = await import("../../lib/rpc/http");
  const { selfserviceEndpoint } = await import("../../lib/rpc/selfservice-registry");
  const { backendEndpoint } = await import("../../lib/rpc/backend-registry");

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    if (!headers.has("x-forwarded-for")) headers.set("x-forwarded-for", req.socket.remoteAddress ?? "127.0.0.1");
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
    let response: Response;
    const route = req.url ?? "";
    if (route === "/api/selfservice/xmlrpc") response = await handleXmlRpc(request, selfserviceEndpoint);
    else if (route === "/api/selfservice/jsonrpc") response = await handleJsonRpc(request, selfserviceEndpoint);
    else if (route === "/api/backend/xmlrpc" || route === "/api/backend/jsonrpc") {
      const ep = backendEndpoint();
      response = !ep ? new Response("Not found", { status: 404 }) : route.endsWith("xmlrpc") ? await handleXmlRpc(request, ep) : await handleJsonRpc(request, ep);
    } else response = new Response("Not found", { status: 404 });
    res.statusCode = response.status;
    response.headers.forEach((v, k) => res.setHeader(k, v));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const { getDbHandle } = await import("../../db/client");
      const h = await getDbHandle().catch(() => null);
      await h?.close();
      delete (globalThis as Record<symbol, unknown>)[Symbol.for("portico.db")];
    },
  };
}

function runPython(script: string, stdin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", [script], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`python xmlrpc client failed (${code}): ${err.slice(0, 2000)}`));
    });
    child.stdin.end(stdin);
  });
}
const PY_CLIENT = path.join(process.cwd(), "tests", "support", "xmlrpc_client.py");

export type PyResult = { ok: true; value: unknown } | { ok: false; fault?: { code: number; message: string }; http?: { status: number; headers: Record<string, string> } };

/**
 * Calls an XML-RPC method with Python's xmlrpc.client. `args` is sent as one struct, or with
 * `flat: true` as Freeside's PHP portal sends it: key, value, key, value…
 */
export async function pyXmlRpc(url: string, method: string, args: Record<string, unknown> = {}, opts: { flat?: boolean; raw?: unknown[] } = {}): Promise<PyResult> {
  const payload = JSON.stringify({ url, method, args, flat: !!opts.flat, raw: opts.raw ?? null });
  return JSON.parse(await runPython(PY_CLIENT, payload)) as PyResult;
}

/** JSON-RPC 2.0 call with fetch. */
export async function jsonRpc(url: string, method: string, params: unknown = {}, id: number | string = 1): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", method, params, id }) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}
