import "server-only";
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { getScryptSettings } from "@/lib/env";

/**
 * Password and PIN hashing with scrypt (memory-hard, in Node's own crypto — no native addon,
 * nothing downloaded at install). Stored as a self-describing string so the cost can change
 * without invalidating old hashes:  $scrypt$ln=14,r=8,p=5$<salt b64>$<hash b64>
 *
 * The cost is OWASP's scrypt minimum in its N=2^14, r=8, p=5 form (16 MiB, five passes), rather
 * than N=2^17, p=1 (128 MiB) or the N=2^15, p=1 (32 MiB, 2.5× less work) Portico used before
 * 2026-12-02. Measured on this project's 2-core machines (AMD EPYC): 2^15/p=1 took 166 ms and ran
 * only 0.83–0.89× as many checks per second two or four at a time as two cores should (its
 * 32 MiB spills out of the shared cache, so concurrent checks wait on memory); 2^14/p=5 takes the
 * same 165 ms for 2.5× the work and scales to 1.0× on both cores. Logins that meet an older cost
 * are re-hashed at the current one (`passwordNeedsRehash`).
 * The cost comes from the validated environment (`getScryptSettings` in lib/env.ts:
 * PORTICO_SCRYPT_LOG_N, PORTICO_SCRYPT_R, PORTICO_SCRYPT_P), which refuses anything below
 * N = 2^14, r = 8, p = 1 unless a test run sets PORTICO_TEST_WEAK_HASH=1.
 */
export interface ScryptCost {
  logN: number;
  p: number;
  /** Block size; 8 unless given. */
  r?: number;
}

/** The cost new hashes are made at (validated, read once). */
export function currentScryptCost(): Required<ScryptCost> {
  const { logN, r, p } = getScryptSettings();
  return { logN, r, p };
}
const KEY_LEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize("NFKC"), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function memoryFor(logN: number, r: number, p: number): number {
  return 128 * r * (2 ** logN + p + 2) + 1024 * 1024;
}

export async function hashPassword(password: string, cost: ScryptCost = currentScryptCost()): Promise<string> {
  const salt = randomBytes(16);
  const { logN, p } = cost;
  const r = cost.r ?? 8;
  const key = await scrypt(password, salt, KEY_LEN, { N: 2 ** logN, r, p, maxmem: memoryFor(logN, r, p) });
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** Was this stored hash made at a cost other than the current one? (Re-hash it after a good login.) */
export function passwordNeedsRehash(stored: string, cost: ScryptCost = currentScryptCost()): boolean {
  const m = FORMAT.exec(stored);
  if (!m) return false;
  return Number(m[1]) !== cost.logN || Number(m[2]) !== (cost.r ?? 8) || Number(m[3]) !== cost.p;
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const m = stored ? FORMAT.exec(stored) : null;
  if (!m) {
    // Spend the same time as a real check, so a missing hash can't be told apart by timing.
    await hashPassword(password);
    return false;
  }
  const [, ln, r, p, saltB64, keyB64] = m as unknown as [string, string, string, string, string, string];
  const logN = Number(ln);
  const expected = Buffer.from(keyB64, "base64");
  const key = await scrypt(password, Buffer.from(saltB64, "base64"), expected.length, {
    N: 2 ** logN,
    r: Number(r),
    p: Number(p),
    maxmem: memoryFor(logN, Number(r), Number(p)),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random secret: compared against when the account does not exist (equal timing). */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return decoyHash;
}
