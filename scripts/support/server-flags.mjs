// Node flags of the production server process, shared by `npm start` and `npm run bench` (which
// must run the server the way production does).
//
// --max-old-space-size: V8 sizes the old generation from the host's memory (about 4 GB on a
// 24 GB machine) and collects lazily until it nears that, so a busy portal's RSS climbs past
// 400 MB while its live heap after a full GC is 65–90 MB (measured under the benchmark's mixed
// load). A limit sized for the job keeps RSS near 200–250 MB with room for bursts.
// PORTICO_SERVER_HEAP_MB sets it (default 256); 0 leaves V8's default.
export function serverNodeFlags(env = process.env) {
  const raw = env.PORTICO_SERVER_HEAP_MB ?? "256";
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 0) throw new Error(`PORTICO_SERVER_HEAP_MB must be a whole number of megabytes (got ${raw})`);
  return mb > 0 ? [`--max-old-space-size=${mb}`] : [];
}
