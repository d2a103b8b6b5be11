import type { HTMLAttributes, ReactNode } from "react";

/**
 * A white panel. With a `title` it gets a header (h2 by default) and, when `id` is given,
 * the section is labelled by its heading. `actions` sit at the right of the header.
 */
export interface CardProps extends Omit<HTMLAttributes<HTMLElement>, "title"> {
  title?: ReactNode;
  /** Heading level of the title (2 by default). */
  headingLevel?: 2 | 3 | 4;
  description?: ReactNode;
  actions?: ReactNode;
  footer?: ReactNode;
  /** Rendered element: a <section> by default, a <div> when the card is not a landmark-worthy region. */
  as?: "section" | "div" | "article";
}

export function Card({ title, headingLevel = 2, description, actions, footer, as: Tag = "section", id, className, children, ...rest }: CardProps) {
  const Heading = `h${headingLevel}` as "h2" | "h3" | "h4";
  const headingId = id && title ? `${id}-title` : undefined;
  return (
    <Tag id={id} className={["card", className].filter(Boolean).join(" ")} aria-labelledby={headingId} {...rest}>
      {title || actions ? (
        <div className="card-header">
          <div>
            {title ? (
              <Heading id={headingId} className="card-title">
                {title}
              </Heading>
            ) : null}
            {description ? <p className="card-description">{description}</p> : null}
          </div>
          {actions ? <div className="cluster">{actions}</div> : null}
        </div>
      ) : null}
      {children}
      {footer ? <div className="card-footer">{footer}</div> : null}
    </Tag>
  );
}
