"use client";

import { useRef, useState, type KeyboardEvent } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import {
  EMPTY_LOGIN_FORM,
  LOGIN_FAILED_MESSAGE,
  LOGIN_METHODS,
  loginFormSchema,
  loginFormToInput,
  type LoginFormValues,
  type LoginMethod,
} from "@/lib/auth/login-schema";

const TAB_LABEL: Record<LoginMethod, string> = { email: "Email", username: "Username", phone: "Phone" };
// The panel's name is not the tab's text, so "Username" names only the Username field.
const PANEL_LABEL: Record<LoginMethod, string> = { email: "Email login", username: "Account login", phone: "Phone login" };

/** next-auth v4 puts the message thrown by `authorize` in `error`; its own codes are single words. */
function messageFor(error: string | null | undefined): string {
  if (!error || error === "CredentialsSignin") return LOGIN_FAILED_MESSAGE;
  if (/^[A-Za-z]+$/.test(error)) return "Login failed. Please try again.";
  return error;
}

export interface LoginFormProps {
  /** Where to go after logging in (already made safe by the page). */
  next: string;
  initialMethod?: LoginMethod;
  initialError?: string;
}

/**
 * The three Freeside logins as tabs of one form: email + password, username + domain +
 * password, phone number + PIN (sent as username=<digits>, domain="svc_phone"). Validated with
 * the shared zod schema, submitted through next-auth's Credentials provider.
 */
export function LoginForm({ next, initialMethod = "email", initialError }: LoginFormProps) {
  const router = useRouter();
  const [method, setMethod] = useState<LoginMethod>(initialMethod);
  const [serverError, setServerError] = useState<string | undefined>(initialError);
  const [redirecting, setRedirecting] = useState(false);
  const inFlight = useRef(false);
  const tabRefs = useRef<Partial<Record<LoginMethod, HTMLButtonElement | null>>>({});

  const {
    register,
    handleSubmit,
    setValue,
    setFocus,
    clearErrors,
    formState: { errors, isSubmitting },
  } = useForm<LoginFormValues, unknown, LoginFormValues>({
    resolver: zodResolver(loginFormSchema),
    defaultValues: { ...EMPTY_LOGIN_FORM, method: initialMethod },
  });

  const pending = isSubmitting || redirecting;

  function selectMethod(m: LoginMethod, focusTab = false) {
    setMethod(m);
    setValue("method", m);
    clearErrors();
    setServerError(undefined);
    if (focusTab) tabRefs.current[m]?.focus();
  }

  function onTabKeyDown(e: KeyboardEvent<HTMLButtonElement>) {
    const i = LOGIN_METHODS.indexOf(method);
    const last = LOGIN_METHODS.length - 1;
    const target = { ArrowRight: i === last ? 0 : i + 1, ArrowLeft: i === 0 ? last : i - 1, Home: 0, End: last }[e.key];
    if (target === undefined) return;
    e.preventDefault();
    selectMethod(LOGIN_METHODS[target]!, true);
  }

  async function onSubmit(values: LoginFormValues) {
    if (inFlight.current) return;
    inFlight.current = true;
    setServerError(undefined);
    const secret = values.method === "phone" ? "pin" : "password";
    try {
      const result = await signIn("credentials", { redirect: false, ...loginFormToInput(values) });
      if (result?.ok && !result.error) {
        setRedirecting(true);
        router.replace(next);
        router.refresh();
        return; // stay pending until the next page replaces this one
      }
      setServerError(messageFor(result?.error));
    } catch {
      setServerError("We could not reach Portico. Check your connection and try again.");
    }
    inFlight.current = false;
    // Keep the typed login; never keep the password.
    setValue(secret, "");
    setFocus(secret);
  }

  return (
    <form method="post" noValidate onSubmit={handleSubmit(onSubmit)} aria-describedby={serverError ? "login-error" : undefined}>
      <div role="tablist" aria-label="How to log in" className="tabs-list">
        {LOGIN_METHODS.map((m) => (
          <button
            key={m}
            ref={(el) => {
              tabRefs.current[m] = el;
            }}
            type="button"
            role="tab"
            id={`login-tab-${m}`}
            aria-selected={m === method}
            aria-controls="login-panel"
            tabIndex={m === method ? 0 : -1}
            className="tab"
            onClick={() => selectMethod(m)}
            onKeyDown={onTabKeyDown}
          >
            {TAB_LABEL[m]}
          </button>
        ))}
      </div>

      {serverError ? (
        <Alert tone="error" id="login-error">
          {serverError}
        </Alert>
      ) : null}

      <div role="tabpanel" id="login-panel" aria-label={PANEL_LABEL[method]} className="tab-panel">
        <input type="hidden" {...register("method")} />
        {method === "email" ? (
          <>
            <Input
              label="Email address"
              type="email"
              inputMode="email"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              error={errors.email?.message}
              {...register("email")}
            />
            <Input label="Password" type="password" autoComplete="current-password" error={errors.password?.message} {...register("password")} />
          </>
        ) : null}

        {method === "username" ? (
          <>
            <Input
              label="Username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              error={errors.username?.message}
              {...register("username")}
            />
            <Input
              label="Domain"
              autoCapitalize="none"
              spellCheck={false}
              hint="The part after the @ in your account address, such as example.net."
              error={errors.domain?.message}
              {...register("domain")}
            />
            <Input label="Password" type="password" autoComplete="current-password" error={errors.password?.message} {...register("password")} />
          </>
        ) : null}

        {method === "phone" ? (
          <>
            <Input
              label="Phone number"
              type="tel"
              inputMode="tel"
              autoComplete="username"
              hint="The phone number of your phone service with us."
              error={errors.phone?.message}
              {...register("phone")}
            />
            <Input label="PIN" type="password" inputMode="numeric" autoComplete="current-password" error={errors.pin?.message} {...register("pin")} />
          </>
        ) : null}
      </div>

      <Button type="submit" block pending={pending} pendingLabel="Logging in…">
        Log in
      </Button>
    </form>
  );
}
