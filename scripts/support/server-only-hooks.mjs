// Resolve hooks for running Portico's server code under plain Node (tests, seed, billing run).
// `server-only` throws outside Next's react-server bundle on purpose; in these Node processes the
// code is server-side by definition, so it resolves to an empty module.
const EMPTY = "data:text/javascript,export%20%7B%7D%3B";

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") return { url: EMPTY, shortCircuit: true };
  return nextResolve(specifier, context);
}
