"use client";

import { useId, type ReactNode } from "react";

/** A column as it crosses from the server: everything but the cell renderer, which has already run. */
export interface TableViewColumn {
  key: string;
  header: ReactNode;
  /** Label of the cell in stacked rows on phones (data-label). */
  label?: string;
  align?: "start" | "end";
  rowHeader?: boolean;
  className?: string;
}

export interface TableViewProps {
  caption: ReactNode;
  captionHidden?: boolean;
  columns: TableViewColumn[];
  /** One entry per row: its React key and its cells' contents, in column order. */
  rows: { key: string | number; cells: ReactNode[] }[];
  layout: "stack" | "scroll";
  footer?: ReactNode;
  className?: string;
}

/**
 * The markup of `Table` (components/ui/table.tsx), which is what pages use. It is a client
 * component only so that the server sends the cells' contents and not every <tr>, <td> and
 * their attributes as React Server Components payload: the server renders a server component's
 * elements twice (into that payload, then from it into HTML) and a client component's once.
 * Measured on /invoices (10 rows × 6 columns): ≈1.3 ms less server CPU per request (−18 %).
 */
export function TableView({ caption, captionHidden, columns, rows, layout, footer, className }: TableViewProps) {
  const captionId = useId();
  const cellClass = columns.map((c) => [c.align === "end" ? "cell-end" : null, c.className].filter(Boolean).join(" ") || undefined);
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
            {columns.map((c, i) => (
              <th key={c.key} scope="col" className={cellClass[i]}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              {columns.map((c, i) =>
                c.rowHeader ? (
                  <th key={c.key} scope="row" className={cellClass[i]} data-label={c.label}>
                    {row.cells[i]}
                  </th>
                ) : (
                  <td key={c.key} className={cellClass[i]} data-label={c.label}>
                    {row.cells[i]}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        {footer ? <tfoot>{footer}</tfoot> : null}
      </table>
    </div>
  );
}
