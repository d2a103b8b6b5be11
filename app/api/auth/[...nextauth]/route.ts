import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { buildAuthOptions } from "@/lib/auth/next-auth-options";
import { withSafeCallbackUrl } from "@/lib/auth/safe-next-path";

type Handler = (req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

let handler: Handler | undefined;
function getHandler(): Handler {
  handler ??= NextAuth(buildAuthOptions()) as unknown as Handler;
  return handler;
}

/**
 * next-auth answers 500 to a `?callbackUrl=` that does not parse (e.g.
 * `http://127.0.0.1:3600.evil.example/`): it gets the safe form instead (a same-site URL, else
 * /account), which next-auth then redirects to as usual.
 */
async function withSafeCallback(req: NextRequest): Promise<NextRequest> {
  const fixed = withSafeCallbackUrl(req.nextUrl, getEnv().NEXTAUTH_URL ?? req.nextUrl.origin);
  if (!fixed) return req;
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
  return new NextRequest(fixed, { method: req.method, headers: req.headers, body });
}

export async function GET(req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return getHandler()(await withSafeCallback(req), ctx);
}

export async function POST(req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return getHandler()(await withSafeCallback(req), ctx);
}
