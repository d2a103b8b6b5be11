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
  /** The concurrency curve, when this dataset's run measured it (the largest dataset). */
  curve?: Curve | null;
  loadAverage: number[];
  /** Share of the machine's CPU time the hypervisor gave to other guests during this dataset's run (/proc/stat). */
  stealShare?: number | null;
}

export interface Budget {
  /** Stable column name in history.csv. */
  key: string;
  budget: string;
  value: string;
  /** The figure history.csv keeps (the worst over the datasets), or null when not measured. */
  figure: number | null;
  status: "PASS" | "FAIL" | "n/a";
}

/** The concurrency curve (bench/run.ts measureCurve): each endpoint at each connection count, in turns. */
export interface Curve {
  connections: number[];
  seconds: number;
  sliceSeconds: number;
  rows: { id: string; label: string; points: Record<number, Measurement> }[];
}

/** Two server processes on one database behind bench/lib/balancer.ts against one (bench/run.ts scaleOut). */
export interface ScaleOut {
  cores: number;
  connections: number;
  seconds: number;
  sliceSeconds: number;
  endpoint: string;
  one: Measurement;
  two: Measurement;
  /** Requests the two-backend balancer handed to each process. */
  split: number[];
  /** A login on one process and a page (or RPC call) with its session on the other. */
  crossChecks: { name: string; ok: boolean; note: string }[];
}

/** The connection counts of the curve; throughput is judged at those from JUDGED_FROM up. */
export const CURVE_CONNECTIONS = [1, 8, 32, 128, 512];
export const CURVE_JUDGED_FROM = 128;
export const CURVE_THROUGHPUT_MIN = 0.9;
export const CURVE_SLOWEST_MAX = 5;
export const CURVE_REFUSED_P99_MS = 50;
export const PEAK_RSS_MIB = 400;
export const SCALE_OUT_MIN = 1.6;
export const SCALE_OUT_MIN_CORES = 4;
/** Every portal page and RPC method ≥ this × its baseline at 8 connections, unless RATIO_EXCEPTIONS says otherwise. */
export const PAGE_RATIO_MIN = 0.6;
/** Endpoints with their own budget (or none) instead of PAGE_RATIO_MIN. */
const RATIO_EXCEPTIONS = new Set(["invoice-pdf"]);
/** The budgeted pages and RPC methods (listed even when a run did not measure them); any other page or method a run measures joins them. */
export const RATIO_BUDGETED = ["account", "invoices", "invoice", "billing-history", "payment-methods", "xml-customer_info", "json-customer_info", "xml-list_invoices", "json-list_invoices"];
export const ONE_CONNECTION_P99_IDS = ["account", "invoices"];
export const ONE_CONNECTION_P99_MAX = 2;

/**
 * Throughput along the curve: at each connection count from `judgedFrom` up, good answers per
 * second ÷ the best figure at any lower count. The worst of those ratios is the figure.
 */
export function curveThroughput(points: Record<number, { rps: number }>, judgedFrom = CURVE_JUDGED_FROM): { ratio: number; at: number; best: number; bestAt: number } | null {
  const counts = Object.keys(points).map(Number).sort((a, b) => a - b);
  let worst: { ratio: number; at: number; best: number; bestAt: number } | null = null;
  for (const c of counts.filter((n) => n >= judgedFrom)) {
    const lower = counts.filter((n) => n < c);
    if (!lower.length) continue;
    const bestAt = lower.reduce((a, b) => (points[b]!.rps > points[a]!.rps ? b : a));
    const best = points[bestAt]!.rps;
    const ratio = best > 0 ? points[c]!.rps / best : NaN;
    if (!worst || !(ratio >= worst.ratio)) worst = { ratio, at: c, best, bestAt };
  }
  return worst;
}

/**
 * The slowest served (2xx) request anywhere on the curve ÷ the p99 at `reference` connections;
 * timeouts and connection errors are counted beside it (a request that never got an answer is
 * slower than any bound).
 */
export function curveSlowest(points: Record<number, Pick<Measurement, "max" | "p99" | "errors">>, reference = 8): { ratio: number; slowest: number; at: number; p99: number; errors: number } | null {
  const ref = points[reference];
  if (!ref) return null;
  let slowest = 0;
  let at = reference;
  let errors = 0;
  for (const [c, m] of Object.entries(points)) {
    errors += m.errors;
    if (m.max > slowest) {
      slowest = m.max;
      at = Number(c);
    }
  }
  return { ratio: slowest / ref.p99, slowest, at, p99: ref.p99, errors };
}

/** The refused (503) answers on the curve: how many, and the worst p99 of their latency at any connection count. */
export function curveRefused(points: Record<number, Pick<Measurement, "refused" | "refusedP99">>): { refused: number; p99: number; at: number | null } {
  let refused = 0;
  let p99 = 0;
  let at: number | null = null;
  for (const [c, m] of Object.entries(points)) {
    refused += m.refused;
    if (m.refused > 0 && m.refusedP99 > p99) {
      p99 = m.refusedP99;
      at = Number(c);
    }
  }
  return { refused, p99, at };
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

export function evaluateBudgets(runs: SizeRun[], scale: ScaleComparison | null, extra: { peaks?: { label: string; mib: number }[]; scaleOut?: ScaleOut | null } = {}): Budget[] {
  const out: Budget[] = [];
  type Check = { ok: boolean; value: string; figure: number };
  /** One budget over every dataset that measured it; the figure kept is the worst one. */
  const each = (key: string, text: string, worse: "min" | "max", fn: (r: SizeRun) => Check | null) => {
    const vals = runs.map((r) => ({ r, v: fn(r) })).filter((x) => x.v !== null) as { r: SizeRun; v: Check }[];
    if (!vals.length) return out.push({ key, budget: text, value: "not measured", figure: null, status: "n/a" });
    const figures = vals.map((x) => x.v.figure).filter((n) => !Number.isNaN(n));
    out.push({
      key,
      budget: text,
      value: vals.map((x) => `${x.v.value}${vals.length > 1 ? ` (${x.r.label})` : ""}`).join("; "),
      figure: figures.length ? (worse === "min" ? Math.min(...figures) : Math.max(...figures)) : null,
      status: vals.every((x) => x.v.ok) ? "PASS" : "FAIL",
    });
  };
  const rpsRatio = (id: string, base: string, min: number) => (r: SizeRun) => {
    const m = r.results[id]?.[8];
    if (!m) return null;
    const ratio = m.rps / baselineFor(r, { id, baseline: base }, 8);
    return { ok: ratio >= min, value: `${f2(ratio)}×`, figure: ratio };
  };
  const labelOf = (id: string) => runs.flatMap((r) => r.endpoints).find((e) => e.id === id)?.label ?? id;
  const baselineOf = (id: string) => runs.flatMap((r) => r.endpoints).find((e) => e.id === id)?.baseline ?? (/^(xml|json)-/.test(id) ? "trivial-route" : "trivial-page");

  // Every page and RPC method against its baseline, at 8 connections, in turns.
  const measuredOthers = runs.flatMap((r) => r.endpoints).filter((e) => (e.kind === "page" || e.kind === "rpc") && !RATIO_EXCEPTIONS.has(e.id) && !RATIO_BUDGETED.includes(e.id));
  for (const id of [...RATIO_BUDGETED, ...new Set(measuredOthers.map((e) => e.id))]) {
    const base = baselineOf(id);
    each(`ratio_${id}`, `${labelOf(id)} ≥ ${PAGE_RATIO_MIN}× the ${base === "trivial-route" ? "trivial route handler" : "trivial page"}'s req/s at 8 connections`, "min", rpsRatio(id, base, PAGE_RATIO_MIN));
  }
  each("ratio_invoice-pdf", "invoice PDF ≥ 0.3× the HTML invoice's req/s at 8 connections", "min", (r) => {
    const pdf = r.results["invoice-pdf"]?.[8];
    const html = r.results["invoice"]?.[8];
    if (!pdf || !html) return null;
    const ratio = pdf.rps / html.rps;
    return { ok: ratio >= 0.3, value: `${f2(ratio)}×`, figure: ratio };
  });
  // The one-connection tail, against the trivial page's in the same run (the mean of its two measurements).
  for (const id of ONE_CONNECTION_P99_IDS) {
    each(`p99_1conn_${id}`, `/${id} p99 at 1 connection ≤ ${ONE_CONNECTION_P99_MAX}× the trivial page's`, "max", (r) => {
      const m = r.results[id]?.[1];
      const base = trivialP99(r);
      if (!m || !Number.isFinite(base)) return null;
      const ratio = m.p99 / base;
      return { ok: ratio <= ONE_CONNECTION_P99_MAX, value: `${ms(m.p99)} ms = ${f2(ratio)}× (trivial page ${ms(base)} ms)`, figure: ratio };
    });
  }
  each("login_vs_hash", "login ≥ 0.8× the password-hash ceiling at 8 connections", "min", (r) => {
    const m = r.results["login"]?.[8];
    if (!m) return null;
    const ceiling = hashCeiling(r, "login", 8);
    const ratio = m.rps / ceiling;
    return { ok: ratio >= 0.8, value: `${f1(m.rps)}/s = ${f2(ratio)}× the ceiling ${f1(ceiling)}/s (${r.cores} cores ÷ ${f1(hashMsFor(r, "login", 8))} ms per hash)`, figure: ratio };
  });

  // The concurrency curve (measured on the largest dataset).
  const curveIds = [...new Set(runs.flatMap((r) => r.curve?.rows.map((row) => row.id) ?? []))];
  for (const id of curveIds.length ? curveIds : ["trivial-page", "account", "json-customer_info"]) {
    const row = (r: SizeRun) => r.curve?.rows.find((x) => x.id === id) ?? null;
    const label = labelOf(id);
    each(`curve_${id}_throughput`, `${label}: req/s at ${CURVE_JUDGED_FROM}+ connections ≥ ${CURVE_THROUGHPUT_MIN}× the best at fewer`, "min", (r) => {
      const c = row(r) && curveThroughput(row(r)!.points);
      if (!c) return null;
      return { ok: c.ratio >= CURVE_THROUGHPUT_MIN, value: `${f2(c.ratio)}× (${f1(c.best * c.ratio)} req/s @${c.at} ÷ ${f1(c.best)} @${c.bestAt})`, figure: c.ratio };
    });
    each(`curve_${id}_slowest`, `${label}: slowest served request ≤ ${CURVE_SLOWEST_MAX}× the p99 at 8 connections, no timeouts`, "max", (r) => {
      const c = row(r) && curveSlowest(row(r)!.points);
      if (!c) return null;
      return {
        ok: c.ratio <= CURVE_SLOWEST_MAX && c.errors === 0,
        value: `${ms(c.slowest)} ms @${c.at} = ${f2(c.ratio)}× (p99 @8 ${ms(c.p99)} ms)${c.errors ? `; ${c.errors} timeouts or connection errors` : ""}`,
        figure: c.errors ? Infinity : c.ratio,
      };
    });
    each(`curve_${id}_refused_p99_ms`, `${label}: refused requests (503 busy) answered within ${CURVE_REFUSED_P99_MS} ms (p99)`, "max", (r) => {
      if (!row(r)) return null;
      const c = curveRefused(row(r)!.points);
      if (!c.refused) return { ok: true, value: "none refused", figure: 0 };
      return { ok: c.p99 <= CURVE_REFUSED_P99_MS, value: `${c.refused.toLocaleString("en-US")} refused, p99 ${ms(c.p99)} ms (worst @${c.at})`, figure: c.p99 };
    });
  }

  // Memory: every server process's peak RSS (VmHWM) over its life.
  const peaks = extra.peaks ?? [];
  if (!peaks.length) out.push({ key: "peak_rss_mib", budget: `server peak RSS (VmHWM) ≤ ${PEAK_RSS_MIB} MB through the benchmark`, value: "not measured", figure: null, status: "n/a" });
  else {
    const top = peaks.reduce((a, b) => (b.mib > a.mib ? b : a));
    out.push({
      key: "peak_rss_mib",
      budget: `server peak RSS (VmHWM) ≤ ${PEAK_RSS_MIB} MB through the benchmark`,
      value: `${f1(top.mib)} MB (${top.label}; ${peaks.length} server process${peaks.length > 1 ? "es" : ""})`,
      figure: top.mib,
      status: top.mib <= PEAK_RSS_MIB ? "PASS" : "FAIL",
    });
  }
  each("rss_soak_growth", "server RSS grows ≤ 10% over the soak", "max", (r) => {
    if (r.rss.afterSoak === null) return null;
    const growth = r.rss.afterSoak / r.rss.afterRun - 1;
    return { ok: growth <= 0.1, value: `${f1(r.rss.afterRun)} → ${f1(r.rss.afterSoak)} MB (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} %)`, figure: growth };
  });

  if (runs.length >= 2) {
    const small = runs[0]!;
    const large = runs[runs.length - 1]!;
    const rows = scale ? scaleRows(scale).filter((r) => r.list) : [];
    if (!rows.length) out.push({ key: "scale", budget: "list pages and RPC lists: p50 at the large dataset ≤ 1.2× p50 at the small one", value: "not measured", figure: null, status: "n/a" });
    for (const row of rows) {
      out.push({
        key: `scale_${row.id}`,
        budget: `${row.label}: p50 at ${large.label} ≤ 1.2× p50 at ${small.label} (1 connection, in turns)`,
        value: `${ms(row.small)} → ${ms(row.large)} ms = ${f2(row.ratio)}×`,
        figure: row.ratio,
        status: row.ratio <= 1.2 ? "PASS" : "FAIL",
      });
    }
  }

  if (extra.scaleOut) out.push(...scaleOutBudgets(extra.scaleOut));
  return out;
}

/** The scale-out budgets: two processes ≥ 1.6× one where the machine has the cores; sessions work across them. */
export function scaleOutBudgets(s: ScaleOut): Budget[] {
  const ratio = s.two.rps / s.one.rps;
  const judged = s.cores >= SCALE_OUT_MIN_CORES;
  const value = `${f1(s.two.rps)} ÷ ${f1(s.one.rps)} req/s = ${f2(ratio)}× on ${s.cores} cores (split ${s.split.join("/")})${judged ? "" : ` — not judged (${s.cores} cores)`}`;
  const failed = s.crossChecks.filter((c) => !c.ok);
  return [
    {
      key: "scale_out_ratio",
      budget: `scale out: two processes ≥ ${SCALE_OUT_MIN}× one on ${s.endpoint} at ${s.connections} connections (judged on ${SCALE_OUT_MIN_CORES}+ cores)`,
      value,
      figure: ratio,
      status: !judged ? "n/a" : ratio >= SCALE_OUT_MIN ? "PASS" : "FAIL",
    },
    {
      key: "scale_out_sessions",
      budget: "scale out: a login on one process, its session used on the other",
      value: failed.length ? failed.map((c) => `${c.name}: ${c.note}`).join("; ") : `${s.crossChecks.length} checks OK`,
      figure: s.crossChecks.length - failed.length,
      status: failed.length ? "FAIL" : "PASS",
    },
  ];
}

/** The trivial page's p99 at one connection: the mean of its measurement and its measurement again at the end. */
export function trivialP99(run: SizeRun): number {
  const vals = [run.results["trivial-page"]?.[1]?.p99, run.baselinesAgain["trivial-page"]?.[1]?.p99].filter((n): n is number => typeof n === "number" && Number.isFinite(n));
  return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : NaN;
}

/** CSV field: quoted when it holds a comma, a quote or a line break. */
export function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). */
export function csvSplit(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** history.csv's row of one run: when, where, and each budget's figure (blank when not measured). */
export function historyRow(meta: { date: string; commit: string; cores: number; cpu: string; datasets: string; failed: number }, budgets: Budget[]): Record<string, string> {
  const row: Record<string, string> = {
    date: meta.date,
    commit: meta.commit,
    cores: String(meta.cores),
    cpu: meta.cpu,
    datasets: meta.datasets,
    failed: String(meta.failed),
  };
  for (const b of budgets) row[b.key] = b.figure === null ? "" : Number.isFinite(b.figure) ? String(Math.round(b.figure * 1000) / 1000) : "inf";
  return row;
}

/**
 * history.csv with one more row. Columns keep their place; a budget new to this run adds its
 * column at the end (the header is rewritten, older rows leave it blank).
 */
export function appendHistory(existing: string | null, row: Record<string, string>): string {
  const lines = (existing ?? "").split("\n").filter((l) => l.trim() !== "");
  const header = lines.length ? csvSplit(lines[0]!) : [];
  for (const k of Object.keys(row)) if (!header.includes(k)) header.push(k);
  const body = lines.slice(1);
  body.push(header.map((k) => csvField(row[k] ?? "")).join(","));
  return `${[header.map(csvField).join(","), ...body].join("\n")}\n`;
}

/** The curve as a table: one row per endpoint and connection count. */
export function curveTable(curve: Curve, markdown: boolean): string[] {
  const rows: string[][] = [];
  for (const row of curve.rows) {
    for (const c of curve.connections) {
      const m = row.points[c];
      if (!m) continue;
      rows.push([
        row.label,
        String(c),
        f1(m.rps),
        ms(m.p50),
        ms(m.p99),
        ms(m.max),
        m.refused.toLocaleString("en-US"),
        m.refused ? ms(m.refusedP99) : "—",
        String(m.bad),
        f2(m.clientCores ?? NaN),
        ms(m.clientLagP99 ?? NaN),
      ]);
    }
  }
  return formatTable(["endpoint", "connections", "good req/s", "p50 ms", "p99 ms", "slowest ms", "refused (503)", "refused p99 ms", "errors", "client cores", "client lag p99 ms"], rows, markdown);
}

export function budgetTable(budgets: Budget[], markdown: boolean): string[] {
  if (!markdown) return budgets.map((b) => `${b.status.padEnd(4)}  ${b.budget}: ${b.value}`);
  return formatTable(["budget", "measured", ""], budgets.map((b) => [b.budget, b.value, b.status]), markdown);
}

export function describeRun(r: SizeRun): string {
  return `${r.label}: ${r.customers.toLocaleString("en-US")} customers (${r.scaleCustomers.toLocaleString("en-US")} scale-seeded), ${r.invoices.toLocaleString("en-US")} invoices; server RSS ${f1(r.rss.start)} MB at start, ${f1(r.rss.afterRun)} MB after the run${r.rss.afterSoak !== null ? `, ${f1(r.rss.afterSoak)} MB after a ${r.rss.soakSeconds} s soak` : ""}; one password hash ${f1(r.hashMs)} ms; load average ${r.loadAverage.map((x) => x.toFixed(2)).join(" ")}${typeof r.stealShare === "number" ? `; CPU steal ${(r.stealShare * 100).toFixed(1)} % (time the hypervisor gave to other guests)` : ""}`;
}

export function endpointInfo(e: Endpoint) {
  return { id: e.id, label: e.label, kind: e.kind, baseline: e.baseline, list: e.list };
}
