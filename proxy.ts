import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { embedOriginsForSignupKey } from "@/lib/signup/embed-agent";
import { embedContentSecurityPolicy } from "@/lib/signup/embed-policy";

/**
 * One job at the door (Next 16 runs the proxy on Node.js, so it can read the database): for
 * /embed/*, the Content-Security-Policy whose frame-ancestors are the origins the agent named by
 * ?agent=<signup key> listed (agent.embed_origins), or 'none' (unknown agent, no agent, a database
 * hiccup). next.config.mjs gives /embed/* no CSP of its own, so each /embed response carries
 * exactly this one.
 *
 * The proxy runs on nothing else: every portal page, route handler, action and RPC method checks
 * the session itself (a page without one redirects to /login?next=…), and a proxy pass costs every
 * request about as much as the page's own database reads (bench/README.md).
 */

export async function proxy(request: NextRequest): Promise<NextResponse> {
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

export const config = {
  matcher: ["/embed", "/embed/:path*"],
};
