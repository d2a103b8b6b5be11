import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { requireCustomerPage } from "@/lib/auth/current-session";
import { listLoginSessions } from "@/lib/auth/sessions";
import { formatDateHuman, portalTimezone } from "@/lib/format/dates";
import { describeDevice } from "./device-name";
import { SessionList, type SessionView } from "./session-list";

export const metadata: Metadata = { title: "Security" };

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** "7 Dec 2026, 09:15 UTC", in the ISP's timezone, formatted here on the server. */
function formatDateTime(d: Date): string {
  const tz = portalTimezone();
  let f = timeFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" });
    timeFormats.set(tz, f);
  }
  return `${formatDateHuman(d)}, ${f.format(d)}`;
}

export default async function SecurityPage() {
  const current = await requireCustomerPage("/account/security");
  const sessions = await listLoginSessions(await getDb(), current);
  // This device first, then the others as listed (most recently used first).
  sessions.sort((x, y) => Number(y.isCurrent) - Number(x.isCurrent));
  const views: SessionView[] = sessions.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    ip: s.ip,
    signedIn: formatDateTime(s.createdAt),
    lastSeen: formatDateTime(s.lastSeenAt),
    isCurrent: s.isCurrent,
  }));
  return (
    <div className="stack narrow">
      <PageHeader
        title="Security"
        description="Where you are signed in with this login. If you do not recognise a session, sign it out."
        back={{ href: "/account", label: "Your account" }}
      />
      <SessionList sessions={views} />
    </div>
  );
}
