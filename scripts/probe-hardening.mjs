#!/usr/bin/env node
// An outside check of a running Portico (issue 22's "done when"): what an attacker would try, from
// outside, against a server of its own. Run it against a throwaway server — it locks out its own
// address for 15 minutes (that is the point) and leaves failed-login rows in the audit log.
//
//   node scripts/probe-hardening.mjs http://127.0.0.1:3000 [backend-secret-is-set]
//
// Checks: §1 20 concurrent worst-case RPC bodies, then the server still answers; §3 six spellings
// of one phone number are one identity; §5 a lone surrogate is refused in-band; §2 100 concurrent
// wrong passwords for one identity reach the password check at most 5 times; §7 40 wrong
// back-office secrets: 20 answered, the rest 429 (when the back office is on); §6 the headers on
// pages, 404s in any case, route handlers and static files. Prints PASS/FAIL per check; exit 1 on any FAIL.
const base = (process.argv[2] ?? "http://127.0.0.1:3000").replace(/\/$/, "");
const results = [];
const record = (name, ok, detail = "") => {
  results.push({ name, ok });
  console.log(`${ok ? "PASS" : "FAIL"}  ${name}${detail ? ` — ${detail}` : ""}`);
};

async function rpc(path, body, headers = {}) {
  try {
    const r = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    return { status: r.status, text: await r.text(), headers: r.headers };
  } catch (e) {
    return { status: 0, text: String(e), headers: new Headers() };
  }
}
const login = (params) => rpc("/api/selfservice/jsonrpc", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "login", params }));
const alive = async () => (await fetch(`${base}/api/health`).then((r) => r.status).catch(() => 0)) === 200;

// §1 — bodies within the 1 MB cap that used to take the process down.
{
  const room = 1_000_000 - 200;
  const nested = `{"jsonrpc":"2.0","id":1,"method":"login","params":{"email":"probe@example.com","password":"x","pad":${"[".repeat(room / 2)}${"]".repeat(room / 2)}}}`;
  const flat = `{"jsonrpc":"2.0","id":1,"method":"login","params":{"email":"probe@example.com","password":"x","pad":"${"x".repeat(room - 100)}"}}`;
  const xml = `<?xml version="1.0"?><methodCall><methodName>login</methodName><params><param><value><struct><member><name>pad</name>${"<value><array><data>".repeat(room / 45)}${"</data></array></value>".repeat(room / 45)}</member></struct></value></param></params></methodCall>`;
  const statuses = await Promise.all([
    ...Array.from({ length: 20 }, () => rpc("/api/selfservice/jsonrpc", nested)),
    ...Array.from({ length: 20 }, () => rpc("/api/selfservice/jsonrpc", flat)),
    ...Array.from({ length: 20 }, () => rpc("/api/selfservice/xmlrpc", xml, { "content-type": "text/xml" })),
  ]).then((rs) => rs.map((r) => r.status));
  const ok = (await alive()) && statuses.every((s) => s === 200 || s === 429 || s === 503);
  record("§1 60 concurrent worst-case bodies, the server still answers", ok, `answers: ${[...new Set(statuses)].join(", ")}`);
}

// §3 — six spellings of one (made-up) phone line share one throttle key.
{
  const spellings = ["212-555-0199", "(212)5550199", "2125550199x", "+1 212 555 0199", "1-212-555-0199", "212.555.0199"];
  const answers = [];
  for (const phone of spellings) answers.push((await login({ username: phone, domain: "svc_phone", password: "0000" })).status);
  record("§3 six spellings of one phone number are one identity", answers.slice(0, 5).every((s) => s === 200) && answers[5] === 429, `statuses ${answers.join(" ")}`);
}

// §5 — a lone surrogate.
{
  const r = await rpc("/api/selfservice/jsonrpc", '{"jsonrpc":"2.0","id":1,"method":"login","params":{"email":"a\\ud800@example.com","password":"x"}}');
  record("§5 a lone surrogate is refused in-band", r.status === 200 && /not valid Unicode/.test(r.text) && !/Internal error/.test(r.text), r.text.slice(0, 120));
}

// §2 — 100 concurrent wrong passwords for one identity.
{
  const email = `race-${Date.now()}@example.com`;
  const rs = await Promise.all(Array.from({ length: 100 }, () => login({ email, password: "wrong-password" })));
  const checked = rs.filter((r) => r.status === 200 && r.text.includes("Incorrect login or password")).length;
  const refused = rs.filter((r) => r.status === 429 || r.status === 503).length;
  record("§2 100 concurrent wrong passwords: at most 5 reach the password check", checked <= 5 && checked + refused === 100, `${checked} checked, ${refused} refused`);
}

// §7 — wrong back-office secrets.
{
  const probe = await rpc("/api/backend/jsonrpc", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "customer_info", params: { secret: "x", custnum: 1 } }));
  if (probe.status === 404) record("§7 back office is off (no PORTICO_BACKEND_SECRET): nothing to guess", true);
  else {
    const statuses = [probe.status];
    for (let i = 1; i < 40; i++) statuses.push((await rpc("/api/backend/jsonrpc", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "customer_info", params: { secret: `guess-${i}`, custnum: 1 } }))).status);
    const answered = statuses.filter((s) => s === 200).length;
    record("§7 40 wrong back-office secrets: at most 20 answered, then 429", answered <= 20 && statuses.slice(20).every((s) => s === 429), `${answered} answered`);
  }
}

// §6 — headers everywhere.
{
  const page = await fetch(`${base}/login`);
  const staticSrc = /src="(\/_next\/static\/[^"]+\.js)"/.exec(await page.text())?.[1];
  const paths = ["/login", "/account", "/EMBED/x", "/Embed", "/nonexistent", "/api/health", "/api/selfservice/jsonrpc", ...(staticSrc ? [staticSrc] : [])];
  const problems = [];
  for (const p of paths) {
    const r = await fetch(`${base}${p}`, { redirect: "manual" });
    const csp = r.headers.get("content-security-policy") ?? "";
    if (!/frame-ancestors/.test(csp)) problems.push(`${p}: no frame-ancestors`);
  }
  const csp = page.headers.get("content-security-policy") ?? "";
  if (!/default-src 'self'/.test(csp)) problems.push("/login: no default-src 'self'");
  if (!/script-src[^;]*'nonce-/.test(csp) || !/'strict-dynamic'/.test(csp)) problems.push("/login: script-src without a nonce and 'strict-dynamic'");
  if (/script-src[^;]*'unsafe-inline'/.test(csp) && !/'nonce-/.test(csp)) problems.push("/login: 'unsafe-inline' scripts");
  if (base.startsWith("https://") && !page.headers.get("strict-transport-security")) problems.push("no HSTS on https");
  record("§6 CSP on every path, a nonce-based script-src on pages", problems.length === 0, problems.join("; "));
}

const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
