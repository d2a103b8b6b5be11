"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef, useState, type ReactNode } from "react";

/** The portal's sections. */
export const PORTAL_NAV_ITEMS = [
  { href: "/account", label: "Account" },
  { href: "/invoices", label: "Invoices" },
  { href: "/billing/history", label: "Billing history" },
  { href: "/pay", label: "Pay" },
  { href: "/payment-methods", label: "Payment methods" },
  { href: "/account/security", label: "Security" },
] as const;

function isWithin(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** Whether `href` is the current section: the longest nav item the path is within (so /account/security is Security, not Account). */
export function isCurrentPath(pathname: string, href: string): boolean {
  if (!isWithin(pathname, href)) return false;
  return !PORTAL_NAV_ITEMS.some((item) => item.href.length > href.length && isWithin(pathname, item.href));
}

/**
 * The main navigation: a row of links on wide screens; on phones a "Menu" button
 * (aria-expanded) shows and hides the list. The current section has aria-current="page".
 * `extra` (e.g. the log out button) is shown at the end of the list on phones only.
 */
export function PortalNav({ extra }: { extra?: ReactNode }) {
  const pathname = usePathname() ?? "";
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  return (
    <nav
      className="portal-nav"
      aria-label="Main"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          setOpen(false);
          toggle.current?.focus();
        }
      }}
    >
      <button
        ref={toggle}
        type="button"
        className="button button-secondary button-sm portal-nav-toggle"
        aria-expanded={open}
        aria-controls="portal-nav-list"
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">{open ? "✕" : "☰"}</span>
        Menu
      </button>
      <ul id="portal-nav-list" className="portal-nav-list" data-open={open}>
        {PORTAL_NAV_ITEMS.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              className="portal-nav-link"
              aria-current={isCurrentPath(pathname, item.href) ? "page" : undefined}
              onClick={() => setOpen(false)}
            >
              {item.label}
            </Link>
          </li>
        ))}
        {extra ? <li className="portal-nav-extra">{extra}</li> : null}
      </ul>
    </nav>
  );
}
