import Link from "next/link";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCustomerSession } from "@/lib/auth/current-session";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { Brand } from "@/components/ui/brand";
import { Card } from "@/components/ui/card";
import { LoginForm } from "./login-form";
import { LOGIN_FAILED_MESSAGE, type LoginMethod } from "@/lib/auth/login-schema";

export const metadata: Metadata = { title: "Log in" };

const METHODS: readonly LoginMethod[] = ["email", "username", "phone"];

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const next = safeNextPath(typeof sp.next === "string" ? sp.next : undefined);
  if (await getCustomerSession()) redirect(next);
  const via = typeof sp.via === "string" && (METHODS as readonly string[]).includes(sp.via) ? (sp.via as LoginMethod) : "email";
  // next-auth sends people back here with ?error=… when a non-JS post fails.
  const error = typeof sp.error === "string" ? sp.error : undefined;

  return (
    <main id="main" className="auth-main" tabIndex={-1}>
      <Brand className="auth-brand" href="/login" />
      <div className="auth-panel">
        <Card as="div">
          <h1>Log in</h1>
          <p className="muted">Use your email address, your account username, or your phone number.</p>
          <LoginForm next={next} initialMethod={via} initialError={error === "CredentialsSignin" ? LOGIN_FAILED_MESSAGE : error ? "Login failed. Please try again." : undefined} />
        </Card>
        <p className="auth-footnote">
          New here? <Link href="/signup">Sign up for service</Link>
        </p>
        {process.env.PORTICO_DEMO === "1" ? (
          <p className="auth-footnote">This is a demo: the demo logins are printed in the terminal that runs <code>npm start</code>.</p>
        ) : null}
      </div>
    </main>
  );
}
