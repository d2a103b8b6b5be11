"use client";
import { useState, useTransition } from "react";
import { FormNotice } from "@/components/ui/form-notice";
import { Button, ButtonLink } from "@/components/ui/button";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { LocationForm, TextField, type AddressField } from "@/components/location-form";
import type { RegionField } from "@/components/region-selector";
import { editInfoSchema, type EditInfoFormValues } from "@/lib/customers/edit-info-schema";
import type { RegionOption } from "@/lib/customers/region-names";
import { saveAccountDetails } from "./actions";

const CONTACT_FIELDS: { name: keyof EditInfoFormValues; label: string; required?: boolean; type?: "text" | "tel"; autoComplete: string; max: number }[] = [
  { name: "first", label: "First name", required: true, autoComplete: "given-name", max: 80 },
  { name: "last", label: "Last name", required: true, autoComplete: "family-name", max: 80 },
  { name: "company", label: "Company", autoComplete: "organization", max: 80 },
  { name: "daytime", label: "Daytime phone", type: "tel", autoComplete: "tel", max: 20 },
  { name: "night", label: "Evening phone", type: "tel", autoComplete: "tel", max: 20 },
  { name: "mobile", label: "Mobile phone", type: "tel", autoComplete: "tel", max: 20 },
  { name: "fax", label: "Fax", type: "tel", autoComplete: "off", max: 20 },
];

/**
 * The account edit form: react-hook-form with the same zod schema the server action and RPC
 * `edit_info` use. The server re-validates everything (regions against cust_main_county too)
 * and its field errors are shown next to the fields; on any error nothing is saved.
 */
export function EditDetailsForm({ initial, regions }: { initial: EditInfoFormValues; regions: RegionOption[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const form = useForm<EditInfoFormValues>({
    defaultValues: initial,
    // raw: the server action receives what the person typed and parses it itself.
    resolver: zodResolver(editInfoSchema, undefined, { raw: true }) as never,
    // Validated on submit, then again as the person types: never on blur, which would move the
    // buttons between a press and its release (the first click after typing was lost).
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const { register, handleSubmit, setValue, watch, setError, formState } = form;
  const country = watch("country");
  const state = watch("state");
  const county = watch("county");
  const err = (name: keyof EditInfoFormValues) => formState.errors[name]?.message as string | undefined;

  const onSubmit = handleSubmit((values) => {
    setNotice(null);
    startTransition(async () => {
      const result = await saveAccountDetails(values);
      if (result.ok) {
        setNotice({ kind: "success", text: result.data.changed.length ? "Your details were saved." : "Nothing to save: your details were already up to date." });
        router.refresh();
        return;
      }
      for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) {
        if (field in initial) setError(field as keyof EditInfoFormValues, { message: messages[0] }, { shouldFocus: true });
      }
      setNotice({ kind: "error", text: result.message });
    });
  });

  const selectProps = (field: RegionField) =>
    register(field, {
      onChange: () => {
        if (field === "country") {
          setValue("state", "");
          setValue("county", "");
        } else if (field === "state") {
          setValue("county", "");
        }
      },
    });

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-busy={pending} aria-describedby={notice ? "form-notice" : undefined}>
      {notice ? (
        <FormNotice id="form-notice" tone={notice.kind} focus={notice.kind === "success" || !Object.keys(formState.errors).length}>
          {notice.text}
        </FormNotice>
      ) : null}

      <fieldset>
        <legend>Contact details</legend>
        <div className="form-grid">
          {CONTACT_FIELDS.map((f) => (
            <TextField
              key={f.name}
              name={f.name}
              label={f.label}
              value={String(initial[f.name] ?? "")}
              required={f.required}
              asterisks
              type={f.type}
              autoComplete={f.autoComplete}
              maxLength={f.max}
              error={err(f.name)}
              extra={register(f.name)}
            />
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>Billing address</legend>
        <LocationForm
          regions={regions}
          values={{ ...initial, country, state, county }}
          errors={{ address1: err("address1"), address2: err("address2"), city: err("city"), zip: err("zip"), country: err("country"), state: err("state"), county: err("county") }}
          inputProps={(field: AddressField) => register(field)}
          selectProps={selectProps}
        />
      </fieldset>

      <fieldset>
        <legend>Invoices</legend>
        <div className="field" data-field="invoicing_list">
          <label className="field-label" htmlFor="invoicing_list">
            Send invoices by e-mail to
          </label>
          <input
            id="invoicing_list"
            type="text"
            inputMode="email"
            autoComplete="email"
            aria-describedby={`invoicing_list-hint${err("invoicing_list") ? " invoicing_list-error" : ""}`}
            aria-invalid={err("invoicing_list") ? true : undefined}
            {...register("invoicing_list")}
          />
          <p className="field-hint" id="invoicing_list-hint">
            One or more addresses, separated by commas.
          </p>
          {err("invoicing_list") ? (
            <p className="field-error" id="invoicing_list-error" role="alert">
              {err("invoicing_list")}
            </p>
          ) : null}
        </div>
        <div className="field field-check">
          <input id="postal_invoicing" type="checkbox" {...register("postal_invoicing")} />
          <label htmlFor="postal_invoicing">Also send paper invoices by post</label>
        </div>
      </fieldset>

      <div className="form-actions">
        <Button type="submit" pending={pending} pendingLabel="Saving…">
          Save changes
        </Button>
        <ButtonLink variant="secondary" href="/account">
          Back to your account
        </ButtonLink>
      </div>
    </form>
  );
}
