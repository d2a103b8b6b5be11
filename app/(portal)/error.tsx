"use client";

import { UnexpectedError } from "@/components/unexpected-error";

/** An unexpected error in a portal page: shown inside the portal frame (navigation and log out stay). */
export default function PortalError({ error, retry }: { error: unknown; retry: () => void }) {
  return <UnexpectedError error={error} retry={retry} homeHref="/account" />;
}
