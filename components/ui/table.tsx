import { useId, type ReactNode } from "react";

/**
 * A data table with a caption. On phones (`layout="stack"`, the default) each row becomes a
 * small card of "label: value" lines; with `layout="scroll"` the table keeps its columns and
 * scrolls sideways in a keyboard-focusable region. Pure: cell renderers are plain functions,
 * so use it from Server Components (or inside one client tree).
 * Link a row's page with a plain <a>, not next/link: a list has many such links, and each
 * next/link is a client component to render on the server (measured in bench/: ten of them cost
 * ≈0.5 ms of a /invoices request) and, in production, prefetches its page as soon as it is
 * visible — a burst of requests for every list shown. Opening a row is then a full page load.
 */
export interface TableColumn<T> {
  key: string;
  header: ReactNode;
  /** Label in stacked rows on phones; defaults to `header` when that is a string. */
  label?: string;
  cell: (row: T, index: number) => ReactNode;
  /** "end" for numbers and money. */
  align?: "start" | "end";
  /** This column names the row: rendered as <th scope="row">. */
  rowHeader?: boolean;
  className?: string;
}

export interface TableProps<T> {
  caption: ReactNode;
  /** Keep the caption for screen readers only (when a heading above already says it). */
  captionHidden?: boolean;
  columns: TableColumn<T>[];
  rows: T[];
  rowKey: (row: T, index: number) => string | number;
  layout?: "stack" | "scroll";
  /** Rows for <tfoot> (e.g. totals), as <tr> elements. */
  footer?: ReactNode;
  /** Shown instead of the table when `rows` is empty. */
  empty?: ReactNode;
  className?: string;
}

export function Table<T>({ caption, captionHidden, columns, rows, rowKey, layout = "stack", footer, empty, className }: TableProps<T>) {
  const captionId = useId();
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  return (
    <div
      className={["table-scroll", layout === "stack" ? "table-stack" : null, className].filter(Boolean).join(" ")}
      role="region"
      aria-labelledby={captionId}
      tabIndex={layout === "scroll" ? 0 : undefined}
    >
      <table className="table">
        <caption id={captionId} className={captionHidden ? "visually-hidden" : undefined}>
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={[c.align === "end" ? "cell-end" : null, c.className].filter(Boolean).join(" ") || undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey(row, i)}>
              {columns.map((c) => {
                const props = {
                  className: [c.align === "end" ? "cell-end" : null, c.className].filter(Boolean).join(" ") || undefined,
                  "data-label": c.label ?? (typeof c.header === "string" ? c.header : undefined),
                };
                return c.rowHeader ? (
                  <th key={c.key} scope="row" {...props}>
                    {c.cell(row, i)}
                  </th>
                ) : (
                  <td key={c.key} {...props}>
                    {c.cell(row, i)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        {footer ? <tfoot>{footer}</tfoot> : null}
      </table>
    </div>
  );
}
