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
