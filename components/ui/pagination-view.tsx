"use client";

/**
 * The markup of `Pagination` (components/ui/pagination.tsx), which is what pages use: a client
 * component for the same reason as TableView (components/ui/table-view.tsx) — the server sends
 * the links, not the list's elements, and renders them once.
 */
export interface PaginationViewProps {
  current: number;
  pageCount: number;
  label: string;
  /** Hrefs of the previous and next page (null at either end). */
  links: { previous: string | null; next: string | null };
  /** The pages to link, in order (pageWindow), with their hrefs; null is a gap. */
  pages: ({ page: number; href: string } | null)[];
}

export function PaginationView({ current, pageCount, label, links, pages }: PaginationViewProps) {
  return (
    <nav className="pagination" aria-label={label}>
      <ul className="pagination-list">
        <li>
          {links.previous ? (
            <a className="pagination-link" href={links.previous} rel="prev">
              <span aria-hidden="true">‹</span>Previous
            </a>
          ) : (
            <span className="pagination-link" aria-disabled="true">
              <span aria-hidden="true">‹</span>Previous
            </span>
          )}
        </li>
        {pages.map((p, i) =>
          p === null ? (
            <li key={`gap-${i}`} className="pagination-page pagination-gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li key={p.page} className={p.page === current ? "pagination-page pagination-page-current" : "pagination-page"}>
              <a className="pagination-link" href={p.href} aria-current={p.page === current ? "page" : undefined} aria-label={`Page ${p.page}`}>
                {p.page}
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
          {links.next ? (
            <a className="pagination-link" href={links.next} rel="next">
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
