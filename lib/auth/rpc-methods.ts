import "server-only";
import { z } from "zod";
import { declaredParams, defineMethod } from "@/lib/rpc/define-method";
import { SESSION_ERROR, AppError } from "@/lib/errors";
import { login } from "./login";
import { revokeSession } from "./sessions";

export const authMethods = [
  defineMethod({
    name: "login",
    auth: "none",
    // login() parses these itself; anything else a caller sends is dropped before the hash.
    input: declaredParams(["email", "username", "domain", "password"]),
    async run({ db, meta }, input) {
      const r = await login(db, input, meta);
      return {
        session_id: r.sessionToken,
        custnum: r.custnum,
        ...(r.contactnum ? { contactnum: r.contactnum } : {}),
        ...(r.svcnum ? { svcnum: r.svcnum } : {}),
      };
    },
  }),
  defineMethod({
    name: "logout",
    auth: "none",
    input: z.object({ session_id: z.unknown().optional() }),
    async run({ db }, input) {
      if (typeof input.session_id !== "string" || input.session_id === "") throw new AppError("UNAUTHENTICATED", SESSION_ERROR);
      await revokeSession(db, input.session_id);
      return {};
    },
  }),
];
