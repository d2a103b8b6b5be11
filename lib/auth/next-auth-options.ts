import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { isAppError, logUnexpected } from "@/lib/errors";
import { clientMeta } from "@/lib/http/client-meta";
import { login } from "./login";
import { resolveAuthRedirect } from "./safe-next-path";
import { revokeSession } from "./sessions";
import { secureCookies, sessionCookieName } from "./cookies";

/**
 * next-auth (v4) runs the sign-in and sign-out flows (CSRF, the Credentials provider). Its
 * "JWT" is replaced by Portico's opaque session token: `encode` returns the token `login`
 * created and `decode` hands it back, so the cookie holds nothing but a random id whose hash is a
 * revocable row in the `session` table.
 */
export function buildAuthOptions(): NextAuthOptions {
  const env = getEnv();
  const secure = secureCookies();
  const cookieOptions = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };
  return {
    secret: env.authSecret,
    session: { strategy: "jwt", maxAge: env.PORTICO_SESSION_MAX_HOURS * 3600, updateAge: 0 },
    pages: { signIn: "/login", error: "/login" },
    useSecureCookies: secure,
    cookies: {
      sessionToken: { name: sessionCookieName(secure), options: cookieOptions },
      csrfToken: { name: secure ? "__Host-portico.csrf" : "portico.csrf", options: cookieOptions },
      callbackUrl: { name: secure ? "__Secure-portico.callback" : "portico.callback", options: { sameSite: "lax", path: "/", secure } },
    },
    jwt: {
      encode: async ({ token }) => (typeof token?.sid === "string" ? token.sid : ""),
      decode: async ({ token }) => (token ? { sid: token } : null),
    },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Portico",
        credentials: {
          email: { label: "Email", type: "text" },
          username: { label: "Username", type: "text" },
          domain: { label: "Domain", type: "text" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          try {
            const db = await getDb();
            const input = {
              email: credentials?.email || undefined,
              username: credentials?.username || undefined,
              domain: credentials?.domain || undefined,
              password: credentials?.password ?? "",
            };
            const result = await login(db, input, clientMeta(req.headers ?? {}));
            return { id: String(result.custnum), sid: result.sessionToken };
          } catch (e) {
            if (isAppError(e)) throw new Error(e.message);
            const ref = logUnexpected("login", e);
            throw new Error(`Something went wrong. Please try again (ref ${ref}).`);
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user && "sid" in user) return { sid: (user as { sid: string }).sid };
        return token;
      },
      // Same-site paths only; a URL that does not parse falls back to /account (not a 500).
      async redirect({ url, baseUrl }) {
        return resolveAuthRedirect(url, baseUrl);
      },
      async session({ session }) {
        return { expires: session.expires } as typeof session;
      },
    },
    events: {
      async signOut({ token }) {
        if (token && typeof token.sid === "string") await revokeSession(await getDb(), token.sid);
      },
    },
    logger: {
      error(code, metadata) {
        console.error(`[next-auth] ${code}`, metadata instanceof Error ? metadata.message : "");
      },
      warn() {},
      debug() {},
    },
  };
}
