const PROBE_ORIGIN = "http://portico.invalid";

/**
 * Only same-site paths may be redirected to after login (no open redirects). The path is
 * resolved the way a browser would (which drops tabs and newlines and reads `\` as `/`, so
 * `/\t/evil.example` means `//evil.example`); anything with a control character or a backslash,
 * or that resolves to another origin, falls back. Returns the normalised path, query and hash.
 */
export function safeNextPath(next: string | null | undefined, fallback = "/account"): string {
  if (!next || typeof next !== "string" || next.length > 2000) return fallback;
  if (!next.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (path.startsWith("//") || path === "/login" || path.startsWith("/login/") || path.startsWith("/login?") || path.startsWith("/api/")) return fallback;
  return path;
}

/**
 * next-auth's `redirect` callback: where to send the browser after sign-in or sign-out. A path
 * or a URL on the portal's own origin is kept (through safeNextPath); anything else — another
 * origin, or a URL that does not even parse (`http://127.0.0.1:3600.evil.example/`, whose "port"
 * made next-auth's default callback throw: a 500) — falls back to `fallback` on the portal.
 */
export function resolveAuthRedirect(url: string | null | undefined, baseUrl: string, fallback = "/account"): string {
  const base = baseUrl.replace(/\/+$/, "");
  let baseOrigin: string;
  try {
    baseOrigin = new URL(base).origin;
  } catch {
    return fallback;
  }
  if (typeof url !== "string" || url === "") return `${base}${fallback}`;
  if (url.startsWith("/")) return `${base}${safeNextPath(url, fallback)}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${base}${fallback}`;
  }
  if (parsed.origin !== baseOrigin) return `${base}${fallback}`;
  return `${base}${safeNextPath(`${parsed.pathname}${parsed.search}${parsed.hash}`, fallback)}`;
}

/**
 * A next-auth request URL whose `callbackUrl` query parameter is replaced by its safe form
 * (resolveAuthRedirect), or null when it has none. next-auth checks that parameter before any
 * callback runs and answers 500 ("INVALID_CALLBACK_URL_ERROR") to one that does not parse, so
 * app/api/auth/[...nextauth]/route.ts hands it the safe form instead.
 */
export function withSafeCallbackUrl(url: URL, baseUrl: string): URL | null {
  const given = url.searchParams.getAll("callbackUrl");
  if (given.length === 0) return null;
  const out = new URL(url);
  out.searchParams.set("callbackUrl", resolveAuthRedirect(given[0], baseUrl));
  return out;
}
