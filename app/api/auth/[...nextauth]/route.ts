import NextAuth from "next-auth";
import { buildAuthOptions } from "@/lib/auth/next-auth-options";

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

let handler: Handler | undefined;
function getHandler(): Handler {
  handler ??= NextAuth(buildAuthOptions()) as unknown as Handler;
  return handler;
}

export function GET(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return getHandler()(req, ctx);
}

export function POST(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return getHandler()(req, ctx);
}
