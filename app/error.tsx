"use client";

import { useEffect } from "react";
import { Brand } from "@/components/ui/brand";
import { Button, ButtonLink } from "@/components/ui/button";
import { ErrorPanel } from "@/components/ui/error-panel";

/**
 * An unexpected error anywhere below the root layout. Shows no message or stack (production
 * sends only a digest anyway); the digest ties the page to the server log line.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main id="main" className="auth-main" tabIndex={-1}>
      <title>Something went wrong · Portico</title>
      <Brand className="auth-brand" />
      <ErrorPanel
        title="Something went wrong"
        actions={
          <>
            <Button variant="primary" onClick={() => retry()}>
              Try again
            </Button>
            <ButtonLink href="/">Go to your account</ButtonLink>
          </>
        }
      >
        <p>We could not show this page. Nothing you did caused this. Please try again in a moment.</p>
        {digest ? <p>Reference: <code>{digest}</code></p> : null}
      </ErrorPanel>
    </main>
  );
}
