"use client";
import { useMemo, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useForm, type FieldValues, type Path, type UseFormSetError } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { FormNotice } from "@/components/ui/form-notice";
import { Button, ButtonLink } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { ExpirationSelect } from "@/components/expiration-select";
import { BankTypeAndState, type StateChoice } from "@/components/bank-type-and-state";
import { checkPaybyFields, insertPaybySchema, isCardPayby, updatePaybySchema, type ExistingPayby } from "@/lib/payments/payby-schema";
import type { FieldErrors as ServerFieldErrors } from "@/lib/errors";
import { addPaymentMethod, updatePaymentMethod } from "./actions";

/**
 * The add-a-card, add-a-bank-account and edit forms: react-hook-form with the shared zod schemas
 * of lib/payments/payby-schema.ts (the same the server action and RPC insert_payby/update_payby
 * parse), field errors next to their fields, a pending state. The server answers with the
 * custpaybynum only: after saving, the page moves on and the number is gone from the browser.
 */

type Notice = { kind: "error" | "success"; text: string } | null;

/** Puts the server's per-field errors on the form's fields (paydate → the month select). */
function applyServerErrors<T extends FieldValues>(setError: UseFormSetError<T>, fieldErrors: ServerFieldErrors | undefined, known: readonly string[]) {
  let first = true;
  for (const [field, messages] of Object.entries(fieldErrors ?? {})) {
    const name = field === "paydate" || field === "year" ? "month" : field;
    if (!known.includes(name)) continue;
    setError(name as Path<T>, { message: messages[0] }, { shouldFocus: first });
    first = false;
  }
}

/** An error the schema put on a key that is not a form field (e.g. `paydate`, `payinfo` of a bank account). */
function anyError(errors: object, name: string): string | undefined {
  const e = (errors as Record<string, { message?: unknown } | undefined>)[name];
  return typeof e?.message === "string" ? e.message : undefined;
}

function ResultNotice({ notice }: { notice: Notice }) {
  return notice ? (
    <FormNotice id="form-notice" tone={notice.kind}>
      {notice.text}
    </FormNotice>
  ) : null;
}

function Expiration({
  prefix,
  currentYear,
  date,
  error,
  monthProps,
  yearProps,
}: {
  prefix: string;
  currentYear: number;
  date?: string | null;
  error?: string;
  monthProps: object;
  yearProps: object;
}) {
  return (
    <div className="field" data-field="month">
      <span className="field-label" id={`${prefix}-exp-label`}>
        Expiration date<span className="field-required" aria-hidden="true"> *</span>
      </span>
      <ExpirationSelect prefix={prefix} labelId={`${prefix}-exp-label`} currentYear={currentYear} date={date} error={error} monthProps={monthProps} yearProps={yearProps} />
    </div>
  );
}

/* ------------------------------------------------------------------------------------------ */

interface CardValues {
  /** Not a field: tells the shared schema this is a card (the checkbox picks CARD or DCRD on submit). */
  payby: "CARD";
  payinfo: string;
  payname: string;
  month: string;
  year: string;
  paycvv: string;
  auto: boolean;
}
const CARD_FIELDS = ["payinfo", "payname", "month", "paycvv"] as const;

export function AddCardForm({ currentYear, defaultName }: { currentYear: number; defaultName: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<Notice>(null);
  const { register, handleSubmit, setError, setValue, formState } = useForm<CardValues>({
    defaultValues: { payby: "CARD", payinfo: "", payname: defaultName, month: "", year: "", paycvv: "", auto: false },
    resolver: zodResolver(insertPaybySchema, undefined, { raw: true }) as never,
    // Validated on submit, then again as the person types: never on blur, which would move the
    // buttons between a press and its release (the first click after typing was lost).
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const err = (n: keyof CardValues) => formState.errors[n]?.message as string | undefined;
  const expErr = err("month") ?? err("year") ?? anyError(formState.errors, "paydate");

  const onSubmit = handleSubmit((v) => {
    setNotice(null);
    startTransition(async () => {
      const result = await addPaymentMethod({
        payby: v.auto ? "CARD" : "DCRD",
        payinfo: v.payinfo,
        payname: v.payname,
        month: v.month,
        year: v.year,
        paycvv: v.paycvv,
      });
      if (result.ok) {
        setValue("payinfo", "");
        setValue("paycvv", "");
        router.push("/payment-methods?done=added");
        return;
      }
      applyServerErrors(setError, result.fieldErrors, CARD_FIELDS);
      setValue("paycvv", "");
      setNotice({ kind: "error", text: result.message });
    });
  });

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label="Add a card">
      <ResultNotice notice={notice} />
      <Input
        label="Card number"
        required
        autoComplete="cc-number"
        inputMode="numeric"
        maxLength={23}
        spellCheck={false}
        hint="Spaces are fine. Only the last four digits will be shown again."
        error={err("payinfo")}
        {...register("payinfo")}
      />
      <Input label="Name on card" required autoComplete="cc-name" maxLength={160} error={err("payname")} {...register("payname")} />
      <Expiration prefix="card" currentYear={currentYear} error={expErr} monthProps={register("month")} yearProps={register("year")} />
      <Input
        label="Security code (CVV)"
        optional
        autoComplete="cc-csc"
        inputMode="numeric"
        maxLength={4}
        hint="Checked for its format only. Portico never stores a security code."
        error={err("paycvv")}
        {...register("paycvv")}
      />
      <div className="field field-check">
        <input id="auto" type="checkbox" {...register("auto")} />
        <label className="field-label" htmlFor="auto">
          Charge this card automatically for new invoices
        </label>
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" pending={pending} pendingLabel="Saving…">
          Save card
        </Button>
        <ButtonLink href="/payment-methods">Cancel</ButtonLink>
      </div>
    </form>
  );
}

/* ------------------------------------------------------------------------------------------ */

interface BankValues {
  /** Not a field: tells the shared schema this is a bank account (the checkbox picks CHEK or DCHK on submit). */
  payby: "CHEK";
  payinfo1: string;
  payinfo2: string;
  paytype: string;
  paystate: string;
  payname: string;
  auto: boolean;
}
const BANK_FIELDS = ["payinfo1", "payinfo2", "paytype", "paystate", "payname", "payinfo"] as const;

export function AddBankForm({ states, defaultName }: { states: StateChoice[]; defaultName: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<Notice>(null);
  const { register, handleSubmit, setError, setValue, formState } = useForm<BankValues>({
    defaultValues: { payby: "CHEK", payinfo1: "", payinfo2: "", paytype: "", paystate: "", payname: defaultName, auto: false },
    resolver: zodResolver(insertPaybySchema, undefined, { raw: true }) as never,
    // Validated on submit, then again as the person types: never on blur, which would move the
    // buttons between a press and its release (the first click after typing was lost).
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const err = (n: keyof BankValues) => (formState.errors[n]?.message as string | undefined) ?? (n === "payinfo1" ? anyError(formState.errors, "payinfo") : undefined);

  const onSubmit = handleSubmit((v) => {
    setNotice(null);
    startTransition(async () => {
      const result = await addPaymentMethod({
        payby: v.auto ? "CHEK" : "DCHK",
        payinfo1: v.payinfo1,
        payinfo2: v.payinfo2,
        paytype: v.paytype,
        paystate: v.paystate,
        payname: v.payname,
      });
      if (result.ok) {
        setValue("payinfo1", "");
        router.push("/payment-methods?done=added");
        return;
      }
      applyServerErrors(setError, { ...result.fieldErrors, ...(result.fieldErrors?.payinfo ? { payinfo1: result.fieldErrors.payinfo } : {}) }, BANK_FIELDS);
      setNotice({ kind: "error", text: result.message });
    });
  });

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label="Add a bank account">
      <ResultNotice notice={notice} />
      <div className="form-grid">
        <Input label="Account number" required autoComplete="off" inputMode="numeric" maxLength={17} spellCheck={false} error={err("payinfo1")} {...register("payinfo1")} />
        <Input
          label="Routing number"
          required
          autoComplete="off"
          inputMode="numeric"
          maxLength={9}
          spellCheck={false}
          hint="The 9-digit ABA number."
          error={err("payinfo2")}
          {...register("payinfo2")}
        />
      </div>
      <Input label="Name on the account" required autoComplete="name" maxLength={160} error={err("payname")} {...register("payname")} />
      <BankTypeAndState states={states} register={(n) => register(n)} err={err} />
      <div className="field field-check">
        <input id="auto" type="checkbox" {...register("auto")} />
        <label className="field-label" htmlFor="auto">
          Charge this account automatically for new invoices
        </label>
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" pending={pending} pendingLabel="Saving…">
          Save bank account
        </Button>
        <ButtonLink href="/payment-methods">Cancel</ButtonLink>
      </div>
    </form>
  );
}

/* ------------------------------------------------------------------------------------------ */

export interface EditableMethod extends ExistingPayby {
  custpaybynum: number;
  label: string;
}

interface EditValues {
  custpaybynum: number;
  payname: string;
  month: string;
  year: string;
  paytype: string;
  paystate: string;
  auto: boolean;
}
const EDIT_FIELDS = ["payname", "month", "paytype", "paystate"] as const;

/** Edits a stored method: never its number (to change a number, add a new method). */
export function EditPaybyForm({ method, currentYear, states, month, year }: { method: EditableMethod; currentYear: number; states: StateChoice[]; month: string; year: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<Notice>(null);
  const isCard = isCardPayby(method.payby);
  // The shared update schema, plus the whole-method check against what is stored (the server runs it again).
  const schema = useMemo(
    () =>
      updatePaybySchema.superRefine((v, ctx) => {
        const fields = isCard ? { payname: v.payname, month: v.month, year: v.year } : { payname: v.payname, paytype: v.paytype, paystate: v.paystate };
        const r = checkPaybyFields(fields, { now: new Date(), existing: method });
        if (!r.ok) for (const [path, msgs] of Object.entries(r.fieldErrors)) ctx.addIssue({ code: "custom", path: [path === "paydate" ? "month" : path], message: msgs[0]! });
      }),
    [isCard, method],
  );
  const { register, handleSubmit, setError, formState } = useForm<EditValues>({
    defaultValues: {
      custpaybynum: method.custpaybynum,
      payname: method.payname ?? "",
      month,
      year,
      paytype: method.paytype ?? "",
      paystate: method.paystate ?? "",
      auto: method.payby === "CARD" || method.payby === "CHEK",
    },
    resolver: zodResolver(schema, undefined, { raw: true }) as never,
    // Validated on submit, then again as the person types: never on blur, which would move the
    // buttons between a press and its release (the first click after typing was lost).
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const err = (n: keyof EditValues) => formState.errors[n]?.message as string | undefined;

  const onSubmit = handleSubmit((v) => {
    setNotice(null);
    startTransition(async () => {
      const common = { custpaybynum: method.custpaybynum, payname: v.payname };
      const result = await updatePaymentMethod(
        isCard
          ? { ...common, payby: v.auto ? "CARD" : "DCRD", month: v.month, year: v.year }
          : { ...common, payby: v.auto ? "CHEK" : "DCHK", paytype: v.paytype, paystate: v.paystate },
      );
      if (result.ok) {
        router.push("/payment-methods?done=updated");
        return;
      }
      applyServerErrors(setError, result.fieldErrors, EDIT_FIELDS);
      setNotice({ kind: "error", text: result.message });
    });
  });

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label={`Edit ${method.label}`}>
      <ResultNotice notice={notice} />
      <p>
        <strong>{method.label}</strong>
        <br />
        <span className="muted small">The number cannot be changed: to use another {isCard ? "card" : "account"}, add it and delete this one.</span>
      </p>
      <Input label={isCard ? "Name on card" : "Name on the account"} required autoComplete={isCard ? "cc-name" : "name"} maxLength={160} error={err("payname")} {...register("payname")} />
      {isCard ? (
        <Expiration prefix="card" currentYear={currentYear} date={method.paydate} error={err("month") ?? err("year") ?? anyError(formState.errors, "paydate")} monthProps={register("month")} yearProps={register("year")} />
      ) : (
        <BankTypeAndState states={states} register={(n) => register(n)} err={err} />
      )}
      <div className="field field-check">
        <input id="auto" type="checkbox" {...register("auto")} />
        <label className="field-label" htmlFor="auto">
          Charge this {isCard ? "card" : "account"} automatically for new invoices
        </label>
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" pending={pending} pendingLabel="Saving…">
          Save changes
        </Button>
        <ButtonLink href="/payment-methods">Cancel</ButtonLink>
      </div>
    </form>
  );
}
