import "server-only";
import { backendMethods } from "@/lib/backend/rpc-methods";
import { getEnv } from "@/lib/env";
import { buildRegistry } from "./define-method";
import type { EndpointOptions } from "./http";

/** The back-office API (FS::API), authenticated by the shared secret. */
export const backendRegistry = buildRegistry(backendMethods);

/**
 * null when PORTICO_BACKEND_SECRET is not set, or is refused for being shorter than 32 characters
 * (lib/env.ts says so once in the start output): the endpoints answer 404.
 */
export function backendEndpoint(): EndpointOptions | null {
  const secret = getEnv().backendSecret;
  if (!secret) return null;
  return { registry: backendRegistry, prefixes: ["FS.API."], backendSecret: secret };
}
