import { getEnv } from "@/lib/env";

/**
 * Session cookie settings. Secure when the public URL is https (or forced with
 * PORTICO_SECURE_COOKIES=1): then the cookie takes the __Host- prefix (no Domain, Path=/).
 */
export function secureCookies(): boolean {
  const env = getEnv();
  if (env.PORTICO_SECURE_COOKIES === "1") return true;
  if (env.PORTICO_SECURE_COOKIES === "0") return false;
  return (env.NEXTAUTH_URL ?? "").startsWith("https://");
}

export function sessionCookieName(secure = secureCookies()): string {
  return secure ? "__Host-portico.session" : "portico.session";
}

/** Both names, for code that only needs to know whether a session cookie is present (proxy). */
export const SESSION_COOKIE_NAMES = ["portico.session", "__Host-portico.session"] as const;
