import type { Ref, SelectHTMLAttributes } from "react";
import { parseExpselectDate } from "@/lib/payments/card";

/**
 * Freeside's `expselect`: a card's expiration as two selects, `{prefix}_month` (1–12) and
 * `{prefix}_year` (from this year — or the stored year if earlier — to ten years ahead),
 * preselecting `date` given as `yyyy-mm-dd`, `m-d-yyyy` or `m-yyyy`.
 *
 * A PURE component (no hooks, no "use client"): card forms render it with react-hook-form's
 * `register` passed through `monthProps`/`yearProps`; the RPC method `expselect` renders the same
 * component to HTML with `react-dom/server`.
 */
type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> };

export interface ExpirationSelectProps {
  /** Field-name prefix: the selects are `{prefix}_month` and `{prefix}_year`. */
  prefix: string;
  /** The stored expiration (`yyyy-mm-dd`, `m-d-yyyy` or `m-yyyy`); none = nothing preselected. */
  date?: string | null;
  /** The current year (default: this year, UTC). */
  currentYear?: number;
  /** id of a visible label for the pair (aria-labelledby); else the group is labelled "Expiration date". */
  labelId?: string;
  /** ids of visible labels for each select; else each gets its own visually hidden label. */
  monthLabelId?: string;
  yearLabelId?: string;
  disabled?: boolean;
  required?: boolean;
  error?: string;
  monthProps?: SelectProps;
  yearProps?: SelectProps;
}

/** The years offered: min(current, stored) … max(current + 10, stored). */
export function expirationYears(currentYear: number, storedYear?: number | null): number[] {
  const from = storedYear && storedYear < currentYear ? storedYear : currentYear;
  const to = Math.max(currentYear + 10, storedYear ?? 0);
  const out: number[] = [];
  for (let y = from; y <= to; y++) out.push(y);
  return out;
}

export function ExpirationSelect(props: ExpirationSelectProps) {
  const selected = parseExpselectDate(props.date);
  const currentYear = props.currentYear ?? new Date().getUTCFullYear();
  const years = expirationYears(currentYear, selected?.year);
  const monthId = `${props.prefix}_month`;
  const yearId = `${props.prefix}_year`;
  const errorId = `${props.prefix}_expiration-error`;
  const invalid = props.error ? { "aria-invalid": true as const, "aria-describedby": errorId } : {};
  return (
    <span
      className="expiration-select"
      role="group"
      {...(props.labelId ? { "aria-labelledby": props.labelId } : { "aria-label": "Expiration date" })}
    >
      {props.monthLabelId ? null : (
        <label className="visually-hidden" htmlFor={monthId}>
          Expiration month
        </label>
      )}
      <select
        id={monthId}
        name={monthId}
        size={1}
        defaultValue={selected ? String(selected.month) : ""}
        disabled={props.disabled}
        required={props.required}
        autoComplete="cc-exp-month"
        {...(props.monthLabelId ? { "aria-labelledby": props.monthLabelId } : {})}
        {...invalid}
        {...props.monthProps}
      >
        {selected ? null : <option value="">Month</option>}
        {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
          <option key={m} value={String(m)}>
            {m}
          </option>
        ))}
      </select>
      <span aria-hidden="true">/</span>
      {props.yearLabelId ? null : (
        <label className="visually-hidden" htmlFor={yearId}>
          Expiration year
        </label>
      )}
      <select
        id={yearId}
        name={yearId}
        size={1}
        defaultValue={selected ? String(selected.year) : ""}
        disabled={props.disabled}
        required={props.required}
        autoComplete="cc-exp-year"
        {...(props.yearLabelId ? { "aria-labelledby": props.yearLabelId } : {})}
        {...invalid}
        {...props.yearProps}
      >
        {selected ? null : <option value="">Year</option>}
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {y}
          </option>
        ))}
      </select>
      {props.error ? (
        <span className="field-error" id={errorId} role="alert">
          {props.error}
        </span>
      ) : null}
    </span>
  );
}
