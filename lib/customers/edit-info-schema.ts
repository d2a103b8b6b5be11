import { z } from "zod";
import { flagBoolean, optionalText, requiredText } from "@/lib/validation/fields";
import { customerPhoneFields, invoicingListField } from "./customer-schema";
import { checkPostalCode } from "./postal-codes";
import type { LocationValues } from "./location-schema";

/**
 * edit_info: the one schema for the account edit form (react-hook-form resolver), its server
 * action and the RPC method. Every key is optional: a key not sent is left alone, an empty value
 * clears an optional field. Address keys are merged with the current address and the result is
 * checked as a whole on the server (required fields, postal code format, region list).
 */
const countryCode = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
  z.string({ error: "Country must be text" }).regex(/^([A-Z]{2})?$/, "Choose a country").optional(),
);

function addressFields<P extends string>(prefix: P) {
  return {
    [`${prefix}address1`]: optionalText("Address", 80),
    [`${prefix}address2`]: optionalText("Address line 2", 80),
    [`${prefix}city`]: optionalText("City", 80),
    [`${prefix}county`]: optionalText("County", 80),
    [`${prefix}state`]: optionalText("State", 80),
    [`${prefix}zip`]: optionalText("Postal code", 10),
    [`${prefix}country`]: countryCode,
  } as Record<`${P}${"address1" | "address2" | "city" | "county" | "state" | "zip"}`, ReturnType<typeof optionalText>> &
    Record<`${P}country`, typeof countryCode>;
}

export const ADDRESS_KEYS = ["address1", "address2", "city", "county", "state", "zip", "country"] as const;

export const editInfoSchema = z
  .object({
    first: requiredText("First name", 80).optional(),
    last: requiredText("Last name", 80).optional(),
    company: optionalText("Company", 80),
    ...customerPhoneFields,
    locale: optionalText("Language", 16),
    ...addressFields(""),
    ...addressFields("ship_"),
    invoicing_list: invoicingListField.optional(),
    postal_invoicing: flagBoolean(),
  })
  .superRefine((v, ctx) => {
    for (const prefix of ["", "ship_"] as const) {
      const zip = v[`${prefix}zip`];
      const country = v[`${prefix}country`];
      if (zip !== undefined && country) {
        const r = checkPostalCode(country, zip);
        if (!r.ok) ctx.addIssue({ code: "custom", path: [`${prefix}zip`], message: r.message });
      }
    }
  });

export type EditInfoInput = z.input<typeof editInfoSchema>;
export type EditInfo = z.output<typeof editInfoSchema>;

/** The edit form's values (all strings, as the browser holds them). */
export interface EditInfoFormValues extends LocationValues {
  first: string;
  last: string;
  company: string;
  daytime: string;
  night: string;
  mobile: string;
  fax: string;
  invoicing_list: string;
  postal_invoicing: boolean;
}
