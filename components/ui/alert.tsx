import type { ReactNode, Ref } from "react";

/**
 * A message box. Errors are announced at once (role="alert"); success, info and warnings
 * politely (role="status"). Render it conditionally (or keep it mounted and change its
 * children) so screen readers pick up the new text.
 */
export type AlertTone = "error" | "warning" | "success" | "info";

export interface AlertProps {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  id?: string;
  className?: string;
  /** Overrides the role chosen from the tone. */
  role?: "alert" | "status";
  /** Makes the box focusable by script (e.g. to move focus to a form's error summary). */
  focusable?: boolean;
  ref?: Ref<HTMLDivElement>;
}

export function Alert({ tone = "info", title, children, id, className, role, focusable, ref }: AlertProps) {
  return (
    <div
      ref={ref}
      id={id}
      role={role ?? (tone === "error" ? "alert" : "status")}
      className={["alert", `alert-${tone}`, className].filter(Boolean).join(" ")}
      tabIndex={focusable ? -1 : undefined}
    >
      <div className="alert-body">
        {title ? <p className="alert-title">{title}</p> : null}
        {children}
      </div>
    </div>
  );
}
