// Reproduces, in plain Node.js (no Next.js, no Portico), the three ways a per-request object
// graph outlives every young-generation collection (scavenge) and is promoted to the old
// generation, where only a full collection (mark-compact) frees it. bench/README.md, "What a
// scavenge cannot free", explains why this sets the one-connection p99 of every page Next.js
// serves; bench/gc-repro/README.md is the report for Next.js built on it.
//
//   node bench/gc-repro/promotion.mjs            # every case, 20,000 "requests" each
//   node bench/gc-repro/promotion.mjs weakmap 50000
//
// Each case runs the same loop: a "request" allocates a ≈16 KB graph, something keeps a handle
// on it while the request runs, the request ends and nothing reachable from the program refers
// to it any more. It prints how many scavenges and mark-compacts ran and how long they took
// (from perf_hooks' "gc" entries), per case. A graph nothing retains is freed by the next
// scavenge for next to nothing; one the scavenger has to treat as live is copied, promoted, and
// leaves a mark-compact to clean up.
import { AsyncLocalStorage } from "node:async_hooks";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PerformanceObserver, constants } from "node:perf_hooks";

const REQUEST_GRAPH_OBJECTS = 500; // ≈16 KB of small objects per request

function requestGraph() {
  const objects = new Array(REQUEST_GRAPH_OBJECTS);
  for (let i = 0; i < REQUEST_GRAPH_OBJECTS; i++) objects[i] = { i, label: `row ${i}`, next: null };
  return objects;
}

const moduleLevelCache = new WeakMap(); // lives as long as the process, like a bundle's module state
const storage = new AsyncLocalStorage();

/** Each case handles one request; what it leaves behind must be unreachable when it returns. */
const CASES = {
  /** Baseline: the graph is only on the stack. */
  plain() {
    const graph = requestGraph();
    return graph.length;
  },
  /** A module-level WeakMap keyed by a per-request object (Next's CachedParams, cacheScopedToWorkStore). */
  weakmap() {
    const request = {};
    moduleLevelCache.set(request, requestGraph());
    return moduleLevelCache.get(request).length;
  },
  /** The same, with the entry deleted when the request ends: what a fix looks like. */
  "weakmap-deleted"() {
    const request = {};
    moduleLevelCache.set(request, requestGraph());
    const n = moduleLevelCache.get(request).length;
    moduleLevelCache.delete(request);
    return n;
  },
  /** A closure reached from an accessor defined on a per-request object. */
  accessor() {
    const graph = requestGraph();
    const request = {};
    Object.defineProperty(request, "graph", { get: () => graph, configurable: true });
    return request.graph.length;
  },
  /** A function bound to the current async context (Node 20's AsyncResource.bind defines an accessor on it). */
  "als-bind"() {
    return storage.run({ id: 1 }, () => {
      const graph = requestGraph();
      const bound = AsyncLocalStorage.bind(() => graph.length);
      return bound();
    });
  },
};

async function measure(name, requests) {
  const run = CASES[name];
  const entries = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  let checksum = 0;
  const started = performance.now();
  for (let i = 0; i < requests; i++) checksum += run();
  const elapsed = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries arrive asynchronously
  observer.disconnect();
  const kind = (k) => entries.filter((e) => (e.detail?.kind ?? e.kind) === k);
  const minor = kind(constants.NODE_PERFORMANCE_GC_MINOR);
  const major = kind(constants.NODE_PERFORMANCE_GC_MAJOR);
  const total = (list) => list.reduce((sum, e) => sum + e.duration, 0);
  const max = (list) => list.reduce((m, e) => Math.max(m, e.duration), 0);
  if (checksum !== requests * REQUEST_GRAPH_OBJECTS) throw new Error("the loop did not run as written");
  return { name, requests, elapsed, minor: minor.length, minorMs: total(minor), minorMax: max(minor), major: major.length, majorMs: total(major) };
}

const [only, count] = process.argv.slice(2);
if (only && !(only in CASES)) {
  console.error(`unknown case "${only}"; one of: ${Object.keys(CASES).join(", ")}`);
  process.exit(2);
}
const requests = count ? Number(count) : 20_000;
if (!Number.isInteger(requests) || requests < 1) {
  console.error(`the request count must be a positive whole number (got ${count})`);
  process.exit(2);
}

function row(r) {
  const mean = r.minor ? r.minorMs / r.minor : 0;
  return [
    r.name.padEnd(16),
    String(r.minor).padStart(10),
    r.minorMs.toFixed(1).padStart(9),
    mean.toFixed(2).padStart(8),
    r.minorMax.toFixed(1).padStart(7),
    String(r.major).padStart(14),
    r.majorMs.toFixed(1).padStart(9),
    r.elapsed.toFixed(0).padStart(9),
  ].join(" ");
}

if (process.env.GC_REPRO_CHILD) {
  console.log(row(await measure(only, requests)));
} else {
  console.log(`node ${process.version}, V8 ${process.versions.v8}; ${requests} requests of ≈16 KB each per case, each case in a fresh process`);
  console.log("case              scavenges  total ms  mean ms  max ms  mark-compacts  total ms   loop ms");
  // A fresh process per case: what one case leaves in the old generation must not count for the next.
  for (const name of only ? [only] : Object.keys(CASES)) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name, String(requests)], {
      env: { ...process.env, GC_REPRO_CHILD: "1" },
      encoding: "utf8",
    });
    process.stdout.write(out);
  }
}
