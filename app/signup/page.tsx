import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Brand } from "@/components/ui/brand";
import { Alert } from "@/components/ui/alert";
import { getDb } from "@/db/client";
import { isAppError } from "@/lib/errors";
import { issueSignupToken } from "@/lib/signup/form-token";
import { resolveSignupAgent, type SignupAgent } from "@/lib/signup/signup-info";
import { loadSignupPage } from "@/lib/signup/signup-page";
import { SignupWizard } from "./signup-wizard";
import styles from "./signup.module.css";

export const metadata: Metadata = { title: "Sign up" };

/**
 * /signup: new customers sign up with the ISP (the signup-default agent, or the agent whose public
 * signup key is in ?agent=). Each render issues the form's signed one-time token.
 */
export default async function SignupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const key = typeof sp.agent === "string" && sp.agent.length <= 64 ? sp.agent : undefined;
  const db = await getDb();
  let ag: SignupAgent;
  try {
    ag = await resolveSignupAgent(db, { signupKey: key });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    if (isAppError(e) && e.code === "UNAVAILABLE") {
      return (
        <main id="main" className={styles.page} tabIndex={-1}>
          <div className={styles.inner}>
            <Brand className="auth-brand" href="/login" />
            <h1>Sign up</h1>
            <Alert tone="info">Online signup is not available at the moment.</Alert>
          </div>
        </main>
      );
    }
    throw e;
  }
  const data = await loadSignupPage(db, ag);
  const token = issueSignupToken(ag.agentnum);
  return (
    <main id="main" className={styles.page} tabIndex={-1}>
      <div className={styles.inner}>
        <header className={styles.header}>
          <Brand className="auth-brand" href="/login" />
          <p className="small">
            Already a customer? <Link href="/login">Log in</Link>
          </p>
        </header>
        <h1>Sign up with {data.branding.companyName}</h1>
        <SignupWizard data={data} token={token} mode="portal" portalUrl="" />
      </div>
    </main>
  );
}
