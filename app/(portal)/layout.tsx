import { hasSessionCookie } from "@/lib/auth/current-session";
import { PortalHeader } from "@/components/portal-header";

/**
 * The frame of every page behind login: brand, navigation, log out, and <main id="main">
 * (pages render their content only, starting with a PageHeader's h1).
 * It guards nothing: each page checks the session itself (a layout cannot know the path and is
 * not re-rendered on client navigation), so the frame only asks whether a session cookie is
 * there — no statement of its own; a visitor whose cookie has expired is sent to /login by the
 * page before the frame is ever shown.
 */
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const signedIn = await hasSessionCookie();
  return (
    <>
      <PortalHeader signedIn={signedIn} />
      <main id="main" className="container page-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer container">
        <p>Portico customer portal</p>
      </footer>
    </>
  );
}
