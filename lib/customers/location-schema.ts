import { z } from "zod";
import { optionalText, requiredText } from "@/lib/validation/fields";
import { checkPostalCode } from "./postal-codes";

/**
 * A postal address (cust_location), as the LocationForm sends it and as RPC callers do.
 * The region (country/state/county) is checked against cust_main_county on the server.
 */
export const locationFields = {
  address1: requiredText("Address", 80),
  address2: optionalText("Address line 2", 80),
  city: requiredText("City", 80),
  county: optionalText("County", 80),
  state: optionalText("State", 80),
  zip: optionalText("Postal code", 10),
  country: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z.string({ error: "Country is required" }).regex(/^[A-Z]{2}$/, "Choose a country"),
  ),
};

export const locationSchema = z.object(locationFields).transform((loc, ctx) => {
  const zip = checkPostalCode(loc.country, loc.zip ?? "");
  if (!zip.ok) {
    ctx.addIssue({ code: "custom", path: ["zip"], message: zip.message });
    return z.NEVER;
  }
  return { ...loc, zip: zip.zip, address2: loc.address2 ?? "", county: loc.county ?? "", state: loc.state ?? "" };
});

export type LocationInput = z.input<typeof locationSchema>;
export type Location = z.output<typeof locationSchema>;

/** An address as forms hold it: every field a string ('' = none). */
export interface LocationValues {
  address1: string;
  address2: string;
  city: string;
  county: string;
  state: string;
  zip: string;
  country: string;
}

/** A stored address (or none) as form values; no address → empty fields in the default country. */
export function toLocationValues(l: Partial<LocationValues> | null | undefined, defaultCountry = "US"): LocationValues {
  return {
    address1: l?.address1 ?? "",
    address2: l?.address2 ?? "",
    city: l?.city ?? "",
    county: l?.county ?? "",
    state: l?.state ?? "",
    zip: l?.zip ?? "",
    country: l?.country || defaultCountry,
  };
}
