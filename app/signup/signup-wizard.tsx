"use client";

import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useForm, type FieldPath, type Resolver } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { AccessNumberSelect, accessNumberLabel, type AccessNumberField } from "@/components/access-number-select";
import { ExpirationSelect } from "@/components/expiration-select";
import { LocationForm, TextField, type AddressField } from "@/components/location-form";
import type { RegionField } from "@/components/region-selector";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DescriptionList } from "@/components/ui/description-list";
import { countryName, stateName } from "@/lib/customers/region-names";
import { PAYTYPES } from "@/lib/payments/bank";
import { cardTypeLabel, checkCardNumber } from "@/lib/payments/card";
import { usernameProblem } from "@/lib/packages/service-rules";
import type { SignupPageData, SignupPagePackage, SignupQuoteView } from "@/lib/signup/signup-page";
import {
  makeSignupSchema,
  SIGNUP_MESSAGES,
  SIGNUP_STEP_FIELDS,
  stepOfField,
  type SignupFormValues,
  type SignupPayby,
  type SignupStep,
} from "@/lib/signup/signup-schema";
import { checkUsernameAvailable, quoteSignup, submitSignup, type SignupDone } from "./actions";
import styles from "./signup.module.css";

/**
 * The signup form, in steps: plan → details and address → login → payment → review → done.
 * One react-hook-form over every step, validated with the same zod schema as the server (built
 * for the chosen plan's service); each step checks its own fields before moving on. The server
 * checks everything again and its field errors are shown in place, on their step.
 *
 * No double submission: one signed form token per render is the submission's one-time key
 * (the server makes one customer per key) and the button is disabled while it is in flight.
 * After a failure the server hands out a fresh token.
 *
 * mode "portal" (/signup): when done, the new customer is logged in (next-auth) and lands on
 * /account. mode "embed" (/embed/signup, inside an ISP's iframe): no cookie is needed or set;
 * when done it tells the host page (postMessage to its listed origin) and links to the portal.
 */
type Step = SignupStep | "review" | "done";
const FLOW: Step[] = ["package", "details", "service", "payment", "review"];
const STEP_LABEL: Record<Exclude<Step, "done">, string> = { package: "Plan", details: "Your details", service: "Login", payment: "Payment", review: "Review" };

type PayKind = "card" | "bank" | "prepay" | "bill" | "comp";
const KIND_LABEL: Record<PayKind, string> = {
  card: "Credit card",
  bank: "Bank account (electronic check)",
  prepay: "Prepaid card",
  bill: "Invoice me (purchase order)",
  comp: "Complimentary",
};

function kindOf(payby: string): PayKind | null {
  switch (payby) {
    case "CARD":
    case "DCRD":
      return "card";
    case "CHEK":
    case "DCHK":
      return "bank";
    case "PREPAY":
      return "prepay";
    case "BILL":
      return "bill";
    case "COMP":
      return "comp";
    default:
      return null;
  }
}

function kindsFor(allowed: readonly SignupPayby[]): PayKind[] {
  const out: PayKind[] = [];
  for (const p of allowed) {
    const k = kindOf(p);
    if (k && !out.includes(k)) out.push(k);
  }
  return out;
}

/** The payby for a kind: automatic (CARD/CHEK) or on demand (DCRD/DCHK), as the plan allows. */
function paybyFor(kind: PayKind, autopay: boolean, allowed: readonly SignupPayby[]): SignupPayby {
  const pick = (auto: SignupPayby, demand: SignupPayby) => {
    if (autopay) return allowed.includes(auto) ? auto : demand;
    return allowed.includes(demand) ? demand : auto;
  };
  switch (kind) {
    case "card":
      return pick("CARD", "DCRD");
    case "bank":
      return pick("CHEK", "DCHK");
    case "prepay":
      return "PREPAY";
    case "bill":
      return "BILL";
    case "comp":
      return "COMP";
  }
}

const EMPTY: SignupFormValues = {
  pkgpart: "",
  first: "",
  last: "",
  company: "",
  daytime: "",
  invoicing_list: "",
  address1: "",
  address2: "",
  city: "",
  county: "",
  state: "",
  zip: "",
  country: "",
  username: "",
  _password: "",
  _password2: "",
  acstate: "",
  popac: "",
  popnum: "",
  countrycode: "1",
  phonenum: "",
  pin: "",
  domain: "",
  payby: "",
  payinfo: "",
  paycvv: "",
  month: "",
  year: "",
  payname: "",
  payinfo1: "",
  payinfo2: "",
  paytype: "",
  paystate: "",
  website: "",
};

/** What goes to the server (the access-number cascade's state and area code are only the form's). */
function payload(v: SignupFormValues): Record<string, string> {
  const { acstate: _s, popac: _a, ...rest } = v;
  return rest;
}

function serviceTitle(pkg: SignupPagePackage | undefined): string {
  switch (pkg?.svcdb) {
    case "svc_acct":
      return "Choose your login";
    case "svc_phone":
      return "Your phone line and login";
    case "svc_domain":
      return "Your domain and login";
    default:
      return "Choose a password";
  }
}

export interface SignupWizardProps {
  data: SignupPageData;
  token: string;
  mode: "portal" | "embed";
  /** The portal's address, for the embed's "log in" link. */
  portalUrl: string;
  /** embed: the host page's origin, when the agent lists it (postMessage goes only there). */
  parentOrigin?: string | null;
}

export function SignupWizard({ data, token: initialToken, mode, portalUrl, parentOrigin }: SignupWizardProps) {
  const router = useRouter();
  const [step, setStep] = useState<Step>("package");
  const [token, setToken] = useState(initialToken);
  const [notice, setNotice] = useState<{ tone: "error" | "info" | "success"; text: string; reload?: boolean } | null>(null);
  const [done, setDone] = useState<SignupDone | null>(null);
  const [loginState, setLoginState] = useState<"idle" | "signing-in" | "failed">("idle");
  const [quotes, setQuotes] = useState<Map<number, SignupQuoteView> | null>(null);
  const [usernameStatus, setUsernameStatus] = useState<{ name: string; text: string; ok: boolean } | null>(null);
  const [autopay, setAutopay] = useState(true);
  const [pending, startTransition] = useTransition();
  /** "Continue" while its checks run (the username check asks the server). */
  const [advancing, setAdvancing] = useState(false);
  const inFlight = useRef(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  // Set once hydrated: until then a click could be undone by the form taking over its inputs.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const packages = data.packages;
  const pkgOf = (pkgpart: string) => packages.find((p) => String(p.pkgpart) === pkgpart);

  const resolver: Resolver<SignupFormValues> = useMemo(
    () => (values, ctx, options) => {
      const pkg = packages.find((p) => String(p.pkgpart) === values.pkgpart);
      const schema = makeSignupSchema({ interactive: true, service: pkg ? { svcdb: pkg.svcdb, accessNumberRequired: pkg.accessNumberRequired } : undefined });
      return (zodResolver(schema as never, undefined, { raw: true }) as unknown as Resolver<SignupFormValues>)(values, ctx, options);
    },
    [packages],
  );

  const form = useForm<SignupFormValues>({
    defaultValues: { ...EMPTY, country: data.countryDefault, state: data.regions.some((r) => r.country === data.countryDefault && r.state === data.stateDefault) ? data.stateDefault : "" },
    resolver,
    mode: "onTouched",
  });
  const { register, handleSubmit, setValue, watch, setError, clearErrors, trigger, getValues, formState } = form;
  const values = watch();
  const pkg = pkgOf(values.pkgpart);
  const allowed = pkg?.payby ?? [];
  const kinds = kindsFor(allowed);
  const kind = kindOf(values.payby);
  const err = (name: string) => (formState.errors as Record<string, { message?: string } | undefined>)[name]?.message;

  // A field showing an error is checked again as soon as it changes (not only when it loses
  // focus), so a fixed error goes away at once — and the Continue button does not jump away
  // from under the pointer when the message disappears on blur.
  useEffect(() => {
    const sub = form.watch((_v, { name, type }) => {
      if (type === "change" && name && (form.formState.errors as Record<string, unknown>)[name]) void trigger(name);
    });
    return () => sub.unsubscribe();
  }, [form, trigger]);

  // Focus the step's heading when the step changes (not on the first render).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step]);

  // Keep the payment type one the chosen plan accepts.
  useEffect(() => {
    if (!pkg) return;
    if (!values.payby || !pkg.payby.includes(values.payby as SignupPayby)) {
      const first = kindsFor(pkg.payby)[0];
      if (first) setValue("payby", paybyFor(first, autopay, pkg.payby));
    }
  }, [pkg, values.payby, autopay, setValue]);

  // embed: tell the host page when the signup is done (only the listed origin hears it).
  useEffect(() => {
    if (mode !== "embed" || !done || !parentOrigin || window.parent === window) return;
    window.parent.postMessage({ type: "portico:signup-complete", custnum: done.custnum }, parentOrigin);
  }, [mode, done, parentOrigin]);

  function goTo(s: Step) {
    setStep(s);
    if (typeof window !== "undefined" && mode === "portal") window.scrollTo({ top: 0 });
  }

  async function fetchQuotes() {
    const v = getValues();
    const list = await quoteSignup(token, { country: v.country, state: v.state, county: v.county, city: v.city });
    setQuotes(list.length ? new Map(list.map((q) => [q.pkgpart, q])) : null);
  }

  async function checkUsernameNow(focus = true): Promise<boolean> {
    const name = getValues("username").trim().toLowerCase();
    if (!name || usernameProblem(name)) return true; // the schema says what is wrong
    if (usernameStatus?.name === name) {
      if (!usernameStatus.ok) setError("username", { message: usernameStatus.text }, { shouldFocus: focus });
      return usernameStatus.ok;
    }
    const r = await checkUsernameAvailable(name);
    if (r.available === null) return true; // the server decides on submit
    // The person may have typed on meanwhile: only an answer about the current name counts.
    if (getValues("username").trim().toLowerCase() !== name) return true;
    const text = r.available ? `${name}@${r.domain} is available.` : (r.problem ?? SIGNUP_MESSAGES.usernameTaken);
    setUsernameStatus({ name, ok: r.available, text });
    if (!r.available) setError("username", { message: text }, { shouldFocus: focus });
    return r.available;
  }

  async function next() {
    if (step === "review" || step === "done" || advancing) return;
    setNotice(null);
    setAdvancing(true);
    try {
      const fields = SIGNUP_STEP_FIELDS[step] as readonly string[];
      const ok = await trigger(fields as FieldPath<SignupFormValues>[], { shouldFocus: true });
      if (!ok) return;
      if (step === "service" && pkg?.svcdb === "svc_acct" && !(await checkUsernameNow())) return;
      if (step === "details") void fetchQuotes();
      goTo(FLOW[FLOW.indexOf(step) + 1]!);
    } finally {
      setAdvancing(false);
    }
  }

  function back() {
    const i = FLOW.indexOf(step);
    if (i > 0) {
      setNotice(null);
      goTo(FLOW[i - 1]!);
    }
  }

  function chooseKind(k: PayKind, auto = autopay) {
    if (k !== kind) {
      // A card number must not turn into a prepaid PIN or a purchase order number.
      setValue("payinfo", "");
      setValue("paycvv", "");
      clearErrors(["payinfo", "paycvv", "payinfo1", "payinfo2", "month", "year", "payname"]);
    }
    setValue("payby", paybyFor(k, auto, allowed), { shouldDirty: true });
  }

  const submit = handleSubmit(
    (v) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setNotice(null);
      startTransition(async () => {
        try {
          const result = await submitSignup(token, payload(v));
          if (result.ok) {
            setDone(result.data);
            setStep("done");
            if (mode === "portal") await logIn(v);
            return;
          }
          if (result.nextToken) setToken(result.nextToken);
          let firstStep: Step | null = null;
          for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) {
            if (!(field in EMPTY)) continue;
            setError(field as FieldPath<SignupFormValues>, { message: messages[0] });
            const s = stepOfField(field);
            if (s && (firstStep === null || FLOW.indexOf(s) < FLOW.indexOf(firstStep))) firstStep = s;
          }
          if (result.declined) {
            // Keep everything typed except the card number and security code.
            setValue("payinfo", "");
            setValue("paycvv", "");
            setValue("payinfo1", "");
            firstStep = "payment";
          }
          setNotice({ tone: "error", text: result.message, reload: !result.nextToken });
          if (firstStep) goTo(firstStep);
        } catch {
          setNotice({ tone: "error", text: "We could not reach the server. Check your connection and try again." });
        } finally {
          inFlight.current = false;
        }
      });
    },
    (errors) => {
      const fields = Object.keys(errors);
      const steps = fields.map(stepOfField).filter((s): s is SignupStep => s !== null);
      const first = FLOW.find((s) => steps.includes(s as SignupStep));
      setNotice({ tone: "error", text: "Please correct the highlighted fields." });
      if (first) goTo(first);
    },
  );

  async function logIn(v: SignupFormValues) {
    setLoginState("signing-in");
    try {
      const r = await signIn("credentials", { redirect: false, email: v.invoicing_list.trim(), password: v._password });
      if (r?.ok && !r.error) {
        router.replace("/account");
        router.refresh();
        return;
      }
    } catch {
      /* fall through */
    }
    setLoginState("failed");
  }

  function onFormSubmit(e: React.FormEvent<HTMLFormElement>) {
    if (step === "review") {
      void submit(e);
      return;
    }
    // Enter on an earlier step means "Continue".
    e.preventDefault();
    void next();
  }

  const selectProps = (field: RegionField) =>
    register(field, {
      onChange: () => {
        if (field === "country") {
          setValue("state", "");
          setValue("county", "");
        } else if (field === "state") setValue("county", "");
      },
    });

  const popSelectProps = (field: AccessNumberField) =>
    register(field, {
      onChange: () => {
        if (field === "acstate") {
          setValue("popac", "");
          setValue("popnum", "");
        } else if (field === "popac") setValue("popnum", "");
      },
    });

  const quote = pkg && quotes ? quotes.get(pkg.pkgpart) : undefined;
  const loginName = pkg?.svcdb === "svc_acct" && values.username ? `${values.username.trim().toLowerCase()}@${data.loginDomain}` : "";

  if (step === "done" && done) {
    return (
      <section aria-labelledby="signup-done-title" className="card stack" id="signup-done">
        <h2 id="signup-done-title" className={styles.stepTitle} ref={headingRef} tabIndex={-1}>
          Welcome aboard, {values.first}!
        </h2>
        <p>
          Your account is ready. Your customer number is <strong data-testid="custnum">{done.custnum}</strong>.
        </p>
        <DescriptionList
          items={[
            { term: "Log in with", value: [done.email, done.accountLogin, done.phonenum].filter(Boolean).join(" or ") },
            { term: "First invoice", value: done.invoicePretty },
            ...(done.paidPretty !== "$0.00" ? [{ term: "Paid now", value: done.paidPretty }] : []),
            ...(done.creditPretty !== "$0.00" ? [{ term: "Prepaid card credit", value: done.creditPretty }] : []),
            { term: done.balanceCents > 0 ? "Balance due" : "Balance", value: done.balanceCents < 0 ? `${done.balancePretty} in credit` : done.balancePretty },
          ]}
        />
        {mode === "portal" ? (
          loginState === "failed" ? (
            <Alert tone="info" id="signup-login-notice">
              Your account was created. <a href="/login">Log in</a> with your e-mail address and password.
            </Alert>
          ) : (
            <p role="status" className="muted">
              Logging you in…
            </p>
          )
        ) : (
          <p>
            Manage your account at{" "}
            <a href={`${portalUrl}/login`} target="_blank" rel="noopener noreferrer" id="signup-portal-link">
              {portalUrl.replace(/^https?:\/\//, "")}
            </a>{" "}
            — log in with your e-mail address and password.
          </p>
        )}
      </section>
    );
  }

  const stepIndex = FLOW.indexOf(step);
  return (
    <form className="card form" onSubmit={onFormSubmit} noValidate data-ready={ready ? "true" : undefined} aria-busy={pending} aria-describedby={notice ? "signup-notice" : undefined}>
      <ol className={styles.steps} aria-label="Signup steps">
        {FLOW.map((s, i) => (
          <li key={s} aria-current={s === step ? "step" : undefined} data-done={i < stepIndex ? "true" : undefined}>
            {STEP_LABEL[s as Exclude<Step, "done">]}
          </li>
        ))}
      </ol>

      <h2 className={styles.stepTitle} ref={headingRef} tabIndex={-1} id="signup-step-title">
        {step === "package" ? "Choose a plan" : step === "details" ? "Your details" : step === "service" ? serviceTitle(pkg) : step === "payment" ? "How would you like to pay?" : "Review and sign up"}
      </h2>

      {notice ? (
        <Alert id="signup-notice" tone={notice.tone}>
          {notice.text}
          {notice.reload ? (
            <>
              {" "}
              <a href="">Reload the page</a>
            </>
          ) : null}
        </Alert>
      ) : null}

      {step === "package" ? (
        <fieldset aria-describedby={err("pkgpart") ? "pkgpart-error" : undefined}>
          <legend className="visually-hidden">Plans</legend>
          {packages.length === 0 ? <p>There are no plans to sign up for at the moment.</p> : null}
          <div className={styles.packages}>
            {packages.map((p) => {
              const q = quotes?.get(p.pkgpart);
              const oneTime = p.freq === "0";
              return (
                <label key={p.pkgpart} className={styles.pkg} data-pkgpart={p.pkgpart}>
                  <input type="radio" value={String(p.pkgpart)} aria-labelledby={`pkg-${p.pkgpart}-name`} aria-describedby={`pkg-${p.pkgpart}-price`} {...register("pkgpart")} />
                  <span className={styles.pkgName} id={`pkg-${p.pkgpart}-name`}>
                    {p.pkg}
                  </span>
                  {p.comment ? <span className="muted small">{p.comment}</span> : null}
                  <span id={`pkg-${p.pkgpart}-price`}>
                    <span className={styles.price}>
                      {oneTime ? p.setupPretty : p.recurPretty} <small>{oneTime ? "one-time" : p.freqPretty}</small>
                    </span>
                    <br />
                    <span className="small">{!oneTime && p.setupCents > 0 ? `+ ${p.setupPretty} setup` : oneTime ? "" : "No setup fee"}</span>
                    <br />
                    <span className="small muted">{q ? `First invoice ${q.totalPretty}, incl. ${q.taxPretty} tax` : "Plus tax where it applies"}</span>
                  </span>
                  {p.description ? <span className="small">{p.description}</span> : null}
                </label>
              );
            })}
          </div>
          {err("pkgpart") ? (
            <p className="field-error" id="pkgpart-error" role="alert">
              {err("pkgpart")}
            </p>
          ) : null}
        </fieldset>
      ) : null}

      {step === "details" ? (
        <>
          <fieldset>
            <legend>About you</legend>
            <div className="form-grid">
              <TextField name="first" label="First name" value={values.first} required asterisks autoComplete="given-name" maxLength={80} error={err("first")} extra={register("first")} />
              <TextField name="last" label="Last name" value={values.last} required asterisks autoComplete="family-name" maxLength={80} error={err("last")} extra={register("last")} />
              <TextField name="company" label="Company (optional)" value={values.company} autoComplete="organization" maxLength={80} error={err("company")} extra={register("company")} />
              <TextField name="daytime" label="Phone (optional)" type="tel" value={values.daytime} autoComplete="tel" maxLength={20} error={err("daytime")} extra={register("daytime")} />
            </div>
            <TextField
              name="invoicing_list"
              label="E-mail address"
              type="email"
              value={values.invoicing_list}
              required
              asterisks
              autoComplete="email"
              maxLength={80}
              hint="Your invoices go here, and you log in with it."
              error={err("invoicing_list")}
              extra={{ ...register("invoicing_list"), inputMode: "email", autoCapitalize: "none", spellCheck: false }}
            />
          </fieldset>
          <fieldset>
            <legend>Service and billing address</legend>
            <LocationForm
              regions={data.regions}
              values={{ address1: values.address1, address2: values.address2, city: values.city, county: values.county, state: values.state, zip: values.zip, country: values.country }}
              errors={{ address1: err("address1"), address2: err("address2"), city: err("city"), zip: err("zip"), country: err("country"), state: err("state"), county: err("county") }}
              inputProps={(field: AddressField) => register(field)}
              selectProps={selectProps}
            />
          </fieldset>
        </>
      ) : null}

      {step === "service" ? (
        <>
          {pkg?.svcdb === "svc_acct" ? (
            <div className="field" data-field="username">
              <label className="field-label" htmlFor="username">
                Username<span className="field-required" aria-hidden="true"> *</span>
              </label>
              <div className={styles.suffix}>
                <input
                  id="username"
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  maxLength={32}
                  aria-invalid={err("username") ? true : undefined}
                  aria-describedby={`username-hint${err("username") ? " username-error" : ""}`}
                  {...register("username", {
                    onChange: () => setUsernameStatus(null),
                    onBlur: () => void checkUsernameNow(false),
                  })}
                />
                <span aria-hidden="true">@{data.loginDomain}</span>
              </div>
              <p className="field-hint" id="username-hint">
                Your login and e-mail address at {data.loginDomain}: 2–32 letters, digits, dots, hyphens or underscores, starting with a letter.
              </p>
              {/* Its line is always there, so the answer arriving does not move what is below. */}
              <p className="field-hint" role="status" aria-live="polite" id="username-status" style={{ minHeight: "1.5em" }}>
                {usernameStatus?.ok ? `✓ ${usernameStatus.text}` : ""}
              </p>
              {err("username") ? (
                <p className="field-error" id="username-error" role="alert">
                  {err("username")}
                </p>
              ) : null}
            </div>
          ) : null}
          {pkg?.svcdb === "svc_phone" ? (
            <div className="form-grid">
              <TextField name="phonenum" label="Phone number" type="tel" value={values.phonenum} required asterisks autoComplete="tel-national" maxLength={25} hint="The number for your new line, 10 digits." error={err("phonenum")} extra={register("phonenum")} />
              <TextField name="pin" label="Voicemail PIN" value={values.pin} required asterisks autoComplete="off" maxLength={8} hint="4 to 8 digits. You can also log in with your number and this PIN." error={err("pin")} extra={{ ...register("pin"), inputMode: "numeric", type: "password" } as never} />
            </div>
          ) : null}
          {pkg?.svcdb === "svc_domain" ? (
            <TextField name="domain" label="Your domain" value={values.domain} required asterisks autoComplete="off" maxLength={80} hint="For example example.com" error={err("domain")} extra={{ ...register("domain"), autoCapitalize: "none", spellCheck: false }} />
          ) : null}
          {pkg?.svcdb === "svc_acct" && pkg.accessNumberRequired ? (
            <AccessNumberSelect pops={data.pops} popnum={values.popnum} state={values.acstate} ac={values.popac} error={err("popnum")} selectProps={popSelectProps} />
          ) : null}
          <div className="form-grid">
            <TextField
              name="_password"
              label="Password"
              value={values._password}
              required
              asterisks
              autoComplete="new-password"
              maxLength={128}
              hint="At least 8 characters, mixing three of: lower-case, upper-case, digits, symbols."
              error={err("_password")}
              extra={{ ...register("_password"), type: "password" } as never}
            />
            <TextField name="_password2" label="Confirm password" value={values._password2} required asterisks autoComplete="new-password" maxLength={128} error={err("_password2")} extra={{ ...register("_password2"), type: "password" } as never} />
          </div>
        </>
      ) : null}

      {step === "payment" ? (
        <>
          <fieldset aria-describedby={err("payby") ? "payby-error" : undefined}>
            <legend className="visually-hidden">Payment type</legend>
            <div className={styles.payKinds} role="radiogroup" aria-label="Payment type">
              {kinds.map((k) => (
                <label key={k}>
                  <input type="radio" name="paykind" value={k} checked={kind === k} onChange={() => chooseKind(k)} />
                  {KIND_LABEL[k]}
                </label>
              ))}
            </div>
            <input type="hidden" {...register("payby")} />
            {err("payby") ? (
              <p className="field-error" id="payby-error" role="alert">
                {err("payby")}
              </p>
            ) : null}
          </fieldset>
          {kind === "card" ? (
            <fieldset>
              <legend>Card</legend>
              <TextField name="payinfo" label="Card number" value={values.payinfo} required asterisks autoComplete="cc-number" maxLength={23} error={err("payinfo")} extra={{ ...register("payinfo"), inputMode: "numeric" }} />
              <div className="form-grid">
                <div className="field" data-field="month">
                  <span className="field-label" id="card-exp-label">
                    Expiration date<span className="field-required" aria-hidden="true"> *</span>
                  </span>
                  <ExpirationSelect prefix="card" labelId="card-exp-label" date={null} required error={err("month") ?? err("year") ?? err("paydate")} monthProps={register("month")} yearProps={register("year")} />
                </div>
                <TextField name="paycvv" label="Security code (CVV)" value={values.paycvv} autoComplete="cc-csc" maxLength={4} error={err("paycvv")} extra={{ ...register("paycvv"), inputMode: "numeric" }} />
              </div>
              <TextField name="payname" label="Name on card" value={values.payname} required asterisks autoComplete="cc-name" maxLength={160} error={err("payname")} extra={register("payname")} />
            </fieldset>
          ) : null}
          {kind === "bank" ? (
            <fieldset>
              <legend>Bank account</legend>
              <div className="form-grid">
                <TextField name="payinfo1" label="Account number" value={values.payinfo1} required asterisks autoComplete="off" maxLength={17} error={err("payinfo1")} extra={{ ...register("payinfo1"), inputMode: "numeric" }} />
                <TextField name="payinfo2" label="Routing number" value={values.payinfo2} required asterisks autoComplete="off" maxLength={9} hint="The 9-digit ABA number." error={err("payinfo2")} extra={{ ...register("payinfo2"), inputMode: "numeric" }} />
              </div>
              <div className="field" data-field="paytype">
                <label className="field-label" htmlFor="paytype">
                  Account type
                </label>
                <select id="paytype" {...register("paytype")}>
                  <option value="">Choose…</option>
                  {PAYTYPES.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
              </div>
              <TextField name="payname" label="Account holder" value={values.payname} required asterisks autoComplete="name" maxLength={160} error={err("payname")} extra={register("payname")} />
            </fieldset>
          ) : null}
          {(kind === "card" || kind === "bank") && allowed.includes(kind === "card" ? "CARD" : "CHEK") && allowed.includes(kind === "card" ? "DCRD" : "DCHK") ? (
            <div className="field field-check">
              <input
                id="autopay"
                type="checkbox"
                checked={autopay}
                onChange={(e) => {
                  setAutopay(e.target.checked);
                  chooseKind(kind, e.target.checked);
                }}
              />
              <label htmlFor="autopay">Pay future invoices automatically with this {kind === "card" ? "card" : "account"}</label>
            </div>
          ) : null}
          {kind === "card" || kind === "bank" ? <p className="small muted">The first invoice is charged when you sign up. Card and account numbers are stored encrypted.</p> : null}
          {kind === "prepay" ? (
            <TextField name="payinfo" label="Prepaid card PIN" value={values.payinfo} required asterisks autoComplete="off" maxLength={80} hint="Its value is credited to your account and pays your invoices." error={err("payinfo")} extra={{ ...register("payinfo"), autoCapitalize: "characters", spellCheck: false }} />
          ) : null}
          {kind === "bill" ? (
            <TextField name="payinfo" label="Purchase order number (optional)" value={values.payinfo} autoComplete="off" maxLength={80} hint="We send you an invoice to pay." error={err("payinfo")} extra={register("payinfo")} />
          ) : null}
        </>
      ) : null}

      {step === "review" ? (
        <div className="stack">
          <DescriptionList
            items={[
              { term: "Plan", value: pkg ? `${pkg.pkg} — ${pkg.freq === "0" ? pkg.setupPretty : `${pkg.recurPretty} ${pkg.freqPretty}`}` : "" },
              { term: "Name", value: [values.first, values.last].join(" ") + (values.company ? `, ${values.company}` : "") },
              { term: "E-mail", value: values.invoicing_list },
              {
                term: "Address",
                value: [values.address1, values.address2, values.city, values.state ? stateName(values.country, values.state) : "", values.zip, countryName(values.country)].filter(Boolean).join(", "),
              },
              ...(loginName ? [{ term: "Login", value: loginName }] : []),
              ...(pkg?.svcdb === "svc_phone" ? [{ term: "Phone number", value: values.phonenum }] : []),
              ...(pkg?.svcdb === "svc_domain" ? [{ term: "Domain", value: values.domain }] : []),
              ...(values.popnum ? [{ term: "Access number", value: (() => { const p = data.pops.find((x) => String(x.popnum) === values.popnum); return p ? accessNumberLabel(p) : ""; })() }] : []),
              { term: "Payment", value: paymentSummary(values) },
            ]}
          />
          {pkg ? (
            <section aria-labelledby="quote-title">
              <h3 id="quote-title">Your first invoice</h3>
              {quote ? (
                <table className={styles.quote} id="signup-quote">
                  <tbody>
                    {quote.setupPretty !== "$0.00" ? (
                      <tr>
                        <td>Setup</td>
                        <td>{quote.setupPretty}</td>
                      </tr>
                    ) : null}
                    {quote.recurPretty !== "$0.00" ? (
                      <tr>
                        <td>First {pkg.freq === "12" ? "year" : pkg.freq === "1" ? "month" : "period"}</td>
                        <td>{quote.recurPretty}</td>
                      </tr>
                    ) : null}
                    {quote.taxes.map((t) => (
                      <tr key={t.name}>
                        <td>{t.name}</td>
                        <td>{t.pretty}</td>
                      </tr>
                    ))}
                    <tr>
                      <td>Total</td>
                      <td>{quote.totalPretty}</td>
                    </tr>
                  </tbody>
                </table>
              ) : (
                <p className="muted">Calculated when you sign up.</p>
              )}
              <p className="small muted">
                {kind === "card" || kind === "bank"
                  ? "It is charged now. If the payment is declined, nothing is charged and no account is made."
                  : kind === "prepay"
                    ? "Your prepaid card's value is credited to it; anything left to pay stays on your account."
                    : kind === "bill"
                      ? "We send it to you to pay."
                      : ""}
              </p>
            </section>
          ) : null}
          <div className={styles.hp} aria-hidden="true">
            <label htmlFor="website">Website</label>
            <input id="website" tabIndex={-1} autoComplete="off" {...register("website")} />
          </div>
        </div>
      ) : null}

      <div className="form-actions">
        {step === "review" ? (
          <Button type="submit" pending={pending} pendingLabel="Signing you up…">
            {kind === "card" || kind === "bank" ? `Sign up and pay${quote ? ` ${quote.totalPretty}` : ""}` : "Sign up"}
          </Button>
        ) : (
          <Button type="submit" pending={advancing} pendingLabel="Checking…">
            Continue
          </Button>
        )}
        {stepIndex > 0 ? (
          <Button variant="secondary" onClick={back} disabled={pending}>
            Back
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function paymentSummary(v: SignupFormValues): string {
  switch (kindOf(v.payby)) {
    case "card": {
      const c = checkCardNumber(v.payinfo);
      const last4 = v.payinfo.replace(/\D/g, "").slice(-4);
      return `${c.ok ? cardTypeLabel(c.cardType) : "Card"} ending ${last4}, expires ${v.month}/${v.year}${v.payby === "DCRD" ? " (on demand)" : ""}`;
    }
    case "bank":
      return `Bank account ending ${v.payinfo1.slice(-4)}${v.payby === "DCHK" ? " (on demand)" : ""}`;
    case "prepay":
      return "Prepaid card";
    case "bill":
      return v.payinfo ? `Invoice, purchase order ${v.payinfo}` : "Invoice";
    case "comp":
      return "Complimentary";
    default:
      return "";
  }
}
