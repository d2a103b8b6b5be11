/** Runs once when the server starts (Node.js runtime only): see instrumentation-node.ts. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./instrumentation-node");
  }
}

/**
 * Every error a page, action or route handler throws passes here: one that says the database
 * cannot be reached sets the availability flag, so the server (scripts/server.mjs) answers the
 * next requests at once with "temporarily unavailable" until the database is back.
 */
export async function onRequestError(error: unknown) {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { noteDatabaseFailure } = await import("./lib/db/availability");
  noteDatabaseFailure(error);
}
