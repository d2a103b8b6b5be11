import { NextResponse, type NextRequest } from "next/server";

/**
 * A convenience at the door: portal pages without a session cookie go to /login?next=….
 * It is not the check — every page, action and RPC method verifies the session itself.
 */
const SESSION_COOKIES = ["portico.session", "__Host-portico.session"];

export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const url = request.nextUrl.clone();
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  url.pathname = "/login";
  url.search = `?next=${encodeURIComponent(next)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/account/:path*", "/invoices/:path*", "/billing/:path*", "/pay/:path*", "/payment-methods/:path*", "/services/:path*"],
};
