import Link from "next/link";
import type { ButtonHTMLAttributes, ComponentProps, ReactNode, Ref } from "react";

/**
 * Buttons. Pure (no hooks): usable from Server and Client Components.
 * `pending` shows a spinner, sets aria-busy and disables the button, so a form cannot be
 * submitted twice while its request is in flight.
 */
export type ButtonVariant = "primary" | "secondary" | "danger" | "link";
export type ButtonSize = "md" | "sm";

export function buttonClassName(variant: ButtonVariant = "primary", size: ButtonSize = "md", block = false, extra?: string): string {
  return ["button", `button-${variant}`, size === "sm" ? "button-sm" : null, block ? "button-block" : null, extra].filter(Boolean).join(" ");
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Full width. */
  block?: boolean;
  /** A request is in flight: spinner, aria-busy, disabled. */
  pending?: boolean;
  /** Text shown instead of the children while pending (e.g. "Saving…"). */
  pendingLabel?: ReactNode;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({ variant = "primary", size = "md", block = false, pending = false, pendingLabel, className, disabled, type = "button", children, ref, ...rest }: ButtonProps) {
  return (
    <button
      ref={ref}
      type={type}
      className={buttonClassName(variant, size, block, className)}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      {...rest}
    >
      {pending ? <span className="spinner" aria-hidden="true" /> : null}
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}

export interface ButtonLinkProps extends ComponentProps<typeof Link> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  block?: boolean;
}

/** A link that looks like a button (navigation, not an action). */
export function ButtonLink({ variant = "secondary", size = "md", block = false, className, ...rest }: ButtonLinkProps) {
  return <Link className={buttonClassName(variant, size, block, className)} {...rest} />;
}
