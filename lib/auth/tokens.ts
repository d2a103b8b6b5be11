import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** An opaque session token: 256 random bits, hex. Only its SHA-256 is ever stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString("hex");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function isWellFormedToken(token: unknown): token is string {
  return typeof token === "string" && /^[0-9a-f]{64}$/.test(token);
}
