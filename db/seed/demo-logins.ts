/**
 * The demo seed's fixed logins, for the README, `npm start`'s banner and the e2e tests.
 * Public demo data: these passwords exist only in the demo database. No server-only imports, so
 * Playwright specs can import this file.
 */
export const DEMO_PASSWORD = "Demo-pass-2026";
/** The PIN of every demo phone line (carol's included). */
export const DEMO_PIN = "2468";

export type DemoLoginName = "alice" | "bob" | "carol" | "dave" | "erin";

interface DemoLoginBase {
  /** Short name used in tests and docs. */
  name: DemoLoginName;
  /** The customer's full name as the portal shows it. */
  customer: string;
  description: string;
}

export type DemoLogin =
  | (DemoLoginBase & { how: "email"; email: string; password: string })
  | (DemoLoginBase & { how: "username"; username: string; domain: string; password: string })
  | (DemoLoginBase & { how: "phone"; countrycode: string; phonenum: string; pin: string });

export const DEMO_LOGINS = [
  {
    name: "alice",
    how: "email",
    email: "alice@example.com",
    password: DEMO_PASSWORD,
    customer: "Alice Nguyen",
    description: "Active customer in Oakland (Alameda county, CA): DSL 50, a VoIP line, domain hosting and a paid installation.",
  },
  {
    name: "bob",
    how: "username",
    username: "bob",
    domain: "northwind.example",
    password: DEMO_PASSWORD,
    customer: "Bob Martinez",
    description: "Fibre 1000 customer in Seattle (King county, WA) with a static IP; logs in with his account username + domain (or bob@northwind.example as the e-mail).",
  },
  {
    name: "carol",
    how: "phone",
    countrycode: "1",
    phonenum: "4155550123",
    pin: DEMO_PIN,
    customer: "Carol Okafor",
    description: "VoIP line (415) 555-0123 and annual Fibre 300 in San Francisco, CA; logs in with phone number + PIN.",
  },
  {
    name: "dave",
    how: "email",
    email: "dave@example.com",
    password: DEMO_PASSWORD,
    customer: "Dave Kowalski",
    description: "Suspended customer in Austin, TX: DSL 25 and a VoIP line, both suspended.",
  },
  {
    name: "erin",
    how: "email",
    email: "erin@example.com",
    password: DEMO_PASSWORD,
    customer: "Erin Tremblay",
    description: "Canadian customer in Vancouver, BC (GST + PST) of the reseller Harbor Net Partners: Fibre 300 and a VoIP line.",
  },
] as const satisfies readonly DemoLogin[];

/** Freeside `login` arguments for a demo login (as the RPC `login` method and lib/auth/login.ts take them). */
export function demoLoginInput(l: DemoLogin): { email?: string; username?: string; domain?: string; password: string } {
  switch (l.how) {
    case "email":
      return { email: l.email, password: l.password };
    case "username":
      return { username: l.username, domain: l.domain, password: l.password };
    case "phone":
      return { username: l.phonenum, domain: "svc_phone", password: l.pin };
  }
}

export function findDemoLogin(name: DemoLoginName): DemoLogin {
  return DEMO_LOGINS.find((l) => l.name === name)!;
}

/** Reseller (agent) logins for the reseller API; same demo password. */
export const DEMO_AGENT_LOGINS = [
  { agent: "Northwind Direct", username: "northwind", password: DEMO_PASSWORD, signupKey: "northwind-direct" },
  { agent: "Harbor Net Partners", username: "harbornet", password: DEMO_PASSWORD, signupKey: "harbor-net-partners" },
] as const;

/** Prepaid card PINs the seed creates (usable at signup). */
export const DEMO_PREPAID_PINS = [
  { identifier: "NWB-DEMO-2500", amountCents: 2500 },
  { identifier: "NWB-DEMO-5000", amountCents: 5000 },
  { identifier: "NWB-DEMO-1000", amountCents: 1000 },
] as const;

/** The demo logins as lines for a terminal. */
export function formatDemoLogins(): string[] {
  const lines = [`Demo logins (password ${DEMO_PASSWORD}, phone PIN ${DEMO_PIN}):`];
  for (const l of DEMO_LOGINS as readonly DemoLogin[]) {
    let how: string;
    if (l.how === "email") how = `e-mail ${l.email} + password ${l.password}`;
    else if (l.how === "username") how = `username ${l.username}, domain ${l.domain} + password ${l.password}`;
    else how = `phone ${l.phonenum} + PIN ${l.pin}`;
    lines.push(`  ${l.name.padEnd(6)} ${how}`);
    lines.push(`         ${l.customer}: ${l.description}`);
  }
  lines.push(`Reseller logins: ${DEMO_AGENT_LOGINS.map((a) => `${a.username} (${a.agent})`).join(", ")}, password ${DEMO_PASSWORD}`);
  lines.push(`Prepaid card PINs: ${DEMO_PREPAID_PINS.map((p) => `${p.identifier} ($${(p.amountCents / 100).toFixed(2)})`).join(", ")}`);
  return lines;
}
