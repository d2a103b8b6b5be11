/**
 * Who may frame the embedded signup: the agent's listed origins (agent.embed_origins), nobody
 * else. Pure (no server imports) so proxy.ts, the embed page and tests share it.
 *
 * Only well-formed origins make it into the header (scheme, host, optional port — nothing that
 * could end the directive or add another), so a bad row can never widen the policy.
 */
import { contentSecurityPolicy, type SecurityHeaderOptions } from "@/lib/http/security-headers";

const ORIGIN_RE = /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;

/** The valid origins of a list, lower-cased, without duplicates. */
export function cleanEmbedOrigins(origins: readonly string[] | null | undefined): string[] {
  const out: string[] = [];
  for (const raw of origins ?? []) {
    const o = String(raw).trim().toLowerCase().replace(/\/+$/, "");
    if (ORIGIN_RE.test(o) && !out.includes(o)) out.push(o);
  }
  return out;
}

/**
 * The Content-Security-Policy of an /embed/* response: frame-ancestors the agent's origins (or
 * 'none'), and otherwise the portal's strict policy (lib/http/security-headers.ts) with this
 * request's nonce; the agent's logo may come from any https host.
 */
export function embedContentSecurityPolicy(
  origins: readonly string[],
  options: Omit<SecurityHeaderOptions, "frameAncestors" | "isEmbed">,
): string {
  return contentSecurityPolicy({ ...options, frameAncestors: cleanEmbedOrigins(origins), isEmbed: true });
}

/** Whether `origin` (the host page's, as embed.js reports it) is one the agent listed. */
export function isListedEmbedOrigin(origins: readonly string[], origin: string | null | undefined): boolean {
  if (!origin) return false;
  return cleanEmbedOrigins(origins).includes(origin.trim().toLowerCase());
}
