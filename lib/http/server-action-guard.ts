import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Refuses a server action request that Next.js would refuse anyway, before Next sees it, with a
 * 4xx and one log line instead of Next's 500 and stack trace (issue 22 §12). proxy.ts calls it.
 *
 * - Origin not the request's host (Next compares the Origin header's host with the first
 *   X-Forwarded-Host, else Host; Portico sets no `serverActions.allowedOrigins`): 403. Next itself
 *   would answer 500 to a fetch action, and log an error.
 * - An action id the build does not have (`Next-Action` header): the status and marker header
 *   Next gives (409, or 400 for a malformed id, with `x-nextjs-action-not-found: 1` so the client
 *   router raises UnrecognizedActionError), without Next's stack trace in the log.
 *
 * Anything else (a GET, a POST that cannot be an action, an action from the page's own origin
 * with a known id) passes untouched. The session check stays in each action (customerAction).
 */

export interface ActionRefusal {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** One line for the log: what was refused and why (untrusted values cut short). */
  log: string;
}

export interface ActionRequest {
  method: string;
  pathname: string;
  headers: Headers;
}

const SERVER_REFERENCE_ID_LENGTH = 42; // next/dist/shared/lib/server-reference-info.js

function short(value: string, max = 80): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** The host Next's action handler compares the Origin with: the first X-Forwarded-Host, else Host. */
export function actionHost(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-host");
  if (forwarded) return forwarded.split(",")[0]!.trim();
  return headers.get("host");
}

/** Whether Next would treat the request as a server action (a fetch action or a multipart form post). */
export function isPossibleServerAction(req: ActionRequest): boolean {
  if (req.method !== "POST") return false;
  if (req.headers.has("next-action")) return true;
  return (req.headers.get("content-type") ?? "").startsWith("multipart/form-data");
}

/**
 * The refusal for a server action request, or null to let it through. `knownActionIds` is the
 * build's list (loadServerActionIds); null skips the id check (dev server, no manifest).
 */
export function serverActionRefusal(req: ActionRequest, knownActionIds: ReadonlySet<string> | null): ActionRefusal | null {
  if (!isPossibleServerAction(req)) return null;
  const where = `POST ${short(req.pathname)}`;
  const origin = req.headers.get("origin");
  if (origin !== null) {
    let originHost: string | null;
    if (origin === "null") originHost = "null";
    else {
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = null;
      }
    }
    const host = actionHost(req.headers);
    if (!originHost || !host || originHost !== host) {
      return {
        status: 403,
        body: "Forbidden: this form was not sent from this site.",
        headers: { "content-type": "text/plain; charset=utf-8" },
        log: `[security] server action refused (403): Origin "${short(origin)}" is not this site ("${short(host ?? "")}"); ${where}`,
      };
    }
  }
  const actionId = req.headers.get("next-action");
  if (actionId !== null && knownActionIds && !knownActionIds.has(actionId)) {
    const status = actionId.length === SERVER_REFERENCE_ID_LENGTH ? 409 : 400;
    return {
      status,
      body: status === 400 ? "Invalid Server Action request." : "Server Action unavailable.",
      headers: { "content-type": "text/plain", "x-nextjs-action-not-found": "1" },
      log: `[security] server action refused (${status}): unknown action id "${short(actionId, 64)}"; ${where}`,
    };
  }
  return null;
}

/** The server action ids of a build, from `<distDir>/server/server-reference-manifest.json`; null when it cannot be read. */
export function readServerActionIds(distDir: string): Set<string> | null {
  try {
    const manifest = JSON.parse(readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8")) as {
      node?: Record<string, unknown>;
      edge?: Record<string, unknown>;
    };
    if (!manifest || typeof manifest !== "object" || !manifest.node) return null;
    return new Set([...Object.keys(manifest.node), ...Object.keys(manifest.edge ?? {})]);
  } catch {
    return null;
  }
}

let cachedIds: Set<string> | null | undefined;

/**
 * The running build's action ids, read once (`next start` serves one build; its cwd is the
 * project). Not under `next dev`, whose ids change as files are edited.
 */
export function loadServerActionIds(): ReadonlySet<string> | null {
  if (process.env.NODE_ENV !== "production") return null;
  if (cachedIds === undefined) cachedIds = readServerActionIds(path.join(process.cwd(), ".next"));
  return cachedIds;
}
