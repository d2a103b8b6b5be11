"use client";

import { Brand } from "@/components/ui/brand";
import { UnexpectedError } from "@/components/unexpected-error";

/** An unexpected error anywhere below the root layout, outside the portal frame. */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main id="main" className="auth-main" tabIndex={-1}>
      <Brand className="auth-brand" />
      <UnexpectedError error={error} retry={retry} homeHref="/" />
    </main>
  );
}
