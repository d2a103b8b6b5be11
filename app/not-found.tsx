import type { Metadata } from "next";
import { Brand } from "@/components/ui/brand";
import { ButtonLink } from "@/components/ui/button";
import { ErrorPanel } from "@/components/ui/error-panel";

export const metadata: Metadata = { title: "Page not found" };

/** Unknown URLs, and notFound() outside the portal. */
export default function NotFound() {
  return (
    <main id="main" className="auth-main" tabIndex={-1}>
      <Brand className="auth-brand" />
      <ErrorPanel
        code="Error 404"
        title="Page not found"
        actions={
          <ButtonLink href="/" variant="primary">
            Go to your account
          </ButtonLink>
        }
      >
        <p>The page you asked for does not exist, or it is not yours to see.</p>
      </ErrorPanel>
    </main>
  );
}
