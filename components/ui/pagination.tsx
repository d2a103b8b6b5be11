import { PaginationView } from "./pagination-view";

/**
 * Page links (?page=N): previous, numbers around the current page with gaps, next. The
 * current page has aria-current="page". Pure: give it `hrefFor(page)`, e.g. from `pageHref`.
 * Plain links, like the rows of a list (see components/ui/table.tsx): a page is a full load.
 * Renders nothing when there is a single page. The links are worked out here, on the server;
 * PaginationView (a client component) lays them out.
 */
export interface PaginationProps {
  page: number;
  pageCount: number;
  hrefFor: (page: number) => string;
  /** The nav's accessible name (default "Pagination"); name it when a page has two lists. */
  label?: string;
}

/** The pages to show: 1, …, current-1, current, current+1, …, last (numbers; null = a gap). */
export function pageWindow(page: number, pageCount: number): (number | null)[] {
  const wanted = new Set([1, pageCount, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pageCount));
  // Avoid a gap that would hide a single page: show it instead.
  if (wanted.has(3) && pageCount >= 3) wanted.add(2);
  if (wanted.has(pageCount - 2) && pageCount >= 3) wanted.add(pageCount - 1);
  const pages = [...wanted].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const p of pages) {
    const prev = out[out.length - 1];
    if (typeof prev === "number" && p - prev > 1) out.push(null);
    out.push(p);
  }
  return out;
}

/** `pageHref("/invoices", 2, { status: "open" })` → "/invoices?status=open&page=2"; page 1 drops the parameter. */
export function pageHref(path: string, page: number, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "" && k !== "page") q.set(k, v);
  if (page > 1) q.set("page", String(page));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function Pagination({ page, pageCount, hrefFor, label = "Pagination" }: PaginationProps) {
  if (pageCount <= 1) return null;
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  return (
    <PaginationView
      current={current}
      pageCount={pageCount}
      label={label}
      links={{ previous: current > 1 ? hrefFor(current - 1) : null, next: current < pageCount ? hrefFor(current + 1) : null }}
      pages={pageWindow(current, pageCount).map((p) => (p === null ? null : { page: p, href: hrefFor(p) }))}
    />
  );
}
