// Node flags of the production server process, shared by `npm start` and `npm run bench` (which
// must run the server the way production does).
//
// --max-old-space-size: V8 sizes the old generation from the host's memory (about 4 GB on a
// 24 GB machine) and collects lazily until it nears that, so a busy portal's RSS climbs past
// 400 MB while its live heap after a full GC is 65–90 MB (measured under the benchmark's mixed
// load). A limit sized for the job keeps RSS near 200–250 MB with room for bursts.
// PORTICO_SERVER_HEAP_MB sets it (default 256); 0 leaves V8's default.
//
// --heap-growing-percent: after each full (mark-compact) collection V8 lets the old generation
// grow only a little past what survived (≈40 MB live here) before the next one, so under load a
// server rendering React pages ran a full collection every ≈0.5 s, and those pauses set every
// page's p99 (a request that meets one takes 2–3× its median). Letting the old generation grow
// to 3× the live heap (still capped by the limit above) cuts full collections ≈5× (measured:
// 18 → 3–4 per 12 s of /invoices at one connection; p99 14–17 ms → 11–14 ms) for ≈30–70 MB more
// RSS. PORTICO_SERVER_HEAP_GROWTH_PERCENT sets it (default 200); 0 leaves V8's heuristic.
function wholeNumber(env, name, fallback, unit) {
  const raw = env[name] ?? String(fallback);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of ${unit} (got ${raw})`);
  return n;
}

export function serverNodeFlags(env = process.env) {
  const heapMb = wholeNumber(env, "PORTICO_SERVER_HEAP_MB", 256, "megabytes");
  const growth = wholeNumber(env, "PORTICO_SERVER_HEAP_GROWTH_PERCENT", 200, "percent");
  return [...(heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : []), ...(growth > 0 ? [`--heap-growing-percent=${growth}`] : [])];
}
