import "server-only";
import { getDb } from "@/db/client";
import { clientMeta } from "@/lib/http/client-meta";
import { AppError, isAppError, logUnexpected } from "@/lib/errors";
import type { Registry, RpcMethod } from "./define-method";
import { noteDatabaseFailure } from "@/lib/db/availability";
import { argsToObject, bareMethodName, DATABASE_UNAVAILABLE, isPlainObject, prepareCall, runPreparedCall, UnknownMethodError, type DispatchOutcome, type PreparedCall } from "./dispatch";
import { JsonParseError, parseJsonBounded } from "./json-codec";
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

/**
 * The request is read, parsed and its arguments parsed by the method's schema in one synchronous
 * step (`prepareXmlCall`), so nothing of the raw body outlives it while the method runs.
 */
function prepareXmlCall(body: string, opts: EndpointOptions): PreparedCall {
  const call = parseMethodCall(body);
  return prepareCall(opts.registry, bareMethodName(call.methodName, opts.prefixes), argsToObject(call.params));
}

export async function handleXmlRpc(request: Request, opts: EndpointOptions): Promise<Response> {
  let methodName = "?";
  try {
    const call = prepareXmlCall(await readBody(request), opts);
    methodName = call.name;
    const db = await getDb();
    const outcome = await runPreparedCall(call, { db, meta: clientMeta(request.headers), backendSecret: opts.backendSecret });
    return xmlOutcome(outcome);
  } catch (e) {
    if (e instanceof UnknownMethodError) return new Response(encodeFault(-32601, e.message), { headers: XML_HEADERS });
    if (e instanceof XmlRpcParseError) return new Response(encodeFault(-32700, `Invalid XML-RPC request: ${e.message}`), { headers: XML_HEADERS });
    if (isAppError(e)) return new Response(encodeFault(-32602, e.message), { headers: XML_HEADERS });
    if (noteDatabaseFailure(e)) return xmlOutcome(DATABASE_UNAVAILABLE);
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
    case "unavailable":
      return new Response(encodeFault(503, outcome.message), {
        status: 503,
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

/** One call of a JSON-RPC body, checked and with its arguments parsed (synchronously), or its immediate answer. */
type JsonCall = { id: JsonRpcId; isNotification: boolean; prepared: PreparedCall } | { id: JsonRpcId; isNotification: boolean; answer: JsonRpcResponse };

function prepareJsonCall(call: unknown, opts: EndpointOptions): JsonCall {
  if (!isPlainObject(call) || call.jsonrpc !== "2.0" || typeof call.method !== "string") {
    return { id: null, isNotification: false, answer: jsonError(null, -32600, "Invalid Request") };
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
    else return { id, isNotification, answer: jsonError(id, -32602, "params must be an object or an array") };
    return { id, isNotification, prepared: prepareCall(opts.registry, name, args) };
  } catch (e) {
    if (e instanceof UnknownMethodError) return { id, isNotification, answer: jsonError(id, -32601, e.message) };
    if (isAppError(e)) return { id, isNotification, answer: jsonError(id, -32602, e.message) };
    throw e;
  }
}

/**
 * The whole body, parsed within RPC_LIMITS (depth and values counted before anything is built)
 * and every call's arguments parsed by its method's schema, in one synchronous step: what a
 * method does not declare is dropped here, so no request keeps its raw body alive while it waits
 * (for a password hash, a gateway, the database).
 */
function prepareJsonBody(body: string, opts: EndpointOptions): { batch: boolean; calls: JsonCall[] } | { answer: JsonRpcResponse } {
  let parsed: unknown;
  try {
    parsed = parseJsonBounded(body);
  } catch (e) {
    return { answer: jsonError(null, -32700, e instanceof JsonParseError ? e.message : "Parse error") };
  }
  if (!Array.isArray(parsed)) return { batch: false, calls: [prepareJsonCall(parsed, opts)] };
  if (parsed.length === 0) return { answer: jsonError(null, -32600, "Invalid Request") };
  if (parsed.length > MAX_JSONRPC_BATCH) return { answer: jsonError(null, -32600, `Batch too large (at most ${MAX_JSONRPC_BATCH} calls)`) };
  return { batch: true, calls: parsed.map((c) => prepareJsonCall(c, opts)) };
}

async function runJsonCall(call: JsonCall, opts: EndpointOptions, request: Request): Promise<{ response: JsonRpcResponse | null; status?: number; retryAfter?: number }> {
  const { id, isNotification } = call;
  if ("answer" in call) return { response: isNotification ? null : call.answer };
  try {
    const db = await getDb();
    const outcome = await runPreparedCall(call.prepared, { db, meta: clientMeta(request.headers), backendSecret: opts.backendSecret });
    if (isNotification) return { response: null };
    return jsonOutcome(id, outcome);
  } catch (e) {
    if (noteDatabaseFailure(e)) return jsonOutcome(id, DATABASE_UNAVAILABLE);
    const ref = logUnexpected(`jsonrpc ${call.prepared.name}`, e);
    return { response: isNotification ? null : jsonError(id, -32603, `Internal error (ref ${ref})`) };
  }
}

function jsonOutcome(id: JsonRpcId, outcome: DispatchOutcome): { response: JsonRpcResponse; status?: number; retryAfter?: number } {
  switch (outcome.kind) {
    case "result":
      return { response: { jsonrpc: "2.0", id, result: toJsonSafe(shapeBinary(outcome.method, outcome.value)) } };
    case "rate_limited":
      return { response: jsonError(id, -32029, outcome.message, { retry_after: outcome.retryAfterSeconds }), status: 429, retryAfter: outcome.retryAfterSeconds };
    case "unavailable":
      return { response: jsonError(id, -32003, outcome.message, { retry_after: outcome.retryAfterSeconds }), status: 503, retryAfter: outcome.retryAfterSeconds };
    case "internal":
      return { response: jsonError(id, -32603, outcome.message) };
  }
}

export const MAX_JSONRPC_BATCH = 50;

export async function handleJsonRpc(request: Request, opts: EndpointOptions): Promise<Response> {
  let body: ReturnType<typeof prepareJsonBody>;
  try {
    body = prepareJsonBody(await readBody(request), opts);
  } catch (e) {
    if (isAppError(e)) return Response.json(jsonError(null, -32700, e.message), { headers: JSON_HEADERS });
    const ref = logUnexpected("jsonrpc", e);
    return Response.json(jsonError(null, -32603, `Internal error (ref ${ref})`), { headers: JSON_HEADERS });
  }
  if ("answer" in body) return Response.json(body.answer, { headers: JSON_HEADERS });
  if (body.batch) {
    const results: JsonRpcResponse[] = [];
    for (const call of body.calls) {
      const { response } = await runJsonCall(call, opts, request);
      if (response) results.push(response);
    }
    if (results.length === 0) return new Response(null, { status: 204 });
    return Response.json(results, { headers: JSON_HEADERS });
  }
  const { response, status, retryAfter } = await runJsonCall(body.calls[0]!, opts, request);
  if (!response) return new Response(null, { status: 204 });
  if (status !== undefined) {
    return Response.json(response, { status, headers: { ...JSON_HEADERS, ...(retryAfter !== undefined ? { "retry-after": String(retryAfter) } : {}) } });
  }
  return Response.json(response, { headers: JSON_HEADERS });
}
