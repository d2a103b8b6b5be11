"use client";

import { ButtonLink } from "@/components/ui/button";
import { ErrorPanel } from "@/components/ui/error-panel";

/**
 * notFound() from a portal page (a missing id, or another customer's): inside the portal frame.
 * A client component because Next puts this boundary's content into every portal page's React
 * Server Components payload; as a client component it is one reference there, not its markup.
 */
export default function PortalNotFound() {
  return (
    <ErrorPanel
      code="Not found"
      title="We could not find that"
      actions={
        <ButtonLink href="/account" variant="primary">
          Go to your account
        </ButtonLink>
      }
    >
      <title>Not found · Portico</title>
      <p>It may have been removed, or the link may be wrong.</p>
    </ErrorPanel>
  );
}
