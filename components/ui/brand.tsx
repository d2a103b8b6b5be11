import Link from "next/link";

/** The portal's name and mark, linking home. */
export function Brand({ href = "/", className }: { href?: string; className?: string }) {
  return (
    <Link href={href} className={["brand", className].filter(Boolean).join(" ")}>
      <span className="brand-mark" aria-hidden="true">
        P
      </span>
      Portico
    </Link>
  );
}
