"use client";

import { Brand } from "@/components/ui/brand";
import { LogoutButton } from "@/components/logout-button";
import { PortalNav } from "@/components/portal-nav";

/**
 * The header of every portal page: brand, log out (in the bar on wide screens, at the end of the
 * menu on phones) and the navigation. One client component rather than server markup around
 * three client ones: the server then sends one reference in each page's React Server Components
 * payload instead of the header's elements, and renders them once (into HTML) instead of twice.
 */
export function PortalHeader({ signedIn }: { signedIn: boolean }) {
  return (
    <header className="site-header">
      <div className="container site-header-bar">
        <Brand href="/account" />
        {signedIn ? (
          <div className="header-logout">
            <LogoutButton />
          </div>
        ) : null}
        <PortalNav extra={signedIn ? <LogoutButton variant="secondary" size="md" /> : null} />
      </div>
    </header>
  );
}
