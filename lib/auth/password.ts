import "server-only";
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password and PIN hashing with scrypt (memory-hard, in Node's own crypto — no native addon,
 * nothing downloaded at install). Stored as a self-describing string so the cost can change
 * without invalidating old hashes:  $scrypt$ln=15,r=8,p=1$<salt b64>$<hash b64>
 */
const DEFAULT_LOG_N = Number(process.env.PORTICO_SCRYPT_LOG_N ?? 15);
const R = 8;
const P = 1;
const KEY_LEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize("NFKC"), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function memoryFor(logN: number, r: number, p: number): number {
  return 128 * r * (2 ** logN + p + 2) + 1024 * 1024;
}

export async function hashPassword(password: string, logN = DEFAULT_LOG_N): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LEN, { N: 2 ** logN, r: R, p: P, maxmem: memoryFor(logN, R, P) });
  return `$scrypt$ln=${logN},r=${R},p=${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

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
