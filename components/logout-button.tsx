"use client";

import { useState } from "react";
import { signOut } from "next-auth/react";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";

/**
 * Ends the session (next-auth's sign-out revokes the session row) and goes to /login.
 * Pending while the request runs; cannot be pressed twice.
 */
export function LogoutButton({ variant = "secondary", size = "sm" }: { variant?: ButtonVariant; size?: ButtonSize }) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant={variant}
      size={size}
      pending={pending}
      pendingLabel="Logging out…"
      onClick={async () => {
        if (pending) return;
        setPending(true);
        try {
          // redirect: false + our own navigation: next-auth's returned URL is built from
          // NEXTAUTH_URL, which may be unset (or another host) in development.
          await signOut({ redirect: false });
          // A full load, so no page of the portal stays in the client router's cache.
          window.location.assign("/login");
        } catch {
          // The network failed: let the person try again.
          setPending(false);
        }
      }}
    >
      Log out
    </Button>
  );
}
