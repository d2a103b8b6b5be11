/** @type {import('next').NextConfig} */

// Fixed headers on every path, in any case, 404s, static files and route handlers included.
// proxy.ts replaces the Content-Security-Policy on what it sees (pages: a per-request script nonce;
// the embed: the agent's frame-ancestors) and adds X-Frame-Options and HSTS there. X-Frame-Options
// cannot be taken off by the proxy, so it is sent here on every path except /embed and /embed/*
// (matched case-insensitively by Next; the proxy, case-sensitive like the routes, adds it back on
// /EMBED/x and the like, which are 404 pages). FALLBACK_CONTENT_SECURITY_POLICY in
// lib/http/security-headers.ts must equal the policy below (tests/hardening/headers-policy.test.ts).
const FALLBACK_CONTENT_SECURITY_POLICY =
  "frame-ancestors 'none'; default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

const baseSecurityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(self)" },
];

export default {
  poweredByHeader: false,
  reactStrictMode: true,
  // `next dev` would print every server action's arguments (card numbers, CVV, passwords).
  logging: { serverFunctions: false },
  // PGlite's wasm/data must be required from node_modules, never copied into public static assets.
  serverExternalPackages: ["@electric-sql/pglite", "pdfkit"],
  async headers() {
    return [
      {
        source: "/(.*)",
        headers: [...baseSecurityHeaders, { key: "Content-Security-Policy", value: FALLBACK_CONTENT_SECURITY_POLICY }],
      },
      {
        source: "/((?!embed/|embed$).*)",
        headers: [{ key: "X-Frame-Options", value: "DENY" }],
      },
    ];
  },
};
