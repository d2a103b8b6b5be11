import "server-only";
import { createElement } from "react";
import { z } from "zod";
import { AccessNumberSelect, accessNumberCascadeScript, type AccessNumber } from "@/components/access-number-select";
import { resolveSession } from "@/lib/auth/sessions";
import { AppError, SESSION_ERROR } from "@/lib/errors";
import { defineMethod, type MethodContext, type RpcMethod } from "@/lib/rpc/define-method";
import { renderFragment } from "@/lib/rpc/render-fragment";
import { optionalText } from "@/lib/validation/fields";
import { parseInput } from "@/lib/validation/parse";
import { checkUsername } from "./check-username";
import { newCustomer, type NewCustomerResult } from "./new-customer";
import { listAccessNumbers, signupInfo } from "./signup-info";
import { checkUsernameSchema } from "./signup-schema";
import { consumeUsernameCheck } from "./throttle";

/**
 * Signup's RPC methods, Freeside's names, arguments and keys: signup_info, new_customer,
 * new_customer_minimal, check_username and the popselector HTML fragment. No customer session:
 * a reseller may pass its agent session as `session_id` (Freeside's reseller API), which decides
 * the agent. Each is a thin call of the one lib/signup function.
 */

/** The reseller's agent from `session_id`, if one was sent (a customer's or a dead session: Freeside's error). */
async function resellerAgent(ctx: MethodContext, sessionId: unknown): Promise<number | undefined> {
  if (sessionId === undefined || sessionId === null || sessionId === "") return undefined;
  const s = await resolveSession(ctx.db, sessionId);
  if (!s || s.kind !== "agent") throw new AppError("UNAUTHENTICATED", SESSION_ERROR);
  return s.agentnum;
}

const passthrough = z.object({}).passthrough();

const keysField = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[,\s]+/).filter(Boolean) : v),
  z.array(z.string().max(64)).max(64).optional(),
);

const signupInfoInput = z.object({
  session_id: z.unknown().optional(),
  agentnum: z.preprocess((v) => (v === "" || v === null ? undefined : typeof v === "string" && /^\d{1,10}$/.test(v.trim()) ? Number(v) : v), z.number().int().positive().optional()),
  signup_key: optionalText("signup_key", 64),
  promo_code: optionalText("promo_code", 80),
  reg_code: optionalText("reg_code", 80),
  keys: keysField,
});

function serviceKeys(r: NewCustomerResult): Record<string, unknown> {
  if (r.signup_service === "svc_acct") return { username: r.username, domain: r.domain };
  if (r.signup_service === "svc_phone") return { countrycode: r.countrycode, phonenum: r.phonenum };
  if (r.signup_service === "svc_domain") return { domain: r.hosted_domain };
  return {};
}

const accessNumberRow = z.object({
  popnum: z.preprocess((v) => (typeof v === "string" ? Number(v) : v), z.number().int().positive()),
  city: z.string().max(80),
  state: z.string().max(80),
  ac: z.string().max(3),
  exch: z.string().max(3),
  loc: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.string().max(4).nullable()),
});

const popselectorInput = z.object({
  popnum: optionalText("popnum", 12),
  pops: z.array(accessNumberRow).max(5000).optional(),
  init_popstate: optionalText("init_popstate", 80),
  acstate: optionalText("acstate", 80),
  popac: optionalText("popac", 3),
});

export const signupMethods: RpcMethod[] = [
  defineMethod({
    name: "signup_info",
    auth: "none",
    input: signupInfoInput,
    async run(ctx, input) {
      if (input.reg_code) throw new AppError("INVALID_INPUT", "Unknown registration code");
      const agentnum = (await resellerAgent(ctx, input.session_id)) ?? input.agentnum;
      return signupInfo(ctx.db, {
        agentnum,
        signupKey: agentnum ? undefined : input.signup_key,
        resellerSession: input.session_id !== undefined && input.session_id !== "",
        promoCode: input.promo_code,
        keys: input.keys,
      });
    },
  }),
  defineMethod({
    name: "new_customer",
    auth: "none",
    input: passthrough,
    async run(ctx, input) {
      const { session_id, ...fields } = input as Record<string, unknown>;
      const agentnum = await resellerAgent(ctx, session_id);
      const r = await newCustomer(ctx.db, fields, { agentnum, ip: ctx.meta.ip, userAgent: ctx.meta.userAgent });
      // Freeside also returns `_password`; Portico never echoes a password or a PIN.
      return { custnum: r.custnum, signup_service: r.signup_service, svcnum: r.svcnum ?? "", ...serviceKeys(r) };
    },
  }),
  defineMethod({
    name: "new_customer_minimal",
    auth: "none",
    input: passthrough,
    async run(ctx, input) {
      const { session_id, ...fields } = input as Record<string, unknown>;
      const agentnum = await resellerAgent(ctx, session_id);
      const r = await newCustomer(ctx.db, fields, { minimal: true, agentnum, ip: ctx.meta.ip, userAgent: ctx.meta.userAgent });
      const f = fields as { first?: unknown; last?: unknown; company?: unknown };
      return {
        custnum: r.custnum,
        signup_service: r.signup_service,
        session_id: r.sessionToken ?? "",
        first: String(f.first ?? "").trim(),
        last: String(f.last ?? "").trim(),
        company: String(f.company ?? "").trim(),
        svcnum: r.svcnum ?? "",
        ...serviceKeys(r),
      };
    },
  }),
  defineMethod({
    name: "check_username",
    auth: "none",
    input: passthrough,
    async run(ctx, input) {
      const { session_id, ...fields } = input as Record<string, unknown>;
      const agentnum = await resellerAgent(ctx, session_id);
      // Without a reseller session anyone may ask, so only so often per address.
      if (agentnum === undefined && ctx.meta.ip) await consumeUsernameCheck(ctx.db, ctx.meta.ip);
      const args = parseInput(checkUsernameSchema, fields);
      const r = await checkUsername(ctx.db, { username: args.username, domain: args.domain, domsvc: args.domsvc });
      return { available: r.available ? 1 : 0, reason: r.problem ?? "", domain: r.domain };
    },
  }),
  defineMethod({
    name: "popselector",
    auth: "none",
    input: popselectorInput,
    async run({ db }, input) {
      let pops: AccessNumber[] = input.pops ? input.pops.map((p) => ({ ...p, ac: p.ac.trim(), exch: p.exch.trim() })) : await listAccessNumbers(db);
      if (input.init_popstate) pops = pops.filter((p) => p.state === input.init_popstate);
      const html =
        (await renderFragment(
          createElement(AccessNumberSelect, { pops, popnum: input.popnum || null, state: input.acstate || input.init_popstate || undefined, ac: input.popac || undefined }),
        )) + (pops.length > 1 ? accessNumberCascadeScript(pops) : "");
      return { html, output: html };
    },
  }),
];
