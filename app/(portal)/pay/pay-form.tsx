"use client";
import { useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { FormNotice } from "@/components/ui/form-notice";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { ExpirationSelect } from "@/components/expiration-select";
import { BankTypeAndState, type StateChoice } from "@/components/bank-type-and-state";
import { checkCardNumber } from "@/lib/payments/card";
import { methodLabel } from "@/lib/payments/method-label";
import { formatMoneyPretty, parseAmountInput } from "@/lib/money/cents";
import { submitPayment } from "./actions";
import { payFormSchema } from "./pay-form-schema";

/**
 * The payment form: amount (the balance by default), a stored method (the first usable one
 * preselected) or a new card / bank account, then a confirmation ("Pay $X with Visa ••••1111?"),
 * then the receipt page.
 *
 * The one-time key came from the server with the page. Every send of this form — a double
 * click, a retry after a lost answer, a "Pay" again after going back — uses that same key, so the
 * server charges at most once and answers every send with the first outcome. Only after a
 * decline or gateway error (that attempt is over, nothing was charged) does the server hand out
 * a new key for the next attempt; a new payment (reloading /pay) gets a new key from the server.
 */
export interface PayMethodOption {
  custpaybynum: number;
  label: string;
  detail: string;
  usable: boolean;
}

interface PayValues {
  amount: string;
  choice: string;
  payinfo: string;
  payname: string;
  month: string;
  year: string;
  paycvv: string;
  payinfo1: string;
  payinfo2: string;
  paytype: string;
  paystate: string;
  save: boolean;
  auto: boolean;
}

const FORM_FIELDS: readonly (keyof PayValues)[] = ["amount", "choice", "payinfo", "payname", "month", "paycvv", "payinfo1", "payinfo2", "paytype", "paystate"];

type Notice = { tone: "error" | "warning"; title?: string; text: string } | null;

function fieldOf(serverField: string, choice: string): keyof PayValues | null {
  if (serverField === "paydate" || serverField === "year") return "month";
  if (serverField === "custpaybynum") return "choice";
  if (serverField === "payinfo" && choice === "new-bank") return "payinfo1";
  return (FORM_FIELDS as readonly string[]).includes(serverField) ? (serverField as keyof PayValues) : null;
}

export function PayForm({
  paymentKey,
  defaultAmount,
  defaultName,
  methods,
  defaultChoice,
  states,
  currentYear,
}: {
  paymentKey: string;
  defaultAmount: string;
  defaultName: string;
  methods: PayMethodOption[];
  defaultChoice: string;
  states: StateChoice[];
  currentYear: number;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [key, setKey] = useState(paymentKey);
  const [step, setStep] = useState<"form" | "confirm">("form");
  const [notice, setNotice] = useState<Notice>(null);
  const [summary, setSummary] = useState<{ amountCents: number; method: string; payload: Record<string, unknown> } | null>(null);
  const inFlight = useRef(false);

  const { register, handleSubmit, setError, setValue, watch, formState } = useForm<PayValues>({
    defaultValues: {
      amount: defaultAmount,
      choice: defaultChoice,
      payinfo: "",
      payname: defaultName,
      month: "",
      year: "",
      paycvv: "",
      payinfo1: "",
      payinfo2: "",
      paytype: "",
      paystate: "",
      save: false,
      auto: false,
    },
    resolver: zodResolver(payFormSchema, undefined, { raw: true }) as never,
    // Validated on submit, then again as the person types: never on blur, which would move the
    // buttons between a press and its release (the first click after typing was lost).
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const choice = watch("choice");
  const save = watch("save");
  const err = (n: keyof PayValues) => formState.errors[n]?.message as string | undefined;

  // Step 1 → 2: the form is valid (shared schema); show what will happen and wait for "Pay".
  const onReview = handleSubmit((v) => {
    setNotice(null);
    const amountCents = parseAmountInput(v.amount) ?? 0;
    let method: string;
    let payload: Record<string, unknown>;
    if (v.choice.startsWith("stored:")) {
      const custpaybynum = Number(v.choice.slice("stored:".length));
      method = methods.find((m) => m.custpaybynum === custpaybynum)?.label ?? "your saved method";
      payload = { amount: v.amount, custpaybynum };
    } else if (v.choice === "new-card") {
      const c = checkCardNumber(v.payinfo);
      method = c.ok ? methodLabel({ payby: "CARD", paymask: c.digits.slice(-4), paycardtype: c.cardType }) : "a new card";
      payload = { amount: v.amount, payby: "CARD", payinfo: v.payinfo, payname: v.payname, month: v.month, year: v.year, paycvv: v.paycvv, save: v.save, auto: v.save && v.auto };
    } else {
      method = methodLabel({ payby: "CHEK", paymask: `${v.payinfo1.replace(/\s/g, "")}@` });
      payload = {
        amount: v.amount,
        payby: "CHEK",
        payinfo1: v.payinfo1,
        payinfo2: v.payinfo2,
        paytype: v.paytype,
        paystate: v.paystate,
        payname: v.payname,
        save: v.save,
        auto: v.save && v.auto,
      };
    }
    setSummary({ amountCents, method, payload });
    setStep("confirm");
  });

  // Step 2: charge. The button is disabled while the request runs; a second click is ignored.
  const onPay = () => {
    if (!summary || inFlight.current) return;
    inFlight.current = true;
    setNotice(null);
    startTransition(async () => {
      let keepLocked = false;
      try {
        const result = await submitPayment({ ...summary.payload, payunique: key });
        if (result.ok && result.data.status === "paid") {
          keepLocked = true;
          setValue("payinfo", "");
          setValue("paycvv", "");
          router.replace(`/pay/receipt/${result.data.paynum}`);
          return;
        }
        setValue("paycvv", "");
        setStep("form");
        if (result.ok) {
          // Declined or failed at the gateway: nothing was charged; the next attempt is a new one.
          if (result.data.status === "failed") setKey(result.data.nextKey);
          setNotice({ tone: "error", title: "Your payment did not go through", text: `${result.data.status === "failed" ? result.data.message : ""} You were not charged.` });
          return;
        }
        let focused = false;
        for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) {
          const name = fieldOf(field, choice);
          if (!name) continue;
          setError(name, { message: messages[0] }, { shouldFocus: !focused });
          focused = true;
        }
        setNotice({ tone: "error", text: result.message });
      } catch {
        // No answer (network): the outcome is unknown. Pressing Pay again sends the same key,
        // which returns the first outcome instead of charging again.
        setNotice({
          tone: "warning",
          title: "We did not get an answer",
          text: "Your payment may or may not have gone through. Press Pay again to find out: you will not be charged twice.",
        });
      } finally {
        if (!keepLocked) inFlight.current = false;
      }
    });
  };

  const noticeBox = notice ? (
    <FormNotice id="pay-notice" tone={notice.tone} title={notice.title}>
      {notice.text}
    </FormNotice>
  ) : null;

  if (step === "confirm" && summary) {
    const amount = formatMoneyPretty(summary.amountCents);
    return (
      <section className="card stack" aria-labelledby="confirm-question" data-testid="pay-confirm">
        {noticeBox}
        <h2 id="confirm-question" className="card-title">
          Pay {amount} with {summary.method}?
        </h2>
        <p className="muted">Check the amount and the method. Nothing is charged until you press Pay.</p>
        <div className="form-actions">
          <Button variant="primary" onClick={onPay} pending={pending} pendingLabel="Processing payment…">
            Pay {amount}
          </Button>
          <Button variant="secondary" onClick={() => setStep("form")} disabled={pending}>
            Change something
          </Button>
        </div>
      </section>
    );
  }

  return (
    <form className="card form" onSubmit={onReview} noValidate aria-label="Payment">
      {noticeBox}
      <Input
        label="Amount (USD)"
        required
        inputMode="decimal"
        autoComplete="transaction-amount"
        maxLength={12}
        hint="Dollars and cents, e.g. 25.00. You can pay part of your balance, or more: the rest stays as a credit."
        error={err("amount")}
        {...register("amount")}
      />

      <fieldset aria-describedby={err("choice") ? "choice-error" : undefined}>
        <legend>Pay with</legend>
        {methods.map((m) => (
          <div className="field field-check" key={m.custpaybynum}>
            <input type="radio" id={`choice-${m.custpaybynum}`} value={`stored:${m.custpaybynum}`} disabled={!m.usable} {...register("choice")} />
            <label className="field-label" htmlFor={`choice-${m.custpaybynum}`}>
              {m.label} <span className="muted">{m.detail}</span>
            </label>
          </div>
        ))}
        <div className="field field-check">
          <input type="radio" id="choice-new-card" value="new-card" {...register("choice")} />
          <label className="field-label" htmlFor="choice-new-card">
            A new card
          </label>
        </div>
        <div className="field field-check">
          <input type="radio" id="choice-new-bank" value="new-bank" {...register("choice")} />
          <label className="field-label" htmlFor="choice-new-bank">
            A new bank account (electronic check)
          </label>
        </div>
        {err("choice") ? (
          <p className="field-error" id="choice-error">
            {err("choice")}
          </p>
        ) : null}
      </fieldset>

      {choice === "new-card" ? (
        <fieldset>
          <legend>New card</legend>
          <Input label="Card number" required autoComplete="cc-number" inputMode="numeric" maxLength={23} spellCheck={false} error={err("payinfo")} {...register("payinfo")} />
          <Input label="Name on card" required autoComplete="cc-name" maxLength={160} error={err("payname")} {...register("payname")} />
          <div className="field" data-field="month">
            <span className="field-label" id="pay-exp-label">
              Expiration date<span className="field-required" aria-hidden="true"> *</span>
            </span>
            <ExpirationSelect
              prefix="pay"
              labelId="pay-exp-label"
              currentYear={currentYear}
              error={err("month") ?? err("year")}
              monthProps={register("month")}
              yearProps={register("year")}
            />
          </div>
          <Input
            label="Security code (CVV)"
            optional
            autoComplete="cc-csc"
            inputMode="numeric"
            maxLength={4}
            hint="Sent to the card processor for this payment only; never stored."
            error={err("paycvv")}
            {...register("paycvv")}
          />
        </fieldset>
      ) : null}

      {choice === "new-bank" ? (
        <fieldset>
          <legend>New bank account</legend>
          <div className="form-grid">
            <Input label="Account number" required autoComplete="off" inputMode="numeric" maxLength={17} spellCheck={false} error={err("payinfo1")} {...register("payinfo1")} />
            <Input label="Routing number" required autoComplete="off" inputMode="numeric" maxLength={9} spellCheck={false} hint="The 9-digit ABA number." error={err("payinfo2")} {...register("payinfo2")} />
          </div>
          <Input label="Name on the account" required autoComplete="name" maxLength={160} error={err("payname")} {...register("payname")} />
          <BankTypeAndState states={states} register={(n) => register(n)} err={err} />
        </fieldset>
      ) : null}

      {choice === "new-card" || choice === "new-bank" ? (
        <fieldset>
          <legend>Keep it?</legend>
          <div className="field field-check">
            <input id="save" type="checkbox" {...register("save")} />
            <label className="field-label" htmlFor="save">
              Save this {choice === "new-card" ? "card" : "account"} for future payments
            </label>
          </div>
          <div className="field field-check">
            <input id="auto" type="checkbox" {...register("auto", { disabled: !save })} />
            <label className="field-label" htmlFor="auto">
              Use it automatically for new invoices
            </label>
          </div>
        </fieldset>
      ) : null}

      <div className="form-actions">
        <Button type="submit" variant="primary">
          Review payment
        </Button>
      </div>
    </form>
  );
}
