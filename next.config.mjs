/** @type {import('next').NextConfig} */

// Every page may be framed by nobody, except /embed/* whose allowed origins are the agent's
// (set per request by the embed pages' own headers). Exactly one CSP header matches each path.
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
        source: "/((?!embed/|embed$).*)",
        headers: [
          ...baseSecurityHeaders,
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
      { source: "/embed/:path*", headers: baseSecurityHeaders },
    ];
  },
};
