import type { ReactNode } from "react";

/** The body of the not-found and error pages: a small label, a heading, text and actions. */
export interface ErrorPanelProps {
  code?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
}

export function ErrorPanel({ code, title, children, actions }: ErrorPanelProps) {
  return (
    <div className="error-page">
      {code ? <p className="error-page-code">{code}</p> : null}
      <h1>{title}</h1>
      {children ? <div className="muted">{children}</div> : null}
      {actions ? <div className="cluster">{actions}</div> : null}
    </div>
  );
}
