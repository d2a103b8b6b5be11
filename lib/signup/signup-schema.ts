import { z } from "zod";
import type { FieldErrors } from "@/lib/errors";
import { invoicingListField, phoneField } from "@/lib/customers/customer-schema";
import { checkPostalCode } from "@/lib/customers/postal-codes";
import { domainProblem, passwordProblem, phoneNumberProblem, pinProblem, usernameProblem } from "@/lib/packages/service-rules";
import { checkPaybyFields, paybyFieldsShape, paymentKeyField } from "@/lib/payments/payby-schema";
import { idNumber, optionalText } from "@/lib/validation/fields";

/**
 * The input of `new_customer` / `new_customer_minimal` (Freeside's argument names), shared by the
 * /signup and /embed/signup forms (react-hook-form resolver), their server action, the RPC
 * methods and `newCustomer` in ./new-customer.ts. No server imports: the browser runs it.
 *
 * Every base field is optional and bounded, and every rule lives in one place, `signupProblems`
 * (run by the schema's refinement): that way a missing field on a later step of the form never
 * hides the errors of the step being checked. Rules that need the chosen package (which service
 * it provisions, whether it needs an access number) are applied when the caller knows it: the
 * form builds its schema with `makeSignupSchema({ service })`, the server calls `signupProblems`
 * again once the package is loaded.
 */

/** Freeside's signup payment types. */
export const SIGNUP_PAYBYS = ["CARD", "DCRD", "CHEK", "DCHK", "BILL", "COMP", "PREPAY"] as const;
export type SignupPayby = (typeof SIGNUP_PAYBYS)[number];

/** Offered when a package does not list its own (part_pkg.payby NULL). COMP only where a package lists it. */
export const DEFAULT_SIGNUP_PAYBYS: readonly SignupPayby[] = ["CARD", "DCRD", "CHEK", "DCHK", "BILL", "PREPAY"];

export const PAYBY_LONGNAME: Record<SignupPayby, string> = {
  CARD: "Credit card (automatic)",
  DCRD: "Credit card (on-demand)",
  CHEK: "Electronic check (automatic)",
  DCHK: "Electronic check (on-demand)",
  BILL: "Billing",
  COMP: "Complimentary",
  PREPAY: "Prepaid card",
};

/** The service a signup package provisions ('' = none). */
export type SignupService = "svc_acct" | "svc_phone" | "svc_domain" | "";

/** Freeside's msgcat texts that signup uses (signup_info returns them as `msgcat`). */
export const SIGNUP_MSGCAT = {
  passwords_dont_match: "Passwords don't match",
  invalid_card: "Invalid credit card number",
  unknown_card_type: "Unknown card type",
  not_a: "Not a ",
  empty_password: "Empty password",
  illegal_or_empty_text: "Illegal or empty (text)",
  no_access_number_selected: "Select an access number",
} as const;

export const SIGNUP_MESSAGES = {
  selectPackage: "Please select a package",
  illegalPayby: "Illegal payment type",
  /** Freeside's new_customer answer for a declined first charge. */
  decline: "_decline",
  prepayRequired: "Enter the prepaid card's PIN",
  prepayIllegal: "A prepaid card PIN has only letters, digits and dashes",
  prepayUnknown: "That prepaid card PIN is not valid or has already been used",
  emailRequired: "Enter your e-mail address",
  emailForLogin: "Enter an e-mail address to log in with",
  usernameRequired: "Choose a username",
  usernameTaken: "That username is already taken",
  phoneRequired: "Enter the phone number",
  pinRequired: "Choose a PIN",
  domainRequired: "Enter your domain name",
  password2Required: "Type the password again",
  honeypot: "Your signup could not be accepted.",
} as const;

/** A password is never trimmed (spaces are part of it); only bounded. */
function secretText(label: string, max: number) {
  return z.preprocess(
    (v) => (v === null ? "" : typeof v === "number" ? String(v) : v),
    z.string({ error: `${label} must be text` }).max(max, `${label} must be at most ${max} characters`).optional(),
  );
}

/** An id that may arrive empty from a form select ("" = not chosen). */
function optionalId(label: string) {
  return z.preprocess((v) => (v === "" || v === null ? undefined : v), idNumber(label).optional());
}

export const signupFieldsShape = {
  // Which agent and package.
  agentnum: optionalId("agentnum"),
  /** Portico: the agent's public signup key (what /embed/signup?agent=… carries). */
  signup_key: optionalText("Signup key", 64),
  pkgpart: optionalId("Package"),
  // The customer.
  first: optionalText("First name", 80),
  last: optionalText("Last name", 80),
  company: optionalText("Company", 80),
  address1: optionalText("Address", 80),
  address2: optionalText("Address line 2", 80),
  city: optionalText("City", 80),
  county: optionalText("County", 80),
  state: optionalText("State", 80),
  zip: optionalText("Postal code", 10),
  country: optionalText("Country", 2),
  daytime: phoneField("Daytime phone"),
  night: phoneField("Evening phone"),
  fax: phoneField("Fax"),
  mobile: phoneField("Mobile phone"),
  ss: optionalText("Social security number", 11),
  locale: optionalText("Language", 16),
  invoicing_list: invoicingListField.optional(),
  referral_custnum: optionalId("referral_custnum"),
  // Payment.
  payby: optionalText("Payment type", 8),
  /** Card number; bank account as `account@routing`; the prepaid card's PIN (PREPAY); the purchase order number (BILL). */
  payinfo: optionalText("Card, account or prepaid card number", 80),
  payinfo1: paybyFieldsShape.payinfo1,
  payinfo2: paybyFieldsShape.payinfo2,
  paycvv: paybyFieldsShape.paycvv,
  paydate: paybyFieldsShape.paydate,
  month: paybyFieldsShape.month,
  year: paybyFieldsShape.year,
  payname: paybyFieldsShape.payname,
  paystate: paybyFieldsShape.paystate,
  paytype: paybyFieldsShape.paytype,
  // The first service: an account …
  username: optionalText("Username", 64),
  _password: secretText("Password", 128),
  _password2: secretText("Password (again)", 128),
  sec_phrase: optionalText("Security phrase", 80),
  popnum: optionalId("Access number"),
  domsvc: optionalId("domsvc"),
  // … or a phone number …
  countrycode: optionalText("Country code", 3),
  phonenum: optionalText("Phone number", 25),
  pin: secretText("PIN", 8),
  // … or a domain.
  domain: optionalText("Domain", 80),
  // The form's one-time key (Freeside's payunique / paybatch): one submission, one customer.
  payunique: paymentKeyField,
  paybatch: paymentKeyField,
  /** The honeypot: a field people never see; anything in it marks a bot. */
  website: optionalText("Website", 200),
};

const signupObject = z.object(signupFieldsShape);
export type SignupFields = z.output<typeof signupObject>;
export type SignupInput = z.input<typeof signupObject>;

export interface SignupRules {
  /** new_customer_minimal: no address required, no package required. */
  minimal?: boolean;
  /** The chosen package's service, when known; its fields become required. */
  service?: { svcdb: SignupService; accessNumberRequired?: boolean };
  /** The signup pages: an e-mail and a password (to log in with) are always required, a PIN for a phone line. */
  interactive?: boolean;
  /** The clock for card expiry (default now). */
  now?: Date;
}

export function normalizePayby(v: string | undefined): string {
  return (v ?? "").trim().toUpperCase();
}

export function isSignupPayby(v: string): v is SignupPayby {
  return (SIGNUP_PAYBYS as readonly string[]).includes(v);
}

/**
 * Every rule of a signup, as field errors (empty = fine). Freeside's checks and messages where it
 * has them; the username, password, PIN, phone and domain rules are lib/packages/service-rules.
 */
export function signupProblems(v: SignupFields, rules: SignupRules = {}): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => {
    if (!errors[field]) errors[field] = [message];
  };

  if (!v.first) add("first", "First name is required");
  if (!v.last) add("last", "Last name is required");
  if (!rules.minimal && !v.pkgpart) add("pkgpart", SIGNUP_MESSAGES.selectPackage);

  // The address: required for new_customer; for new_customer_minimal only checked when given.
  const hasAddress = !!(v.address1 || v.city || v.zip);
  if (!rules.minimal || hasAddress) {
    if (!v.address1) add("address1", "Address is required");
    if (!v.city) add("city", "City is required");
    const country = (v.country ?? "").toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) add("country", "Choose a country");
    else {
      const zip = checkPostalCode(country, v.zip ?? "");
      if (!zip.ok) add("zip", zip.message);
    }
  }

  const emails = v.invoicing_list?.emails ?? [];
  if (rules.interactive && emails.length === 0) add("invoicing_list", SIGNUP_MESSAGES.emailRequired);

  // Payment.
  const payby = normalizePayby(v.payby);
  if (!payby) add("payby", "Choose how to pay");
  else if (!isSignupPayby(payby)) add("payby", SIGNUP_MESSAGES.illegalPayby);
  else if (payby === "CARD" || payby === "DCRD" || payby === "CHEK" || payby === "DCHK") {
    const r = checkPaybyFields(
      {
        payby,
        payinfo: payby === "CARD" || payby === "DCRD" ? v.payinfo : v.payinfo1 ? undefined : v.payinfo,
        payinfo1: v.payinfo1,
        payinfo2: v.payinfo2,
        paycvv: v.paycvv,
        paydate: v.paydate,
        month: v.month,
        year: v.year,
        payname: v.payname,
        paystate: v.paystate,
        paytype: v.paytype,
      },
      { now: rules.now ?? new Date() },
    );
    if (!r.ok) for (const [field, msgs] of Object.entries(r.fieldErrors)) add(field, msgs[0]!);
  } else if (payby === "PREPAY") {
    if (!v.payinfo) add("payinfo", SIGNUP_MESSAGES.prepayRequired);
    else if (!/^[A-Za-z0-9-]{1,80}$/.test(v.payinfo)) add("payinfo", SIGNUP_MESSAGES.prepayIllegal);
  }

  // The service's fields, checked whenever given.
  if (v.username) {
    const p = usernameProblem(v.username);
    if (p) add("username", p);
  }
  if (v._password) {
    const p = passwordProblem(v._password, { username: v.username });
    if (p) add("_password", p);
  }
  if (v._password2 !== undefined && v._password2 !== "" && v._password2 !== v._password) add("_password2", SIGNUP_MSGCAT.passwords_dont_match);
  if (v.pin) {
    const p = pinProblem(v.pin);
    if (p) add("pin", p);
  }
  if (v.phonenum) {
    const p = phoneNumberProblem((v.countrycode ?? "1").replace(/[^0-9]/g, "") || "1", v.phonenum);
    if (p) add("phonenum", p);
  }
  if (v.domain) {
    const p = domainProblem(v.domain);
    if (p) add("domain", p);
  }

  // … and required by the package's service.
  const svc = rules.service?.svcdb;
  if (svc === "svc_acct") {
    if (!v.username) add("username", SIGNUP_MESSAGES.usernameRequired);
    if (!v._password) add("_password", SIGNUP_MSGCAT.empty_password);
    if (rules.service?.accessNumberRequired && !v.popnum) add("popnum", SIGNUP_MSGCAT.no_access_number_selected);
  } else if (svc === "svc_phone") {
    if (!v.phonenum) add("phonenum", SIGNUP_MESSAGES.phoneRequired);
    if (rules.interactive && !v.pin) add("pin", SIGNUP_MESSAGES.pinRequired);
  } else if (svc === "svc_domain") {
    if (!v.domain) add("domain", SIGNUP_MESSAGES.domainRequired);
  }

  if (rules.interactive) {
    if (!v._password) add("_password", SIGNUP_MSGCAT.empty_password);
    if (!v._password2) add("_password2", SIGNUP_MESSAGES.password2Required);
  }
  return errors;
}

/** The schema for a set of rules (the form builds one per chosen package; the RPC methods use the two below). */
export function makeSignupSchema(rules: SignupRules = {}) {
  return signupObject.superRefine((v, ctx) => {
    for (const [path, msgs] of Object.entries(signupProblems(v, rules))) {
      for (const message of msgs) ctx.addIssue({ code: "custom", path: [path], message });
    }
  });
}

/** new_customer's arguments. */
export const newCustomerSchema = makeSignupSchema({});
/** new_customer_minimal's arguments. */
export const newCustomerMinimalSchema = makeSignupSchema({ minimal: true });

/** check_username's arguments (Freeside's reseller API: username + domain; Portico also takes domsvc). */
export const checkUsernameSchema = z.object({
  username: optionalText("Username", 64),
  domain: optionalText("Domain", 80),
  domsvc: optionalId("domsvc"),
});

/** Whether a package needs a dial-up access number (Portico: its name, comment or description says dial-up). */
export function isDialupPackage(p: { pkg: string; comment?: string | null; description?: string | null }): boolean {
  return /\bdial[\s-]?up\b/i.test([p.pkg, p.comment ?? "", p.description ?? ""].join(" "));
}

/** The values the signup forms hold (all strings, as the browser keeps them). */
export interface SignupFormValues {
  pkgpart: string;
  first: string;
  last: string;
  company: string;
  daytime: string;
  invoicing_list: string;
  address1: string;
  address2: string;
  city: string;
  county: string;
  state: string;
  zip: string;
  country: string;
  username: string;
  _password: string;
  _password2: string;
  acstate: string;
  popac: string;
  popnum: string;
  countrycode: string;
  phonenum: string;
  pin: string;
  domain: string;
  payby: string;
  payinfo: string;
  paycvv: string;
  month: string;
  year: string;
  payname: string;
  payinfo1: string;
  payinfo2: string;
  paytype: string;
  paystate: string;
  website: string;
}

/** The fields each step of the signup forms shows (and checks before moving on). */
export const SIGNUP_STEP_FIELDS = {
  package: ["pkgpart"],
  details: ["first", "last", "company", "daytime", "invoicing_list", "address1", "address2", "city", "county", "state", "zip", "country"],
  service: ["username", "_password", "_password2", "popnum", "phonenum", "pin", "domain"],
  payment: ["payby", "payinfo", "paycvv", "month", "year", "paydate", "payname", "payinfo1", "payinfo2", "paytype", "paystate"],
} as const satisfies Record<string, readonly (keyof SignupFormValues | "paydate")[]>;

export type SignupStep = keyof typeof SIGNUP_STEP_FIELDS;

/** The step on which a field is shown (for server errors: go back to it). */
export function stepOfField(field: string): SignupStep | null {
  for (const [step, fields] of Object.entries(SIGNUP_STEP_FIELDS) as [SignupStep, readonly string[]][]) {
    if (fields.includes(field)) return step;
  }
  return null;
}
