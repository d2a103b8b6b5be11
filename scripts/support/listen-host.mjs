// Where scripts/server.mjs listens: HOST when set; otherwise every interface for a real database
// (DATABASE_URL) and localhost only for the embedded PGlite demo, whose logins are published and
// which is not meant to be reachable from other machines (issue 22 §4).

/**
 * @param {Record<string, string | undefined>} env
 * @returns {string | undefined} an address, or undefined for every interface
 */
export function listenHost(env) {
  if (env.HOST) return env.HOST;
  return env.DATABASE_URL ? undefined : "127.0.0.1";
}
