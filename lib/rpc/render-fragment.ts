import "server-only";
import type { ReactElement } from "react";

/**
 * Renders a pure component (no hooks, no "use client") to an HTML string, for the RPC methods
 * that return Freeside's HTML fragments from the same component the pages use. Next's bundler
 * refuses a static `react-dom/server` import in App Router code, so it is loaded on first use.
 */
export async function renderFragment(element: ReactElement): Promise<string> {
  const { renderToStaticMarkup } = await import("react-dom/server");
  return renderToStaticMarkup(element);
}
