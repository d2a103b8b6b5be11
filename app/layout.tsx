import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { template: "%s · Portico", default: "Portico" },
  description: "Your account: invoices, payments and services.",
  applicationName: "Portico",
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#1d5fb0",
};

/**
 * Every page: the skip link first; each layout or page below renders `<main id="main">`.
 *
 * Every page renders per request (`connection()`): the Content-Security-Policy proxy.ts sends
 * carries a fresh script nonce, which Next puts on its scripts while rendering; a page prerendered
 * at build time would carry none, and the browser would refuse to run its scripts.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
