"use server";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { isAppError } from "@/lib/errors";
import { actionError, type ActionFailure } from "@/lib/http/action-result";
import { clientMeta } from "@/lib/http/client-meta";
import { formatMoneyPretty } from "@/lib/money/cents";
import { checkUsername } from "@/lib/signup/check-username";
import { issueSignupToken, verifySignupToken } from "@/lib/signup/form-token";
import { consumeUsernameCheck } from "@/lib/signup/throttle";
import { newCustomer } from "@/lib/signup/new-customer";
import { quoteSignupPackages, type SignupQuoteView } from "@/lib/signup/signup-page";

/**
 * The signup forms' server actions (/signup and /embed/signup share them). No session: the form's
 * signed token names the agent and is the submission's one-time key (lib/signup/form-token.ts).
 * The same lib/signup functions and schema as the RPC methods.
 */

export interface SignupDone {
  custnum: number;
  /** What the new customer logs in with. */
  email: string;
  accountLogin: string;
  phonenum: string;
  paidPretty: string;
  invoicePretty: string;
  balanceCents: number;
  balancePretty: string;
  creditPretty: string;
  replayed: boolean;
}

export type SignupActionResult =
  | { ok: true; data: SignupDone }
  | (ActionFailure & {
      /** A fresh form token for the next attempt (the old key is spent at the gateway); absent when the form must be reloaded. */
      nextToken?: string;
      declined?: boolean;
    });

/** Only these keys of the form are passed on; the agent and the one-time key come from the token. */
const FORM_KEYS = [
  "pkgpart", "first", "last", "company", "daytime", "invoicing_list", "address1", "address2", "city", "county", "state", "zip", "country",
  "username", "_password", "_password2", "popnum", "countrycode", "phonenum", "pin", "domain",
  "payby", "payinfo", "paycvv", "month", "year", "payname", "payinfo1", "payinfo2", "paytype", "paystate", "website",
] as const;

function pick(values: unknown): Record<string, unknown> {
  const src = typeof values === "object" && values !== null ? (values as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const k of FORM_KEYS) if (k in src) out[k] = src[k];
  return out;
}

export async function submitSignup(token: string, values: unknown): Promise<SignupActionResult> {
  let agentnum: number;
  try {
    ({ agentnum } = verifySignupToken(token));
  } catch (e) {
    return actionError("submitSignup", e);
  }
  try {
    const meta = clientMeta(await headers());
    const r = await newCustomer(await getDb(), { ...pick(values), payunique: token }, { agentnum, interactive: true, ip: meta.ip, userAgent: meta.userAgent });
    return {
      ok: true,
      data: {
        custnum: r.custnum,
        email: r.email,
        accountLogin: r.username && r.domain ? `${r.username}@${r.domain}` : "",
        phonenum: r.phonenum,
        paidPretty: formatMoneyPretty(r.paidCents),
        invoicePretty: formatMoneyPretty(r.invoiceTotalCents),
        balanceCents: r.balanceCents,
        balancePretty: formatMoneyPretty(Math.abs(r.balanceCents)),
        creditPretty: formatMoneyPretty(r.creditCents),
        replayed: r.replayed,
      },
    };
  } catch (e) {
    const failure = actionError("submitSignup", e);
    if (isAppError(e) && e.code === "PAYMENT_DECLINED") {
      const reason = Object.values(e.fieldErrors ?? {})[0]?.[0];
      return {
        ...failure,
        declined: true,
        message: `Your payment was declined${reason ? ` (${reason})` : ""}. Nothing was charged and no account was created. Check the details, or use another card or account.`,
        nextToken: issueSignupToken(agentnum),
      };
    }
    return { ...failure, nextToken: issueSignupToken(agentnum) };
  }
}

/** Live check of a login name for the form (the same rules and lookup as RPC check_username). */
export async function checkUsernameAvailable(username: string): Promise<{ available: boolean | null; problem: string | null; domain: string }> {
  try {
    const db = await getDb();
    const { ip } = clientMeta(await headers());
    if (ip) await consumeUsernameCheck(db, ip);
    const r = await checkUsername(db, { username: String(username ?? "").slice(0, 64) });
    return { available: r.available, problem: r.problem, domain: r.domain };
  } catch {
    // Rate limited or unavailable: the answer is "unknown"; the signup itself checks again.
    return { available: null, problem: null, domain: "" };
  }
}

/** The first invoice of every package at the address typed so far (prices with tax). */
export async function quoteSignup(token: string, loc: { country?: string; state?: string; county?: string; city?: string }): Promise<SignupQuoteView[]> {
  try {
    const { agentnum } = verifySignupToken(token);
    const s = (v: unknown, max: number) => String(v ?? "").trim().slice(0, max);
    const country = s(loc?.country, 2).toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) return [];
    return await quoteSignupPackages(await getDb(), agentnum, { country, state: s(loc.state, 80), county: s(loc.county, 80), city: s(loc.city, 80) });
  } catch {
    return [];
  }
}
