import type { CSSProperties } from "react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { isListedEmbedOrigin } from "@/lib/signup/embed-policy";
import { issueSignupToken } from "@/lib/signup/form-token";
import { resolveSignupAgent, type SignupAgent } from "@/lib/signup/signup-info";
import { loadSignupPage } from "@/lib/signup/signup-page";
import { SignupWizard } from "../../signup/signup-wizard";
import styles from "../../signup/signup.module.css";
import { EmbedBridge } from "./embed-bridge";

export const metadata: Metadata = { title: "Sign up" };

/**
 * /embed/signup?agent=<signup key>&parent=<host origin>: the signup form inside an ISP's or a
 * reseller's page (see public/embed.js), in the agent's colours and name. proxy.ts sends
 * `Content-Security-Policy: frame-ancestors <the agent's origins>` with it ('none' for an unknown
 * key), so only those sites can frame it. Nothing here sets or needs a cookie: the form's signed
 * token is its anti-forgery check, so it works where browsers block third-party cookies.
 */
function publicUrl(h: Headers): string {
  const configured = getEnv().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto.split(",")[0]!.trim()}://${host.split(",")[0]!.trim()}`;
}

export default async function EmbedSignupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const key = typeof sp.agent === "string" && sp.agent.length <= 64 ? sp.agent : "";
  if (!key) notFound();
  const db = await getDb();
  let ag: SignupAgent;
  try {
    ag = await resolveSignupAgent(db, { signupKey: key });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  const parent = typeof sp.parent === "string" ? sp.parent : "";
  const parentOrigin = isListedEmbedOrigin(ag.embedOrigins, parent) ? parent.trim().toLowerCase() : null;
  const data = await loadSignupPage(db, ag);
  const token = issueSignupToken(ag.agentnum);
  const portalUrl = publicUrl(await headers());
  const brand = data.branding.brandColor;
  const style = (brand ? { "--color-primary": brand, "--color-primary-hover": brand, "--color-focus": brand } : {}) as CSSProperties;
  return (
    <main id="main" className={styles.embedPage} style={style} tabIndex={-1}>
      <div id="embed-root" className={styles.inner}>
        <header className={styles.header}>
          <span className={styles.agent}>
            {data.branding.logoUrl ? (
              // eslint-disable-next-line @next/next/no-img-element -- the agent's own logo, any host
              <img className={styles.logo} src={data.branding.logoUrl} alt="" />
            ) : (
              <span className={styles.swatch} aria-hidden="true" />
            )}
            <span data-testid="embed-agent">{data.branding.companyName}</span>
          </span>
        </header>
        <h1>Sign up with {data.branding.companyName}</h1>
        <SignupWizard data={data} token={token} mode="embed" portalUrl={portalUrl} parentOrigin={parentOrigin} />
      </div>
      <EmbedBridge parentOrigin={parentOrigin} rootId="main" />
    </main>
  );
}
