import { z } from "zod";

/**
 * The login input, shared by the server (`login` in ./login.ts, the RPC method, next-auth's
 * authorize) and the browser (the /login form). No server-only imports here: the form's
 * react-hook-form resolver runs this module in the browser.
 */
export const LOGIN_FAILED_MESSAGE = "Incorrect login or password.";
export const PHONE_DOMAIN = "svc_phone";

/** XML-RPC clients may send a phone number or a PIN as <int>: a scalar is taken as its text. */
const scalar = <T extends z.ZodType<unknown, string>>(text: T) => z.union([z.string(), z.number()]).transform(String).pipe(text);

/** Freeside's login arguments: `email` + `password`, or `username` + `domain` + `password` (domain `svc_phone` for phone + PIN). */
export const loginInputSchema = z
  .object({
    email: scalar(z.string().trim().toLowerCase().max(255, "Email address is too long")).optional(),
    username: scalar(z.string().trim().toLowerCase().max(255, "Username is too long")).optional(),
    domain: scalar(z.string().trim().toLowerCase().max(255, "Domain is too long")).optional(),
    password: scalar(z.string().min(1, "Enter your password").max(255, "Password is too long")),
  })
  .superRefine((v, ctx) => {
    if (v.email) return;
    if (!v.username) ctx.addIssue({ code: "custom", path: ["username"], message: v.domain === PHONE_DOMAIN ? "Enter your phone number" : "Enter your email address or username" });
    else if (!v.domain) ctx.addIssue({ code: "custom", path: ["domain"], message: "Enter your domain" });
  });

export type LoginInput = z.input<typeof loginInputSchema>;

/**
 * A phone login's number as the lookup matches it: its digits, without the North American
 * country code ("+1 415 555 0123", "1-415-555-0123" and "(415) 555-0123" are one number).
 */
export function phoneLoginDigits(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, "");
  return digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
}

/** The three ways to log in, as the /login page offers them. */
export const LOGIN_METHODS = ["email", "username", "phone"] as const;
export type LoginMethod = (typeof LOGIN_METHODS)[number];

/**
 * The /login form: one flat object (every tab's fields) plus the chosen `method`; only the
 * chosen method's fields are checked. `loginFormToInput` turns it into `LoginInput`, which the
 * server parses again with `loginInputSchema` — the same limits apply on both sides.
 */
export const loginFormSchema = z
  .object({
    method: z.enum(LOGIN_METHODS),
    email: z.string().trim().max(255, "Email address is too long"),
    username: z.string().trim().max(255, "Username is too long"),
    domain: z.string().trim().max(255, "Domain is too long"),
    phone: z.string().trim().max(40, "Phone number is too long"),
    password: z.string().max(255, "Password is too long"),
    pin: z.string().trim().max(255, "PIN is too long"),
  })
  .superRefine((v, ctx) => {
    const need = (path: keyof typeof v, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (v.method === "email") {
      if (!v.email) need("email", "Enter your email address");
      else if (!/^[^\s@]+@[^\s@]+$/.test(v.email)) need("email", "Enter an email address like name@example.com");
      if (!v.password) need("password", "Enter your password");
    } else if (v.method === "username") {
      if (!v.username) need("username", "Enter your username");
      else if (v.username.includes("@")) need("username", "Enter only the part before the @, and the rest as the domain");
      if (!v.domain) need("domain", "Enter your domain");
      else if (v.domain.toLowerCase() === PHONE_DOMAIN) need("domain", "To log in with a phone number, use the Phone tab");
      if (!v.password) need("password", "Enter your password");
    } else {
      if (!v.phone) need("phone", "Enter your phone number");
      else if (!/^[0-9()+.\-\s]+$/.test(v.phone) || !/\d/.test(v.phone)) need("phone", "Enter digits only, like 555 010 0001");
      if (!v.pin) need("pin", "Enter your PIN");
    }
  });

export type LoginFormValues = z.input<typeof loginFormSchema>;

export const EMPTY_LOGIN_FORM: LoginFormValues = { method: "email", email: "", username: "", domain: "", phone: "", password: "", pin: "" };

/** The credentials the form sends: Freeside's `login` arguments for the chosen method only. */
export function loginFormToInput(v: LoginFormValues): LoginInput {
  switch (v.method) {
    case "email":
      return { email: v.email.trim(), password: v.password };
    case "username":
      return { username: v.username.trim(), domain: v.domain.trim(), password: v.password };
    case "phone":
      return { username: phoneLoginDigits(v.phone), domain: PHONE_DOMAIN, password: v.pin.trim() };
  }
}
