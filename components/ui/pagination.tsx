/**
 * Page links (?page=N): previous, numbers around the current page with gaps, next. The
 * current page has aria-current="page". Pure: give it `hrefFor(page)`, e.g. from `pageHref`.
 * Plain links, like the rows of a list (see components/ui/table.tsx): a page is a full load.
 * Renders nothing when there is a single page.
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
    <nav className="pagination" aria-label={label}>
      <ul className="pagination-list">
        <li>
          {current > 1 ? (
            <a className="pagination-link" href={hrefFor(current - 1)} rel="prev">
              <span aria-hidden="true">‹</span>Previous
            </a>
          ) : (
            <span className="pagination-link" aria-disabled="true">
              <span aria-hidden="true">‹</span>Previous
            </span>
          )}
        </li>
        {pageWindow(current, pageCount).map((p, i) =>
          p === null ? (
            <li key={`gap-${i}`} className="pagination-page pagination-gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li key={p} className={p === current ? "pagination-page pagination-page-current" : "pagination-page"}>
              <a className="pagination-link" href={hrefFor(p)} aria-current={p === current ? "page" : undefined} aria-label={`Page ${p}`}>
                {p}
              </a>
            </li>
          ),
        )}
        <li className="pagination-status">
          <span aria-hidden="true">
            {current} / {pageCount}
          </span>
          <span className="visually-hidden">
            Page {current} of {pageCount}
          </span>
        </li>
        <li>
          {current < pageCount ? (
            <a className="pagination-link" href={hrefFor(current + 1)} rel="next">
              Next<span aria-hidden="true">›</span>
            </a>
          ) : (
            <span className="pagination-link" aria-disabled="true">
              Next<span aria-hidden="true">›</span>
            </span>
          )}
        </li>
      </ul>
    </nav>
  );
}
