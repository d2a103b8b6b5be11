"use client";

import { useEffect } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { ErrorPanel } from "@/components/ui/error-panel";

/** An unexpected error in a portal page: shown inside the portal frame (navigation and log out stay). */
export default function PortalError({ error, retry }: { error: unknown; retry: () => void }) {
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
          <ButtonLink href="/account">Go to your account</ButtonLink>
        </>
      }
    >
      <title>Something went wrong · Portico</title>
      <p>We could not show this page. Please try again in a moment.</p>
      {digest ? (
        <p>
          Reference: <code>{digest}</code>
        </p>
      ) : null}
    </ErrorPanel>
  );
}
