import type { Ref, SelectHTMLAttributes } from "react";
import { stateName } from "@/lib/customers/region-names";

/**
 * Freeside's `popselector`: a dial-up access number (svc_acct_pop), chosen state → area code →
 * number. The selects keep Freeside's names — `acstate`, `popac`, `popnum` — and only `popnum`
 * (the POP's id) is what new_customer takes.
 *
 *  - no POPs: a hidden empty `popnum`;
 *  - one POP: its text and a hidden `popnum`;
 *  - otherwise the three selects. The area codes are the chosen state's; the numbers are those of
 *    the chosen state and area code (all of them, up to 100, before a state is chosen — Freeside's
 *    rule), each shown as "City, ST (ac)/exch-loc".
 *
 * A PURE component (no hooks, no "use client"): the signup form renders it with react-hook-form's
 * `register` passed through `selectProps`; the RPC method `popselector` renders the same component
 * to HTML and adds `accessNumberCascadeScript` for the cascade.
 */
export interface AccessNumber {
  popnum: number;
  city: string;
  state: string;
  ac: string;
  exch: string;
  loc: string | null;
}

export type AccessNumberField = "acstate" | "popac" | "popnum";

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> };

export interface AccessNumberSelectProps {
  pops: AccessNumber[];
  /** The chosen POP (popnum), if any. */
  popnum?: number | string | null;
  /** The chosen state and area code (the form's current values); default: the chosen POP's. */
  state?: string;
  ac?: string;
  disabled?: boolean;
  error?: string;
  selectProps?: (field: AccessNumberField) => SelectProps;
}

/** Freeside's text for a POP: "Oakland, CA (510)/555-0140". */
export function accessNumberLabel(p: Pick<AccessNumber, "city" | "state" | "ac" | "exch" | "loc">): string {
  return `${p.city}, ${p.state} (${p.ac})/${p.exch}${p.loc ? `-${p.loc}` : ""}`;
}

/** Freeside shows every number in the last select before a choice only when there are at most this many. */
export const ALL_NUMBERS_LIMIT = 100;

export interface AccessNumberLists {
  states: string[];
  areaCodes: string[];
  numbers: AccessNumber[];
}

/** The option lists for a selection. */
export function accessNumberLists(pops: AccessNumber[], state: string, ac: string): AccessNumberLists {
  const states = [...new Set(pops.map((p) => p.state))].sort((a, b) => a.localeCompare(b));
  const inState = state ? pops.filter((p) => p.state === state) : [];
  const areaCodes = [...new Set(inState.map((p) => p.ac))].sort();
  let numbers: AccessNumber[];
  if (state && ac) numbers = inState.filter((p) => p.ac === ac);
  else if (state) numbers = inState;
  else numbers = pops.length <= ALL_NUMBERS_LIMIT ? pops : [];
  numbers = [...numbers].sort((a, b) => accessNumberLabel(a).localeCompare(accessNumberLabel(b)));
  return { states, areaCodes, numbers };
}

function Shell(props: { id: string; label: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="field" data-field={props.id}>
      <label className="field-label" htmlFor={props.id}>
        {props.label}
      </label>
      {props.children}
      {props.error ? (
        <p className="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function AccessNumberSelect(props: AccessNumberSelectProps) {
  const { pops } = props;
  const chosen = props.popnum !== undefined && props.popnum !== null && props.popnum !== "" ? pops.find((p) => String(p.popnum) === String(props.popnum)) : undefined;
  if (pops.length === 0) return <input type="hidden" name="popnum" value="" />;
  if (pops.length === 1) {
    const only = pops[0]!;
    return (
      <div className="access-number-select" data-pops="1">
        <p className="field-label">Access number</p>
        <p>{accessNumberLabel(only)}</p>
        <input type="hidden" name="popnum" value={String(only.popnum)} />
      </div>
    );
  }
  const state = props.state ?? chosen?.state ?? "";
  const ac = props.ac ?? (chosen && chosen.state === state ? chosen.ac : "");
  const lists = accessNumberLists(pops, state, ac);
  const extra = (f: AccessNumberField) => props.selectProps?.(f) ?? {};
  const invalid = props.error ? { "aria-invalid": true as const, "aria-describedby": "popnum-error" } : {};
  return (
    <div className="access-number-select" role="group" aria-labelledby="access-number-title">
      <p className="field-label" id="access-number-title">
        Dial-up access number
      </p>
      <Shell id="acstate" label="State">
        <select id="acstate" name="acstate" defaultValue={state} disabled={props.disabled} {...extra("acstate")}>
          <option value="">Choose a state</option>
          {lists.states.map((s) => (
            <option key={s} value={s}>
              {stateName("US", s) === s ? s : `${stateName("US", s)} (${s})`}
            </option>
          ))}
        </select>
      </Shell>
      <Shell id="popac" label="Area code">
        <select id="popac" name="popac" defaultValue={ac} disabled={props.disabled || !state} {...extra("popac")}>
          <option value="">{state ? "Choose an area code" : "Choose a state first"}</option>
          {lists.areaCodes.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </Shell>
      <Shell id="popnum" label="Access number" error={props.error}>
        <select
          id="popnum"
          name="popnum"
          defaultValue={chosen && lists.numbers.includes(chosen) ? String(chosen.popnum) : ""}
          disabled={props.disabled}
          style={{ minWidth: "20em" }}
          {...invalid}
          {...extra("popnum")}
        >
          <option value="">{lists.numbers.length ? "Choose an access number" : "Choose a state and area code"}</option>
          {lists.numbers.map((p) => (
            <option key={p.popnum} value={String(p.popnum)}>
              {accessNumberLabel(p)}
            </option>
          ))}
        </select>
      </Shell>
    </div>
  );
}

/**
 * The cascade for HTML served over RPC (no React in the client's page): the POPs are baked in as
 * JSON (Freeside bakes them into its script); the selects are found by name. Choosing a state
 * refills the area codes and the numbers; choosing an area code refills the numbers.
 */
export function accessNumberCascadeScript(pops: AccessNumber[]): string {
  const data = pops.map((p) => [p.popnum, p.state, p.ac, accessNumberLabel(p)]);
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return `<script>(function(){var D=${json},L=${ALL_NUMBERS_LIMIT};
function sel(n){return document.getElementsByName(n)[0];}
function opt(s,v,t){var o=document.createElement("option");o.value=v;o.text=t;s.appendChild(o);}
function nums(){var s=sel("acstate"),a=sel("popac"),n=sel("popnum");if(!n||n.tagName!=="SELECT")return;var st=s?s.value:"",ac=a?a.value:"";
var list=D.filter(function(p){return st?(p[1]===st&&(!ac||p[2]===ac)):D.length<=L;}).sort(function(x,y){return x[3].localeCompare(y[3]);});
n.innerHTML="";opt(n,"",list.length?"Choose an access number":"Choose a state and area code");list.forEach(function(p){opt(n,String(p[0]),p[3]);});}
function acs(){var s=sel("acstate"),a=sel("popac");if(!a)return;var st=s?s.value:"",seen={},codes=[];
D.forEach(function(p){if(p[1]===st&&!seen[p[2]]){seen[p[2]]=1;codes.push(p[2]);}});codes.sort();
a.innerHTML="";opt(a,"",st?"Choose an area code":"Choose a state first");codes.forEach(function(c){opt(a,c,c);});a.disabled=!st;nums();}
var s=sel("acstate"),a=sel("popac");if(s&&s.tagName==="SELECT")s.addEventListener("change",acs);if(a&&a.tagName==="SELECT")a.addEventListener("change",nums);})();</script>`;
}
