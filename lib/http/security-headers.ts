/**
 * The security headers of every response Portico renders, built per request by proxy.ts. Pure
 * (no server imports) so the proxy, the embed page and tests share it.
 *
 * The Content-Security-Policy is strict for scripts: only scripts carrying this request's nonce
 * run ('strict-dynamic' lets them load Next's chunks), nothing inline without it, no eval outside
 * `next dev`. Styles allow 'unsafe-inline' because React renders `style` attributes (the embed's
 * agent colours, Next's route announcer); a nonce would not cover attributes. `frame-ancestors`
 * comes first (tests and people read it there): 'none' everywhere except the embed, whose allowed
 * origins are the agent's (lib/signup/embed-policy.ts).
 *
 * Responses the proxy does not see (Next's static files, /api/* route handlers) get the fixed
 * FALLBACK_CONTENT_SECURITY_POLICY from next.config.mjs (a test keeps the two in step).
 */

export interface SecurityHeaderOptions {
  /** This request's nonce (base64). */
  nonce: string;
  /** The origins that may frame the response; empty means 'none'. Only the embed lists any. */
  frameAncestors: readonly string[];
  /** The embed shows the agent's logo from its own https host. */
  isEmbed?: boolean;
  /** The portal's public URL (NEXTAUTH_URL): https turns on HSTS and upgrade-insecure-requests. */
  publicUrl?: string;
  /** `next dev` needs 'unsafe-eval' (React's dev tooling); production never. */
  isDev?: boolean;
}

/** Two years, subdomains included (what hstspreload.org asks for). */
export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

/** The policy next.config.mjs sends with what the proxy does not handle (no nonce: no inline script runs). */
export const FALLBACK_CONTENT_SECURITY_POLICY =
  "frame-ancestors 'none'; default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** Whether the public URL is https (HSTS and upgrade-insecure-requests only then). */
export function isHttpsUrl(url: string | undefined | null): boolean {
  return typeof url === "string" && /^https:\/\//i.test(url.trim());
}

/** The embed is exactly /embed and /embed/… (routes are case-sensitive: /EMBED/x is a 404 page, framed by nobody). */
export function isEmbedPath(pathname: string): boolean {
  return pathname === "/embed" || pathname.startsWith("/embed/");
}

const NONCE_RE = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function contentSecurityPolicy(o: SecurityHeaderOptions): string {
  if (!NONCE_RE.test(o.nonce)) throw new Error("contentSecurityPolicy: the nonce must be base64");
  const ancestors = o.frameAncestors.length ? o.frameAncestors.join(" ") : "'none'";
  const directives = [
    `frame-ancestors ${ancestors}`,
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data:${o.isEmbed ? " https:" : ""}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ];
  if (isHttpsUrl(o.publicUrl)) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Every header the proxy sets on a response: the CSP, X-Frame-Options where nobody may frame, HSTS on https. */
export function securityHeaders(o: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = { "Content-Security-Policy": contentSecurityPolicy(o) };
  // X-Frame-Options has no allow-list: sent wherever nobody may frame (an embed of an unknown
  // agent included), never where an agent's origins may.
  if (o.frameAncestors.length === 0) headers["X-Frame-Options"] = "DENY";
  if (isHttpsUrl(o.publicUrl)) headers["Strict-Transport-Security"] = HSTS_VALUE;
  return headers;
}
