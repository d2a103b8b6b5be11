import type { Endpoint } from "./endpoints";
import type { Measurement } from "./load";

/** Everything measured on one dataset. */
export interface SizeRun {
  label: string;
  customers: number;
  scaleCustomers: number;
  invoices: number;
  endpoints: { id: string; label: string; kind: string; baseline: string | null; list: boolean }[];
  skipped: { id: string; label: string; note: string }[];
  /** By endpoint id, then by connection count. */
  results: Record<string, Record<number, Measurement>>;
  /** Baselines measured again at the end (ratios without a baseline measured in turns use the mean of both). */
  baselinesAgain: Record<string, Record<number, Measurement>>;
  /** By endpoint id: its baseline's req/s measured in turns with it (measureInterleaved), at `connections`. */
  paired?: { connections: number; rps: Record<string, number> };
  /** One password check (ms), timed once before the logins at one connection. */
  hashMs: number;
  /** By login endpoint id: the password check timed in turns with its load at `connections` (bench/run.ts measureLogin). */
  loginHashMs?: { connections: number; ms: Record<string, number> };
  cores: number;
  rss: { start: number; afterRun: number; afterSoak: number | null; soakSeconds: number };
  soak: Measurement | null;
  loadAverage: number[];
  /** Share of the machine's CPU time the hypervisor gave to other guests during this dataset's run (/proc/stat). */
  stealShare?: number | null;
}

export interface Budget {
  budget: string;
  value: string;
  status: "PASS" | "FAIL" | "n/a";
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "—");
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "—");
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : "—");

export function baselineRps(run: SizeRun, id: string, conns: number): number {
  const a = run.results[id]?.[conns]?.rps;
  const b = run.baselinesAgain[id]?.[conns]?.rps;
  if (a === undefined) return NaN;
  return b === undefined ? a : (a + b) / 2;
}

/** One password check's time for a login endpoint's ratio: the one timed in turns with it, when there is one. */
export function hashMsFor(run: SizeRun, id: string, conns: number): number {
  const paired = run.loginHashMs?.connections === conns ? run.loginHashMs.ms[id] : undefined;
  return paired ?? run.hashMs;
}

/** Logins per second the machine could do if it did nothing but check passwords: cores ÷ one check's time. */
export function hashCeiling(run: SizeRun, id: string, conns: number): number {
  return run.cores / (hashMsFor(run, id, conns) / 1000);
}

/** The baseline req/s an endpoint's ratio divides by: the one measured in turns with it, when there is one. */
export function baselineFor(run: SizeRun, ep: { id: string; baseline: string | null }, conns: number): number {
  if (!ep.baseline) return NaN;
  const b = run.paired?.connections === conns ? run.paired.rps[ep.id] : undefined;
  return b ?? baselineRps(run, ep.baseline, conns);
}

/** Each endpoint on the smallest and the largest dataset, measured in turns (bench/run.ts compareScale). */
export interface ScaleComparison {
  connections: number;
  sliceSeconds: number;
  seconds: number;
  rows: { id: string; label: string; list: boolean; small: Measurement; large: Measurement }[];
}

export function ratioOf(run: SizeRun, ep: { id: string; kind: string; baseline: string | null }, conns: number): number {
  const m = run.results[ep.id]?.[conns];
  if (!m) return NaN;
  if (ep.kind === "login") return m.rps / hashCeiling(run, ep.id, conns);
  if (!ep.baseline || ep.kind === "baseline") return 1;
  return m.rps / baselineFor(run, ep, conns);
}

/** The measurement table of one dataset (plain text for the terminal or Markdown). */
export function resultTable(run: SizeRun, connections: number[], markdown: boolean): string[] {
  const head = ["endpoint", ...connections.flatMap((c) => [`req/s @${c}`, `p50 ms @${c}`, `p99 ms @${c}`, `ratio @${c}`])];
  const rows: string[][] = [];
  for (const ep of run.endpoints) {
    const cells = [ep.label];
    for (const c of connections) {
      const m = run.results[ep.id]?.[c];
      const ratio = ratioOf(run, ep, c);
      cells.push(m ? f1(m.rps) : "—", m ? ms(m.p50) : "—", m ? ms(m.p99) : "—", ep.kind === "baseline" ? "1.00" : `${f2(ratio)}${ep.kind === "login" ? "×hash" : ""}`);
    }
    rows.push(cells);
  }
  return formatTable(head, rows, markdown);
}

export function formatTable(head: string[], rows: string[][], markdown: boolean): string[] {
  if (markdown) {
    return [`| ${head.join(" | ")} |`, `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

/** p50 at the largest dataset ÷ p50 at the smallest, at one connection (no queueing in the way). */
export function scaleRows(scale: ScaleComparison): { id: string; label: string; list: boolean; small: number; large: number; ratio: number }[] {
  return scale.rows.map((r) => ({ id: r.id, label: r.label, list: r.list, small: r.small.p50, large: r.large.p50, ratio: r.large.p50 / r.small.p50 }));
}

export function evaluateBudgets(runs: SizeRun[], scale: ScaleComparison | null): Budget[] {
  const out: Budget[] = [];
  const each = (fn: (r: SizeRun) => { ok: boolean; value: string } | null, text: string) => {
    const vals = runs.map((r) => ({ r, v: fn(r) })).filter((x) => x.v !== null) as { r: SizeRun; v: { ok: boolean; value: string } }[];
    if (!vals.length) return out.push({ budget: text, value: "not measured", status: "n/a" });
    out.push({
      budget: text,
      value: vals.map((x) => `${x.v.value}${runs.length > 1 ? ` (${x.r.label})` : ""}`).join("; "),
      status: vals.every((x) => x.v.ok) ? "PASS" : "FAIL",
    });
  };
  const rpsRatio = (id: string, base: string, min: number) => (r: SizeRun) => {
    const m = r.results[id]?.[8];
    if (!m) return null;
    const ratio = m.rps / baselineFor(r, { id, baseline: base }, 8);
    return { ok: ratio >= min, value: `${f2(ratio)}×` };
  };
  each(rpsRatio("account", "trivial-page", 0.6), "/account ≥ 0.6× the trivial page's req/s at 8 connections");
  each(rpsRatio("invoices", "trivial-page", 0.5), "/invoices ≥ 0.5× the trivial page's req/s at 8 connections");
  for (const id of ["account", "invoices"]) {
    each((r) => {
      const m = r.results[id]?.[1];
      // The trivial page's own p99 at one connection, for context (the budget is absolute).
      const base = r.results["trivial-page"]?.[1];
      return m ? { ok: m.p99 <= 15, value: `${ms(m.p99)} ms${base ? ` (trivial page ${ms(base.p99)} ms)` : ""}` } : null;
    }, `/${id} p99 at 1 connection ≤ 15 ms`);
  }
  for (const id of ["xml-customer_info", "json-customer_info"]) {
    each(rpsRatio(id, "trivial-route", 0.5), `RPC customer_info (${id.startsWith("xml") ? "XML-RPC" : "JSON-RPC"}) ≥ 0.5× the trivial route handler's req/s at 8 connections`);
  }
  each((r) => {
    const pdf = r.results["invoice-pdf"]?.[8];
    const html = r.results["invoice"]?.[8];
    if (!pdf || !html) return null;
    const ratio = pdf.rps / html.rps;
    return { ok: ratio >= 0.3, value: `${f2(ratio)}×` };
  }, "invoice PDF ≥ 0.3× the HTML invoice's req/s at 8 connections");
  each((r) => {
    const m = r.results["login"]?.[8];
    if (!m) return null;
    const ceiling = hashCeiling(r, "login", 8);
    const ratio = m.rps / ceiling;
    return { ok: ratio >= 0.8, value: `${f1(m.rps)}/s = ${f2(ratio)}× the ceiling ${f1(ceiling)}/s (${r.cores} cores ÷ ${f1(hashMsFor(r, "login", 8))} ms per hash)` };
  }, "login ≥ 0.8× the password-hash ceiling at 8 connections");
  each((r) => ({ ok: r.rss.afterRun <= 400, value: `${f1(r.rss.afterRun)} MB` }), "server RSS ≤ 400 MB after the run");
  each((r) => {
    if (r.rss.afterSoak === null) return null;
    const growth = r.rss.afterSoak / r.rss.afterRun - 1;
    return { ok: growth <= 0.1, value: `${f1(r.rss.afterRun)} → ${f1(r.rss.afterSoak)} MB (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} %)` };
  }, "server RSS grows ≤ 10% over the soak");
  if (runs.length >= 2) {
    const small = runs[0]!;
    const large = runs[runs.length - 1]!;
    const rows = scale ? scaleRows(scale).filter((r) => r.list) : [];
    if (!rows.length) out.push({ budget: "list pages and RPC lists: p50 at the large dataset ≤ 1.2× p50 at the small one", value: "not measured", status: "n/a" });
    for (const row of rows) {
      out.push({
        budget: `${row.label}: p50 at ${large.label} ≤ 1.2× p50 at ${small.label} (1 connection, in turns)`,
        value: `${ms(row.small)} → ${ms(row.large)} ms = ${f2(row.ratio)}×`,
        status: row.ratio <= 1.2 ? "PASS" : "FAIL",
      });
    }
  }
  return out;
}

export function budgetTable(budgets: Budget[], markdown: boolean): string[] {
  return formatTable(["budget", "measured", ""], budgets.map((b) => [b.budget, b.value, b.status]), markdown);
}

export function describeRun(r: SizeRun): string {
  return `${r.label}: ${r.customers.toLocaleString("en-US")} customers (${r.scaleCustomers.toLocaleString("en-US")} scale-seeded), ${r.invoices.toLocaleString("en-US")} invoices; server RSS ${f1(r.rss.start)} MB at start, ${f1(r.rss.afterRun)} MB after the run${r.rss.afterSoak !== null ? `, ${f1(r.rss.afterSoak)} MB after a ${r.rss.soakSeconds} s soak` : ""}; one password hash ${f1(r.hashMs)} ms; load average ${r.loadAverage.map((x) => x.toFixed(2)).join(" ")}${typeof r.stealShare === "number" ? `; CPU steal ${(r.stealShare * 100).toFixed(1)} % (time the hypervisor gave to other guests)` : ""}`;
}

export function endpointInfo(e: Endpoint) {
  return { id: e.id, label: e.label, kind: e.kind, baseline: e.baseline, list: e.list };
}
