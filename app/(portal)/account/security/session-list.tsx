"use client";

import { useActionState, useEffect, useRef } from "react";
import { useFormStatus } from "react-dom";
import { Badge } from "@/components/ui/badge";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { manageSessions, type SessionsActionState } from "./actions";

/** A signed-in session as the page shows it: already formatted on the server, no token or hash. */
export interface SessionView {
  /** The session's public id (an HMAC of its hash, not a secret). */
  id: string;
  device: string;
  ip: string | null;
  signedIn: string;
  lastSeen: string;
  isCurrent: boolean;
}

/** A submit button that shows its own form's request in flight. */
function PendingButton({ pendingLabel, ...rest }: Omit<ButtonProps, "type" | "pending">) {
  const { pending } = useFormStatus();
  return <Button type="submit" pending={pending} pendingLabel={pendingLabel} {...rest} />;
}

/**
 * The login's sessions, "this device" first marked, each other one with "Sign out", and "Sign
 * out everywhere else". Plain forms posting to one server action (they work before hydration
 * too); the result goes to one aria-live region, which takes the focus when a row it was on goes.
 */
export function SessionList({ sessions }: { sessions: SessionView[] }) {
  const [state, formAction] = useActionState<SessionsActionState, FormData>(manageSessions, null);
  const message = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state) message.current?.focus();
  }, [state]);
  const others = sessions.filter((s) => !s.isCurrent).length;

  return (
    <div className="stack">
      <div id="sessions-result" ref={message} tabIndex={-1} aria-live="polite" aria-atomic="true">
        {state ? (
          <div className={`alert ${state.ok ? "alert-success" : "alert-error"}`}>
            <div className="alert-body">{state.message}</div>
          </div>
        ) : null}
      </div>

      <Card
        id="sessions"
        title="Signed-in sessions"
        description={
          others === 0
            ? "You are signed in on this device only."
            : `You are signed in on ${sessions.length} devices or browsers. Signing one out ends its session at once: it has to log in again.`
        }
        actions={
          others > 0 ? (
            <form action={formAction}>
              <input type="hidden" name="intent" value="everywhere-else" />
              <PendingButton variant="danger" size="sm" pendingLabel="Signing out…">
                Sign out everywhere else
              </PendingButton>
            </form>
          ) : null
        }
      >
        <ul className="stack" style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label="Your sessions: this device first, then the most recently used">
          {sessions.map((s) => {
            const titleId = `session-${s.id}-device`;
            return (
              <li key={s.id} className="card" data-testid="session" data-current={s.isCurrent ? "true" : undefined} style={{ boxShadow: "none" }}>
                <div className="card-header">
                  <div>
                    <h3 id={titleId} className="card-title">
                      {s.device}
                    </h3>
                  </div>
                  {s.isCurrent ? <Badge tone="success">This device</Badge> : null}
                </div>
                <DescriptionList
                  layout="columns"
                  items={[
                    { term: "Address", value: s.ip },
                    { term: "Signed in", value: s.signedIn },
                    { term: "Last seen", value: s.lastSeen },
                  ]}
                />
                {s.isCurrent ? (
                  <p className="muted small" style={{ marginTop: "var(--space-4)" }}>
                    To sign out of this device, use “Log out”.
                  </p>
                ) : (
                  <form action={formAction} className="cluster" style={{ marginTop: "var(--space-4)" }}>
                    <input type="hidden" name="intent" value="one" />
                    <input type="hidden" name="session" value={s.id} />
                    <PendingButton variant="secondary" size="sm" pendingLabel="Signing out…" aria-describedby={titleId}>
                      Sign out
                    </PendingButton>
                  </form>
                )}
              </li>
            );
          })}
        </ul>
      </Card>
    </div>
  );
}
