import type { Ref, SelectHTMLAttributes } from "react";
import { countryName, stateName, type RegionOption } from "@/lib/customers/region-names";
import { Field } from "@/components/ui/field";

/**
 * Freeside's `regionselector`: country → state → county selects driven by cust_main_county.
 *
 * A PURE component (no hooks, no "use client"): pages render it inside a client form that
 * passes the current selection and react-hook-form's `register` through `selectProps`; the RPC
 * method `regionselector` renders the same component to HTML with `react-dom/server` and adds a
 * small script for the cascade (see `regionCascadeScript`).
 */
export type RegionField = "country" | "state" | "county";

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> };

export interface RegionSelectorProps {
  /** Field-name prefix so the selector can appear twice (e.g. "ship_"). */
  prefix?: string;
  regions: RegionOption[];
  country: string;
  state: string;
  county: string;
  defaultCountry?: string;
  disabled?: boolean;
  errors?: Partial<Record<RegionField, string>>;
  /** Extra props for each select (pages: `register(name)` and change handlers). */
  selectProps?: (field: RegionField) => SelectProps;
  /** Show a red asterisk on required fields (Freeside's default). */
  asterisks?: boolean;
}

export interface RegionLists {
  countries: string[];
  states: string[];
  counties: string[];
}

/** The option lists for a selection: every country; the chosen country's states; the chosen state's counties. */
export function regionLists(regions: RegionOption[], country: string, state: string, defaultCountry = "US"): RegionLists {
  const countries = [...new Set(regions.map((r) => r.country))].sort((a, b) => {
    if (a === defaultCountry) return -1;
    if (b === defaultCountry) return 1;
    return countryName(a).localeCompare(countryName(b));
  });
  const inCountry = regions.filter((r) => r.country === country);
  const states = [...new Set(inCountry.map((r) => r.state).filter(Boolean))].sort((a, b) =>
    stateName(country, a).localeCompare(stateName(country, b)),
  );
  const counties = [...new Set(inCountry.filter((r) => r.state === state).map((r) => r.county).filter(Boolean))].sort();
  return { countries, states, counties };
}

/** Whether the chosen state accepts "no county" (it has a state-wide row). */
export function countyOptional(regions: RegionOption[], country: string, state: string): boolean {
  return regions.some((r) => r.country === country && r.state === state && r.county === "");
}

export function CountrySelect(props: RegionSelectorProps) {
  const prefix = props.prefix ?? "";
  const name = `${prefix}country`;
  const { countries } = regionLists(props.regions, props.country, props.state, props.defaultCountry);
  const extra = props.selectProps?.("country") ?? {};
  if (countries.length === 1 && !extra.onChange) {
    return <input type="hidden" name={name} value={countries[0]} />;
  }
  return (
    <Field name={name} label={"Country"} required={props.asterisks !== false} error={props.errors?.country}>
      {(control) => (
      <select
        name={name}
        defaultValue={props.country}
        disabled={props.disabled}
        required
        autoComplete={`${prefix ? "shipping" : "billing"} country`}
        data-region="country"
        {...control}
        {...extra}
      >
        {props.country === "" ? <option value="">Choose a country</option> : null}
        {countries.map((c) => (
          <option key={c} value={c}>
            {countryName(c)}
          </option>
        ))}
      </select>
      )}
    </Field>
  );
}

export function StateSelect(props: RegionSelectorProps) {
  const prefix = props.prefix ?? "";
  const name = `${prefix}state`;
  const { states } = regionLists(props.regions, props.country, props.state, props.defaultCountry);
  const extra = props.selectProps?.("state") ?? {};
  const label = props.country === "CA" ? "Province" : props.country === "US" ? "State" : "State / region";
  const hidden = states.length === 0;
  return (
    <Field name={name} label={label} required={props.asterisks !== false} error={props.errors?.state}>
      {(control) => (
      <select
        name={name}
        defaultValue={states.includes(props.state) ? props.state : ""}
        disabled={props.disabled}
        required={!hidden}
        autoComplete={`${prefix ? "shipping" : "billing"} address-level1`}
        data-region="state"
        {...control}
        {...extra}
      >
        <option value="">{hidden ? "(n/a)" : `Choose a ${label.toLowerCase()}`}</option>
        {states.map((s) => (
          <option key={s} value={s}>
            {stateName(props.country, s)}
          </option>
        ))}
      </select>
      )}
    </Field>
  );
}

export function CountySelect(props: RegionSelectorProps) {
  const prefix = props.prefix ?? "";
  const name = `${prefix}county`;
  const { counties } = regionLists(props.regions, props.country, props.state, props.defaultCountry);
  const extra = props.selectProps?.("county") ?? {};
  const none = counties.length === 0;
  const optional = countyOptional(props.regions, props.country, props.state);
  return (
    <Field name={name} label={"County"} required={(!none && !optional) && props.asterisks !== false} error={props.errors?.county}>
      {(control) => (
      <select
        name={name}
        defaultValue={counties.includes(props.county) ? props.county : ""}
        disabled={props.disabled}
        data-region="county"
        {...control}
        {...extra}
      >
        <option value="">{none ? "(n/a)" : optional ? "(none / other)" : "Choose a county"}</option>
        {counties.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      )}
    </Field>
  );
}

/** Country, state and county, in the order people fill them in. */
export function RegionSelector(props: RegionSelectorProps) {
  return (
    <div className="region-selector" data-prefix={props.prefix ?? ""}>
      <CountrySelect {...props} />
      <StateSelect {...props} />
      <CountySelect {...props} />
    </div>
  );
}

/**
 * The cascade for HTML served over RPC (no React in the client's page): the region data is baked
 * in as JSON, as Freeside bakes it into its script, and the selects are found by name. Changing
 * the country refills the states; changing the state refills the counties. A `portico:regionchange`
 * event is dispatched on the select so the host page can react (Freeside's `onchange` hook).
 */
export function regionCascadeScript(prefix: string, regions: RegionOption[]): string {
  const data: Record<string, Record<string, string[]>> = {};
  for (const r of regions) {
    const states = (data[r.country] ??= {});
    const counties = (states[r.state] ??= []);
    if (r.county && !counties.includes(r.county)) counties.push(r.county);
  }
  const stateNames: Record<string, string> = {};
  for (const r of regions) if (r.state) stateNames[`${r.country}:${r.state}`] = stateName(r.country, r.state);
  // JSON.stringify does not escape "</script>"; escape "<" so data can't end the script element.
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");
  const p = JSON.stringify(prefix).replace(/</g, "\\u003c");
  return `<script>(function(){var P=${p},D=${json(data)},N=${json(stateNames)};
function sel(n){return document.getElementsByName(P+n)[0];}
function fill(s,vals,label,first){if(!s)return;s.innerHTML="";var o=document.createElement("option");o.value="";o.text=first;s.appendChild(o);
vals.forEach(function(v){var e=document.createElement("option");e.value=v;e.text=label(v);s.appendChild(e);});}
function fire(s){s&&s.dispatchEvent(new CustomEvent("portico:regionchange",{bubbles:true}));}
function stateChanged(){var c=sel("country").value,s=sel("state").value,m=(D[c]||{})[s]||[];fill(sel("county"),m.slice().sort(),function(v){return v;},m.length?"Choose a county":"(n/a)");fire(sel("state"));}
function countryChanged(){var c=sel("country").value,st=Object.keys(D[c]||{}).filter(Boolean);st.sort(function(a,b){return (N[c+":"+a]||a).localeCompare(N[c+":"+b]||b);});
fill(sel("state"),st,function(v){return N[c+":"+v]||v;},st.length?"Choose a state":"(n/a)");stateChanged();fire(sel("country"));}
var c=sel("country"),s=sel("state");if(c&&c.tagName==="SELECT")c.addEventListener("change",countryChanged);if(s)s.addEventListener("change",stateChanged);})();</script>`;
}
