import { getCustomerSession } from "@/lib/auth/current-session";
import { Brand } from "@/components/ui/brand";
import { PortalNav } from "@/components/portal-nav";
import { LogoutButton } from "@/components/logout-button";

/**
 * The frame of every page behind login: brand, navigation, log out, and <main id="main">
 * (pages render their content only, starting with a PageHeader's h1).
 * It guards nothing: each page calls requireCustomerPage(path) itself (a layout cannot know
 * the path and is not re-rendered on client navigation).
 */
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const session = await getCustomerSession();
  return (
    <>
      <header className="site-header">
        <div className="container site-header-bar">
          <Brand href="/account" />
          {session ? (
            <div className="header-logout">
              <LogoutButton />
            </div>
          ) : null}
          <PortalNav extra={session ? <LogoutButton variant="secondary" size="md" /> : null} />
        </div>
      </header>
      <main id="main" className="container page-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer container">
        <p>Portico customer portal</p>
      </footer>
    </>
  );
}
