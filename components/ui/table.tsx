import type { ReactNode } from "react";
import { TableView } from "./table-view";

/**
 * A data table with a caption. On phones (`layout="stack"`, the default) each row becomes a
 * small card of "label: value" lines; with `layout="scroll"` the table keeps its columns and
 * scrolls sideways in a keyboard-focusable region. Cell renderers are plain functions run on the
 * server; the rows' markup is TableView's, a client component (see there why).
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
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  // The cell renderers run here, on the server; TableView (a client component) lays the cells out.
  return (
    <TableView
      caption={caption}
      captionHidden={captionHidden}
      columns={columns.map((c) => ({
        key: c.key,
        header: c.header,
        label: c.label ?? (typeof c.header === "string" ? c.header : undefined),
        align: c.align,
        rowHeader: c.rowHeader,
        className: c.className,
      }))}
      rows={rows.map((row, i) => ({ key: rowKey(row, i), cells: columns.map((c) => c.cell(row, i)) }))}
      layout={layout}
      footer={footer}
      className={className}
    />
  );
}
