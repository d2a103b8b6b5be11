import "server-only";
import { createElement } from "react";
import { z } from "zod";
import { CountrySelect, CountySelect, RegionSelector, StateSelect, regionCascadeScript } from "@/components/region-selector";
import { LocationForm } from "@/components/location-form";
import { defineMethod, type RpcMethod } from "@/lib/rpc/define-method";
import { renderFragment } from "@/lib/rpc/render-fragment";
import { flagBoolean, optionalText } from "@/lib/validation/fields";
import { getCustomerInfo, getCustomerInfoForSession } from "./customer-info";
import { editCustomerInfo } from "./edit-info";
import { COUNTRY_DEFAULT, toFreesideCustomerInfo } from "./freeside-customer-info";
import { listRegions } from "./regions";
import { toLocationValues } from "./location-schema";
import type { RegionOption } from "./region-names";

const prefixField = z
  .preprocess((v) => (v === undefined || v === null ? "" : v), z.string().regex(/^[A-Za-z0-9_]{0,20}$/, "prefix may hold only letters, digits and _"))
  .default("");

const localeRow = z.object({
  country: z.string().max(2),
  state: z.preprocess((v) => v ?? "", z.string().max(80)),
  county: z.preprocess((v) => v ?? "", z.string().max(80)),
});

const regionSelectorInput = z.object({
  prefix: prefixField,
  selected_country: optionalText("selected_country", 2),
  selected_state: optionalText("selected_state", 80),
  selected_county: optionalText("selected_county", 80),
  default_country: optionalText("default_country", 2),
  default_state: optionalText("default_state", 80),
  locales: z.array(localeRow).max(5000).optional(),
});

const locationFormInput = z.object({
  prefix: prefixField,
  no_asterisks: flagBoolean(),
  address1_label: optionalText("address1_label", 80),
});

function uniqueRegions(rows: RegionOption[]): RegionOption[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = `${r.country}|${r.state}|${r.county}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export const customerMethods: RpcMethod[] = [
  defineMethod({
    name: "customer_info",
    auth: "customer-in-read",
    input: z.object({}),
    async run({ db, sessionToken }) {
      const loaded = await getCustomerInfoForSession(db, sessionToken);
      return loaded ? toFreesideCustomerInfo(loaded.info, { svcnum: loaded.session.svcnum }) : null;
    },
  }),
  defineMethod({
    name: "edit_info",
    auth: "customer",
    input: z.object({}).passthrough(),
    async run({ db, customer, meta }, input) {
      const { session_id: _sid, ...fields } = input as Record<string, unknown>;
      await editCustomerInfo(db, customer.custnum, fields, { ip: meta.ip, contactnum: customer.contactnum });
      return {};
    },
  }),
  defineMethod({
    name: "regionselector",
    auth: "none",
    input: regionSelectorInput,
    async run({ db }, input) {
      const regions = uniqueRegions(input.locales ?? (await listRegions(db)));
      const country = input.selected_country || input.default_country || COUNTRY_DEFAULT;
      const props = {
        prefix: input.prefix,
        regions,
        country: country.toUpperCase(),
        state: input.selected_state || input.default_state || "",
        county: input.selected_county || "",
        defaultCountry: (input.default_country || COUNTRY_DEFAULT).toUpperCase(),
      };
      const script = regionCascadeScript(input.prefix, regions);
      return {
        county_html: await renderFragment(createElement(CountySelect, props)),
        state_html: await renderFragment(createElement(StateSelect, props)),
        country_html: await renderFragment(createElement(CountrySelect, props)),
        html: await renderFragment(createElement(RegionSelector, props)) + script,
        script,
      };
    },
  }),
  defineMethod({
    name: "location_form",
    auth: "customer",
    input: locationFormInput,
    async run({ db, customer }, input) {
      const [info, regions] = await Promise.all([getCustomerInfo(db, customer.custnum), listRegions(db)]);
      const html =
        await renderFragment(
          createElement(LocationForm, {
            prefix: input.prefix,
            regions,
            asterisks: !input.no_asterisks,
            address1Label: input.address1_label || undefined,
            values: toLocationValues(info.billLocation, COUNTRY_DEFAULT),
          }),
        ) + regionCascadeScript(input.prefix, regions);
      return { output: html, html };
    },
  }),
];
