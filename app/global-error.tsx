"use client";

import { useEffect } from "react";
import "./globals.css";

/** An error in the root layout itself: replaces the whole document, so it has its own <html>. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <html lang="en">
      <body>
        <title>Something went wrong · Portico</title>
        <main id="main" className="auth-main">
          <div className="error-page">
            <h1>Something went wrong</h1>
            <p className="muted">Portico could not show this page. Please try again in a moment.</p>
            {digest ? (
              <p className="muted">
                Reference: <code>{digest}</code>
              </p>
            ) : null}
            <div className="cluster">
              <button type="button" className="button button-primary" onClick={() => retry()}>
                Try again
              </button>
              {/* A plain link: the router may be what failed. */}
              <a className="button button-secondary" href="/">
                Go to the start page
              </a>
            </div>
          </div>
        </main>
      </body>
    </html>
  );
}
