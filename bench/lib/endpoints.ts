import { DEMO_PASSWORD } from "../../db/seed/demo-logins";
import type { Fixtures } from "./fixtures";

/**
 * Every endpoint the benchmark measures. Logged-in requests rotate over the fixtures' sessions
 * (a different customer each request); login rotates over other customers' e-mails.
 * `baseline` names what its req/s is divided by: the trivial page for pages, the trivial route
 * handler for RPC.
 */
export type EndpointKind = "baseline" | "page" | "rpc" | "login";

export interface BenchRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Endpoint {
  id: string;
  label: string;
  kind: EndpointKind;
  baseline: "trivial-page" | "trivial-route" | null;
  /** A list (page or RPC) whose latency must stay flat as the customer count grows. */
  list: boolean;
  /** The i-th request of a run. */
  request(i: number): BenchRequest;
  /** Is this a good answer? (Status 200 is checked separately.) */
  verify(body: string): boolean;
}

export interface EndpointContext {
  fixtures: Fixtures;
  /** next-auth's CSRF pair (cookie + token), fetched once. */
  csrf: { cookie: string; token: string } | null;
  baseUrl: string;
}

const xmlCall = (method: string, members: Record<string, string | number>) =>
  `<?xml version="1.0"?><methodCall><methodName>FS.ClientAPI_XMLRPC.${method}</methodName><params><param><value><struct>` +
  Object.entries(members)
    .map(([k, v]) => `<member><name>${k}</name><value>${typeof v === "number" ? `<int>${v}</int>` : `<string>${v}</string>`}</value></member>`)
    .join("") +
  `</struct></value></param></params></methodCall>`;

const jsonCall = (method: string, params: Record<string, unknown>) => JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });

/** An XML-RPC answer with an empty `error` member (success), not a fault. */
const xmlOk = (body: string) => !body.includes("<fault>") && /<name>error<\/name>\s*<value>(?:<string>\s*<\/string>|<string\/>|\s*)<\/value>/.test(body);
const jsonOk = (body: string) => {
  try {
    const r = JSON.parse(body) as { result?: { error?: string } };
    return r.result?.error === "";
  } catch {
    return false;
  }
};

export function buildEndpoints(ctx: EndpointContext): Endpoint[] {
  const s = ctx.fixtures.sessions;
  const at = (i: number) => s[i % s.length]!;
  const page = (id: string, label: string, list: boolean, path: (i: number) => string, verify: (b: string) => boolean): Endpoint => ({
    id,
    label,
    kind: "page",
    baseline: "trivial-page",
    list,
    request: (i) => ({ method: "GET", path: path(i), headers: { cookie: at(i).cookie, accept: "text/html" } }),
    verify,
  });
  const rpc = (id: string, label: string, list: boolean, method: string, transport: "xml" | "json", extra: Record<string, string | number> = {}): Endpoint => ({
    id,
    label,
    kind: "rpc",
    baseline: "trivial-route",
    list,
    request: (i) =>
      transport === "xml"
        ? { method: "POST", path: "/api/selfservice/xmlrpc", headers: { "content-type": "text/xml" }, body: xmlCall(method, { session_id: at(i).token, ...extra }) }
        : { method: "POST", path: "/api/selfservice/jsonrpc", headers: { "content-type": "application/json" }, body: jsonCall(method, { session_id: at(i).token, ...extra }) },
    verify: transport === "xml" ? xmlOk : jsonOk,
  });
  const logins = ctx.fixtures.logins;
  const csrf = ctx.csrf;

  const endpoints: Endpoint[] = [
    {
      id: "trivial-page",
      label: "trivial dynamic page",
      kind: "baseline",
      baseline: null,
      list: false,
      request: () => ({ method: "GET", path: "/bench/trivial", headers: { accept: "text/html" } }),
      verify: (b) => b.includes("Trivial page"),
    },
    {
      id: "trivial-route",
      label: "trivial route handler (POST)",
      kind: "baseline",
      baseline: null,
      list: false,
      request: () => ({ method: "POST", path: "/api/bench/trivial", headers: { "content-type": "application/json" }, body: '{"ping":1}' }),
      verify: (b) => b.includes('"ok":true'),
    },
    page("account", "/account", false, () => "/account", (b) => b.includes("Packages and services")),
    page("invoices", "/invoices", true, () => "/invoices", (b) => b.includes("Invoice")),
    page("invoice", "/invoices/[invnum]", false, (i) => `/invoices/${at(i).invnum}`, (b) => b.includes(`${at(0).invnum}`) || b.includes("Invoice")),
    page("invoice-pdf", "/invoices/[invnum]/pdf", false, (i) => `/invoices/${at(i).invnum}/pdf`, (b) => b.startsWith("%PDF")),
    page("payment-methods", "/payment-methods", true, () => "/payment-methods", (b) => b.includes("ayment")),
    page("billing-history", "/billing/history", true, () => "/billing/history", (b) => b.includes("istory")),
    rpc("xml-customer_info", "XML-RPC customer_info", false, "customer_info", "xml"),
    rpc("json-customer_info", "JSON-RPC customer_info", false, "customer_info", "json"),
    rpc("xml-list_invoices", "XML-RPC list_invoices", true, "list_invoices", "xml"),
    rpc("json-list_invoices", "JSON-RPC list_invoices", true, "list_invoices", "json"),
    {
      id: "login",
      label: "login (next-auth credentials POST)",
      kind: "login",
      baseline: null,
      list: false,
      request: (i) => {
        const l = logins[i % logins.length]!;
        const body = new URLSearchParams({
          csrfToken: csrf?.token ?? "",
          email: l.email,
          password: DEMO_PASSWORD,
          callbackUrl: `${ctx.baseUrl}/account`,
          json: "true",
        }).toString();
        return { method: "POST", path: "/api/auth/callback/credentials", headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrf?.cookie ?? "" }, body };
      },
      verify: (b) => b.includes('"url"') && !b.includes("error="),
    },
    {
      id: "rpc-login",
      label: "login (JSON-RPC)",
      kind: "login",
      baseline: null,
      list: false,
      request: (i) => {
        const l = logins[i % logins.length]!;
        return { method: "POST", path: "/api/selfservice/jsonrpc", headers: { "content-type": "application/json" }, body: jsonCall("login", { email: l.email, password: DEMO_PASSWORD }) };
      },
      verify: (b) => jsonOk(b) && b.includes("session_id"),
    },
  ];
  return endpoints;
}

/** next-auth's CSRF token and its cookie (the double-submit pair every credentials POST needs). */
export async function fetchCsrf(baseUrl: string): Promise<{ cookie: string; token: string }> {
  const r = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  const setCookie = r.headers.getSetCookie().find((c) => /csrf/i.test(c.split("=")[0] ?? ""));
  if (!setCookie || !csrfToken) throw new Error("next-auth gave no CSRF cookie/token");
  return { cookie: setCookie.split(";")[0]!, token: csrfToken };
}
