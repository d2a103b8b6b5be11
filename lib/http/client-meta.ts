import type { SessionMeta } from "@/lib/auth/sessions";

type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string | null {
  if (typeof (h as { get?: unknown }).get === "function") return (h as { get(n: string): string | null }).get(name);
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/**
 * The caller's address, for throttling and the audit log: the rightmost X-Forwarded-For entry.
 * Next.js fills the header from the socket only when the client did not send one, so behind a
 * reverse proxy that appends the client address (the supported deployment) this is the real
 * client; without one a client can choose it. Identity throttling does not depend on it.
 */
export function clientIp(h: HeaderSource): string | null {
  const xff = header(h, "x-forwarded-for");
  if (!xff) return null;
  const parts = xff.split(",").map((s) => s.trim()).filter(Boolean);
  const last = parts[parts.length - 1];
  return last ? last.replace(/^::ffff:/, "").slice(0, 64) : null;
}

export function clientMeta(h: HeaderSource): SessionMeta {
  return { ip: clientIp(h), userAgent: header(h, "user-agent")?.slice(0, 300) ?? null };
}
