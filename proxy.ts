import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { isEmbedPath, newNonce, securityHeaders } from "@/lib/http/security-headers";
import { loadServerActionIds, serverActionRefusal } from "@/lib/http/server-action-guard";
import { embedOriginsForSignupKey } from "@/lib/signup/embed-agent";
import { cleanEmbedOrigins } from "@/lib/signup/embed-policy";

/**
 * The door every page request passes (Next 16 runs the proxy on Node.js). Three jobs:
 *
 * 1. The security headers (lib/http/security-headers.ts): a Content-Security-Policy with a fresh
 *    script nonce per request (Next reads it from the request's CSP header and puts it on its own
 *    scripts; pages therefore render per request — the root layout awaits connection()),
 *    X-Frame-Options: DENY, and HSTS when NEXTAUTH_URL is https. On /embed and /embed/* (exact
 *    case) frame-ancestors are the origins the agent named by ?agent=<signup key> listed
 *    (agent.embed_origins), or 'none' (unknown agent, no agent, a database hiccup), and no
 *    X-Frame-Options.
 * 2. Server action requests Next would refuse (Origin not this host, an unknown action id) are
 *    answered 403/409 here with one log line (lib/http/server-action-guard.ts).
 * 3. Nothing else: every portal page, route handler, action and RPC method checks the session
 *    itself (a page without one redirects to /login?next=…).
 *
 * Cost: it runs on every page (the benchmark's trivial page too, so the page budgets, which are
 * ratios to it, compare like with like), so it reads the database for /embed only (one indexed
 * lookup of the agent) and otherwise does no I/O: a nonce, a string join, a few headers. Measured
 * 2026-12-07: ≈90 µs per proxy() call, building its NextRequest included, on a busy 2-core
 * machine, against 3–4 ms of server CPU for the trivial page (bench/README.md). It skips Next's static files and /api/* (exact case): those, and anything
 * else the proxy does not see, get next.config.mjs's fixed headers (frame-ancestors 'none',
 * X-Frame-Options, no inline script) on every path in any case, 404s included.
 */

function publicUrl(): string | undefined {
  try {
    return getEnv().NEXTAUTH_URL;
  } catch {
    return process.env.NEXTAUTH_URL;
  }
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  const refusal = serverActionRefusal({ method: request.method, pathname, headers: request.headers }, loadServerActionIds());
  if (refusal) {
    console.warn(refusal.log);
    return new NextResponse(refusal.body, { status: refusal.status, headers: refusal.headers });
  }

  const isEmbed = isEmbedPath(pathname);
  let frameAncestors: string[] = [];
  const agentKey = isEmbed ? request.nextUrl.searchParams.get("agent") : null;
  if (agentKey) {
    try {
      frameAncestors = cleanEmbedOrigins(await embedOriginsForSignupKey(await getDb(), agentKey));
    } catch {
      frameAncestors = [];
    }
  }
  const headers = securityHeaders({
    nonce: newNonce(),
    frameAncestors,
    isEmbed,
    publicUrl: publicUrl(),
    isDev: process.env.NODE_ENV === "development",
  });
  const csp = headers["Content-Security-Policy"]!;
  // Next finds the nonce in the request's CSP header while rendering.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
  return response;
}

export const config = {
  // Every path but Next's static files and the API's route handlers (case-sensitive, as Next's
  // routes are: /API/x and /_NEXT/x are 404 pages, which need the nonce).
  matcher: ["/((?!_next/static/|_next/image|api/).*)"],
};
