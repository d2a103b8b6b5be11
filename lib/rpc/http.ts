import "server-only";
import { getDb } from "@/db/client";
import { clientMeta } from "@/lib/http/client-meta";
import { AppError, isAppError, logUnexpected } from "@/lib/errors";
import type { Registry, RpcMethod } from "./define-method";
import { argsToObject, bareMethodName, dispatch, isPlainObject, UnknownMethodError, type DispatchOutcome } from "./dispatch";
import { encodeFault, encodeMethodResponse, parseMethodCall, XmlRpcParseError } from "./xmlrpc-codec";

/** Requests larger than this are refused before parsing. */
export const MAX_RPC_BODY_BYTES = 1_000_000;

export interface EndpointOptions {
  registry: Registry;
  /** Namespaces stripped from XML-RPC method names. */
  prefixes: readonly string[];
  backendSecret?: string;
}

/** Not fatal: a bad byte becomes U+FFFD and the parser then judges the text (one instance: decode() without `stream` keeps no state). */
const UTF8 = new TextDecoder("utf-8", { fatal: false });

async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_RPC_BODY_BYTES) throw new AppError("INVALID_INPUT", "Request too large");
  const buf = await request.arrayBuffer();
  if (buf.byteLength > MAX_RPC_BODY_BYTES) throw new AppError("INVALID_INPUT", "Request too large");
  return UTF8.decode(buf);
}

/** Dates become UNIX seconds; Buffers become base64 strings (JSON). */
function toJsonSafe(v: unknown): unknown {
  if (v instanceof Date) return Math.floor(v.getTime() / 1000);
  if (Buffer.isBuffer(v)) return v.toString("base64");
  if (Array.isArray(v)) return v.map(toJsonSafe);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, toJsonSafe(x)]));
  return v;
}

/** Only declared binary fields travel as base64; a stray Buffer elsewhere is a bug, sent as "". */
function shapeBinary(method: RpcMethod, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = Buffer.isBuffer(v) && !method.base64Fields?.includes(k) ? "" : v;
  return out;
}

const XML_HEADERS = { "content-type": "text/xml; charset=utf-8", "cache-control": "no-store" };
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export async function handleXmlRpc(request: Request, opts: EndpointOptions): Promise<Response> {
  let methodName = "?";
  try {
    const body = await readBody(request);
    const call = parseMethodCall(body);
    methodName = bareMethodName(call.methodName, opts.prefixes);
    const args = argsToObject(call.params);
    const db = await getDb();
    const outcome = await dispatch(opts.registry, methodName, args, { db, meta: clientMeta(request.headers), backendSecret: opts.backendSecret });
    return xmlOutcome(outcome);
  } catch (e) {
    if (e instanceof UnknownMethodError) return new Response(encodeFault(-32601, e.message), { headers: XML_HEADERS });
    if (e instanceof XmlRpcParseError) return new Response(encodeFault(-32700, `Invalid XML-RPC request: ${e.message}`), { headers: XML_HEADERS });
    if (isAppError(e)) return new Response(encodeFault(-32602, e.message), { headers: XML_HEADERS });
    const ref = logUnexpected(`xmlrpc ${methodName}`, e);
    return new Response(encodeFault(-32500, `Internal error (ref ${ref})`), { headers: XML_HEADERS });
  }
}

function xmlOutcome(outcome: DispatchOutcome): Response {
  switch (outcome.kind) {
    case "result":
      return new Response(encodeMethodResponse(shapeBinary(outcome.method, outcome.value)), { headers: XML_HEADERS });
    case "rate_limited":
      return new Response(encodeFault(429, outcome.message), {
        status: 429,
        headers: { ...XML_HEADERS, "retry-after": String(outcome.retryAfterSeconds) },
      });
    case "internal":
      return new Response(encodeFault(-32500, outcome.message), { headers: XML_HEADERS });
  }
}

type JsonRpcId = string | number | null;
type JsonRpcResponse = { jsonrpc: "2.0"; id: JsonRpcId; result?: unknown; error?: { code: number; message: string; data?: unknown } };

function jsonError(id: JsonRpcId, code: number, message: string, data?: unknown): JsonRpcResponse {
  return { jsonrpc: "2.0", id, error: data === undefined ? { code, message } : { code, message, data } };
}

async function runJsonCall(call: unknown, opts: EndpointOptions, request: Request): Promise<{ response: JsonRpcResponse | null; retryAfter?: number }> {
  if (!isPlainObject(call) || call.jsonrpc !== "2.0" || typeof call.method !== "string") {
    return { response: jsonError(null, -32600, "Invalid Request") };
  }
  const rawId = call.id;
  const isNotification = !("id" in call);
  const id: JsonRpcId = typeof rawId === "string" || typeof rawId === "number" ? rawId : null;
  const name = bareMethodName(call.method, opts.prefixes);
  try {
    let args: Record<string, unknown>;
    if (call.params === undefined) args = {};
    else if (Array.isArray(call.params)) args = argsToObject(call.params);
    else if (isPlainObject(call.params)) args = call.params;
    else return { response: jsonError(id, -32602, "params must be an object or an array") };
    const db = await getDb();
    const outcome = await dispatch(opts.registry, name, args, { db, meta: clientMeta(request.headers), backendSecret: opts.backendSecret });
    if (isNotification) return { response: null };
    switch (outcome.kind) {
      case "result":
        return { response: { jsonrpc: "2.0", id, result: toJsonSafe(shapeBinary(outcome.method, outcome.value)) } };
      case "rate_limited":
        return { response: jsonError(id, -32029, outcome.message, { retry_after: outcome.retryAfterSeconds }), retryAfter: outcome.retryAfterSeconds };
      case "internal":
        return { response: jsonError(id, -32603, outcome.message) };
    }
  } catch (e) {
    if (e instanceof UnknownMethodError) return { response: isNotification ? null : jsonError(id, -32601, e.message) };
    if (isAppError(e)) return { response: isNotification ? null : jsonError(id, -32602, e.message) };
    const ref = logUnexpected(`jsonrpc ${name}`, e);
    return { response: isNotification ? null : jsonError(id, -32603, `Internal error (ref ${ref})`) };
  }
}

export const MAX_JSONRPC_BATCH = 50;

export async function handleJsonRpc(request: Request, opts: EndpointOptions): Promise<Response> {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(request));
  } catch (e) {
    const msg = isAppError(e) ? e.message : "Parse error";
    return Response.json(jsonError(null, -32700, msg), { headers: JSON_HEADERS });
  }
  if (Array.isArray(body)) {
    if (body.length === 0) return Response.json(jsonError(null, -32600, "Invalid Request"), { headers: JSON_HEADERS });
    if (body.length > MAX_JSONRPC_BATCH) return Response.json(jsonError(null, -32600, `Batch too large (at most ${MAX_JSONRPC_BATCH} calls)`), { headers: JSON_HEADERS });
    const results: JsonRpcResponse[] = [];
    for (const call of body) {
      const { response } = await runJsonCall(call, opts, request);
      if (response) results.push(response);
    }
    if (results.length === 0) return new Response(null, { status: 204 });
    return Response.json(results, { headers: JSON_HEADERS });
  }
  const { response, retryAfter } = await runJsonCall(body, opts, request);
  if (!response) return new Response(null, { status: 204 });
  if (retryAfter !== undefined) {
    return Response.json(response, { status: 429, headers: { ...JSON_HEADERS, "retry-after": String(retryAfter) } });
  }
  return Response.json(response, { headers: JSON_HEADERS });
}
