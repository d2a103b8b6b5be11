"use client";

import { useEffect } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { ErrorPanel } from "@/components/ui/error-panel";

/**
 * The body of an error boundary (app/error.tsx, app/(portal)/error.tsx): no message or stack
 * (production sends only a digest anyway); the digest ties the page to the server log line.
 */
export function UnexpectedError({ error, retry, homeHref }: { error: unknown; retry: () => void; homeHref: string }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <ErrorPanel
      title="Something went wrong"
      actions={
        <>
          <Button variant="primary" onClick={() => retry()}>
            Try again
          </Button>
          <ButtonLink href={homeHref}>Go to your account</ButtonLink>
        </>
      }
    >
      <title>Something went wrong · Portico</title>
      <p>We could not show this page. Nothing you did caused this. Please try again in a moment.</p>
      {digest ? (
        <p>
          Reference: <code>{digest}</code>
        </p>
      ) : null}
    </ErrorPanel>
  );
}
