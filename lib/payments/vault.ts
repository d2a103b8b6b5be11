import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";

/**
 * The card vault: card and bank account numbers (`cust_payby.payinfo`) are sealed with
 * AES-256-GCM under PORTICO_VAULT_KEY before they touch the database.
 *
 *   sealed = "v1:" + base64url(iv, 12 bytes) + ":" + base64url(tag, 16 bytes) + ":" + base64url(ciphertext)
 *
 * A fresh random IV per seal; the GCM tag makes any change to the stored text (or the wrong key)
 * fail loudly. An optional `context` (e.g. "cust_payby:42") is bound as additional authenticated
 * data, so a sealed value copied onto another customer's row does not open there.
 *
 * The key: 32 bytes, given as 64 hex characters or base64 (standard or url-safe). Nothing here
 * ever logs or echoes a plaintext, a key or a ciphertext.
 */
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const VAULT_NOT_CONFIGURED =
  "Stored payment methods are not available: the card vault key (PORTICO_VAULT_KEY) is not configured.";
export const VAULT_BAD_KEY = "The card vault key (PORTICO_VAULT_KEY) must be 32 bytes, written as 64 hex characters or base64.";
export const VAULT_UNREADABLE = "Stored payment information could not be decrypted (damaged data or a different vault key).";

/** Decodes a key written as 64 hex characters or base64/base64url of 32 bytes. Throws AppError on anything else. */
export function parseVaultKey(raw: string): Buffer {
  const s = raw.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(s)) key = Buffer.from(s, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(s)) key = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (!key || key.length !== 32) throw new AppError("UNAVAILABLE", VAULT_BAD_KEY);
  return key;
}

let cached: { raw: string; key: Buffer } | undefined;

/** The key from the environment (parsed once per value). AppError UNAVAILABLE when missing or malformed. */
export function vaultKeyFromEnv(): Buffer {
  const raw = getEnv().PORTICO_VAULT_KEY;
  if (!raw) throw new AppError("UNAVAILABLE", VAULT_NOT_CONFIGURED);
  if (cached?.raw !== raw) cached = { raw, key: parseVaultKey(raw) };
  return cached.key;
}

/** True when a vault key is configured and well-formed. */
export function isVaultConfigured(): boolean {
  try {
    vaultKeyFromEnv();
    return true;
  } catch {
    return false;
  }
}

export interface VaultOptions {
  /** Bound as additional authenticated data; the same context is needed to open. */
  context?: string;
  /** Defaults to PORTICO_VAULT_KEY. */
  key?: Buffer;
}

/** Encrypts a secret (card or account number) for storage. */
export function sealSecret(plaintext: string, opts: VaultOptions = {}): string {
  const key = opts.key ?? vaultKeyFromEnv();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  if (opts.context) cipher.setAAD(Buffer.from(opts.context, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ct.toString("base64url")].join(":");
}

/** Whether a stored value looks like vault ciphertext (says nothing about whether it opens). */
export function isSealed(value: string): boolean {
  return /^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/.test(value);
}

/** Decrypts a sealed secret. AppError INTERNAL (no detail) if it was changed, or the key or context differ. */
export function openSecret(sealed: string, opts: VaultOptions = {}): string {
  const key = opts.key ?? vaultKeyFromEnv();
  const parts = sealed.split(":");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new AppError("INTERNAL", VAULT_UNREADABLE);
  const iv = Buffer.from(parts[1]!, "base64url");
  const tag = Buffer.from(parts[2]!, "base64url");
  const ct = Buffer.from(parts[3]!, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new AppError("INTERNAL", VAULT_UNREADABLE);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    if (opts.context) decipher.setAAD(Buffer.from(opts.context, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString("utf8");
  } catch {
    // The cause (OpenSSL's "unable to authenticate data") is deliberately dropped: nothing to leak, nothing to add.
    throw new AppError("INTERNAL", VAULT_UNREADABLE);
  }
}

/** The vault context of a stored payment method: bound to its customer. */
export function paybyContext(custnum: number): string {
  return `cust_payby:${custnum}`;
}
