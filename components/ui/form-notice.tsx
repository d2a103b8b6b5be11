"use client";
import { useEffect, useRef } from "react";
import { Alert, type AlertProps } from "./alert";

/**
 * A form's result message (saved, declined, could not save): announced (role="status", or
 * "alert" for errors — both live regions) and, each time a new message is shown, scrolled into
 * view and given focus, so a person who pressed a button at the bottom of a long form sees and
 * hears what happened. Pass `focus={false}` when focus belongs elsewhere (on the first field with
 * an error); it is still scrolled into view.
 */
export function FormNotice({ focus = true, ...props }: Omit<AlertProps, "ref" | "focusable"> & { focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const { children, title, tone } = props;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.scrollIntoView({ block: "nearest" });
    if (focus) el.focus({ preventScroll: true });
    // A new message (its text, title or tone) is a new announcement.
  }, [children, title, tone, focus]);
  return <Alert {...props} ref={ref} focusable />;
}
