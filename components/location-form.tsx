import type { InputHTMLAttributes, Ref } from "react";
import type { RegionOption } from "@/lib/customers/region-names";
import { postalCodeLabel, POSTAL_CODE_RULES } from "@/lib/customers/postal-codes";
import type { LocationValues } from "@/lib/customers/location-schema";
import { Field } from "@/components/ui/field";
import { RegionSelector, type RegionField, type RegionSelectorProps } from "./region-selector";

/**
 * Freeside's `location_form`: address lines, city, the region cascade and the postal code.
 * PURE (no hooks): the account edit page renders it inside its client form; the RPC method
 * `location_form` renders it to HTML for the session customer's bill location.
 */
export type AddressField = "address1" | "address2" | "city" | "zip";
export type LocationField = AddressField | RegionField;

type InputProps = InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> };

export type { LocationValues };

export interface LocationFormProps {
  prefix?: string;
  regions: RegionOption[];
  values: LocationValues;
  errors?: Partial<Record<LocationField, string>>;
  disabled?: boolean;
  /** Freeside's no_asterisks turns this off. */
  asterisks?: boolean;
  address1Label?: string;
  inputProps?: (field: AddressField) => InputProps;
  selectProps?: RegionSelectorProps["selectProps"];
}

export function TextField(props: {
  name: string;
  label: string;
  value: string;
  required?: boolean;
  asterisks?: boolean;
  error?: string;
  hint?: string;
  autoComplete: string;
  disabled?: boolean;
  maxLength: number;
  type?: "text" | "email" | "tel";
  extra?: InputProps;
}) {
  return (
    <Field name={props.name} label={props.label} required={props.required && props.asterisks !== false} error={props.error} hint={props.hint}>
      {(control) => (
        <input
          name={props.name}
          type={props.type ?? "text"}
          defaultValue={props.value}
          required={props.required}
          disabled={props.disabled}
          autoComplete={props.autoComplete}
          maxLength={props.maxLength}
          {...control}
          {...props.extra}
        />
      )}
    </Field>
  );
}

export function LocationForm(props: LocationFormProps) {
  const prefix = props.prefix ?? "";
  const section = prefix ? "shipping" : "billing";
  const asterisks = props.asterisks ?? true;
  const v = props.values;
  const zipRule = POSTAL_CODE_RULES[v.country];
  return (
    <div className="location-form" data-prefix={prefix}>
      <TextField
        name={`${prefix}address1`}
        label={props.address1Label ?? "Address"}
        value={v.address1}
        required
        asterisks={asterisks}
        error={props.errors?.address1}
        autoComplete={`${section} address-line1`}
        disabled={props.disabled}
        maxLength={80}
        extra={props.inputProps?.("address1")}
      />
      <TextField
        name={`${prefix}address2`}
        label="Unit, suite or apartment"
        value={v.address2}
        asterisks={asterisks}
        error={props.errors?.address2}
        autoComplete={`${section} address-line2`}
        disabled={props.disabled}
        maxLength={80}
        extra={props.inputProps?.("address2")}
      />
      <TextField
        name={`${prefix}city`}
        label="City"
        value={v.city}
        required
        asterisks={asterisks}
        error={props.errors?.city}
        autoComplete={`${section} address-level2`}
        disabled={props.disabled}
        maxLength={80}
        extra={props.inputProps?.("city")}
      />
      <RegionSelector
        prefix={prefix}
        regions={props.regions}
        country={v.country}
        state={v.state}
        county={v.county}
        disabled={props.disabled}
        asterisks={asterisks}
        errors={{ country: props.errors?.country, state: props.errors?.state, county: props.errors?.county }}
        selectProps={props.selectProps}
      />
      <TextField
        name={`${prefix}zip`}
        label={postalCodeLabel(v.country)}
        value={v.zip}
        required={zipRule?.required ?? false}
        asterisks={asterisks}
        error={props.errors?.zip}
        hint={zipRule ? `For example ${zipRule.example}` : undefined}
        autoComplete={`${section} postal-code`}
        disabled={props.disabled}
        maxLength={10}
        extra={props.inputProps?.("zip")}
      />
    </div>
  );
}
