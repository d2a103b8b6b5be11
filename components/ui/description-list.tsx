import type { ReactNode } from "react";

/**
 * Label / value pairs (<dl>). `columns` puts labels beside values on wider screens (a
 * details card); `stacked` keeps them above (narrow cards). Empty values render `empty`.
 */
export interface DescriptionItem {
  term: ReactNode;
  value: ReactNode;
  /** Stable key when `term` is not a string. */
  key?: string;
}

export interface DescriptionListProps {
  items: DescriptionItem[];
  layout?: "columns" | "stacked";
  /** Shown for null/undefined/"" values (default an em dash, read as "none"). */
  empty?: ReactNode;
  className?: string;
}

function isEmpty(v: ReactNode): boolean {
  return v === null || v === undefined || v === "" || v === false;
}

export function DescriptionList({ items, layout = "columns", empty, className }: DescriptionListProps) {
  const emptyValue = empty ?? (
    <span className="muted">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">none</span>
    </span>
  );
  return (
    <dl className={["dl", `dl-${layout}`, className].filter(Boolean).join(" ")}>
      {items.map((item, i) => (
        <div className="dl-item" key={item.key ?? (typeof item.term === "string" ? item.term : i)}>
          <dt>{item.term}</dt>
          <dd>{isEmpty(item.value) ? emptyValue : item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
