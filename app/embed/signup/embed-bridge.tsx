"use client";

import { useEffect } from "react";

/**
 * The embedded page's side of /embed.js: tells the host page (only its listed origin) how tall
 * the content is, whenever it changes, so the iframe never scrolls; answers the host's
 * "portico:hello" (checked: that origin, the parent window) with the height again.
 */
export function EmbedBridge({ parentOrigin, rootId }: { parentOrigin: string | null; rootId: string }) {
  useEffect(() => {
    if (!parentOrigin || window.parent === window) return;
    const root = document.getElementById(rootId);
    if (!root) return;
    let last = 0;
    const send = (force = false) => {
      // The content's bottom edge (padding included), whatever height the iframe has now.
      const height = Math.ceil(root.getBoundingClientRect().bottom + window.scrollY);
      if (!force && height === last) return;
      last = height;
      window.parent.postMessage({ type: "portico:resize", height }, parentOrigin);
    };
    const ro = new ResizeObserver(() => send());
    ro.observe(root);
    send(true);
    const onMessage = (e: MessageEvent) => {
      if (e.origin !== parentOrigin || e.source !== window.parent) return;
      if (e.data && typeof e.data === "object" && (e.data as { type?: unknown }).type === "portico:hello") send(true);
    };
    window.addEventListener("message", onMessage);
    return () => {
      ro.disconnect();
      window.removeEventListener("message", onMessage);
    };
  }, [parentOrigin, rootId]);
  return null;
}
