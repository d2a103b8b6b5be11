import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { embedOriginsForSignupKey } from "@/lib/signup/embed-agent";
import { embedContentSecurityPolicy } from "@/lib/signup/embed-policy";

/**
 * Two jobs at the door (Next 16 runs the proxy on Node.js, so it can read the database):
 *  - /embed/*: the Content-Security-Policy whose frame-ancestors are the origins the agent named
 *    by ?agent=<signup key> listed (agent.embed_origins), or 'none' (unknown agent, no agent, a
 *    database hiccup). next.config.mjs gives /embed/* no CSP of its own, so each /embed response
 *    carries exactly this one.
 *  - portal pages without a session cookie go to /login?next=…. A convenience, not the check —
 *    every page, action and RPC method verifies the session itself.
 */
const SESSION_COOKIES = ["portico.session", "__Host-portico.session"];

async function embedResponse(request: NextRequest): Promise<NextResponse> {
  let origins: string[] = [];
  try {
    origins = await embedOriginsForSignupKey(await getDb(), request.nextUrl.searchParams.get("agent"));
  } catch {
    origins = [];
  }
  const response = NextResponse.next();
  response.headers.set("Content-Security-Policy", embedContentSecurityPolicy(origins));
  return response;
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname === "/embed" || pathname.startsWith("/embed/")) return embedResponse(request);
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const url = request.nextUrl.clone();
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  url.pathname = "/login";
  url.search = `?next=${encodeURIComponent(next)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/embed", "/embed/:path*", "/account/:path*", "/invoices/:path*", "/billing/:path*", "/pay/:path*", "/payment-methods/:path*", "/services/:path*"],
};
