import Link from "next/link";
import type { ReactNode } from "react";

/** The page's one h1, an optional description, a "back" link and actions on the right. */
export interface PageHeaderProps {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  back?: { href: string; label: ReactNode };
}

export function PageHeader({ title, description, actions, back }: PageHeaderProps) {
  return (
    <header className="page-header">
      <div className="page-header-text">
        {back ? (
          <Link className="page-header-back no-print" href={back.href}>
            <span aria-hidden="true">← </span>
            {back.label}
          </Link>
        ) : null}
        <h1 className="page-header-title">{title}</h1>
        {description ? <p className="page-header-description">{description}</p> : null}
      </div>
      {actions ? <div className="cluster no-print">{actions}</div> : null}
    </header>
  );
}
