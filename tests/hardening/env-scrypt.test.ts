import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { EnvError, getEnv, getScryptSettings, resetEnvForTests } from "../../lib/env";
import { hashPassword, passwordNeedsRehash, verifyPassword } from "../../lib/auth/password";

/**
 * Issue 22 §11: the password hash cost is validated with the rest of the environment, with a
 * floor of N = 2^14, r = 8, p = 1, and the test runner's weak cost needs the explicit test-only
 * PORTICO_TEST_WEAK_HASH=1.
 */
const KEYS = ["PORTICO_SCRYPT_LOG_N", "PORTICO_SCRYPT_R", "PORTICO_SCRYPT_P", "PORTICO_TEST_WEAK_HASH"] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

function setEnv(values: Partial<Record<(typeof KEYS)[number], string>>): void {
  for (const k of KEYS) delete process.env[k];
  Object.assign(process.env, values);
  process.env.AUTH_SECRET ??= "test-secret-".padEnd(48, "x");
  resetEnvForTests();
}

afterEach(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetEnvForTests();
});

describe("scrypt cost in the validated environment", () => {
  test("defaults to N = 2^14, r = 8, p = 5", () => {
    setEnv({});
    assert.deepEqual(getScryptSettings(), { logN: 14, r: 8, p: 5 });
    assert.deepEqual(getEnv().scrypt, { logN: 14, r: 8, p: 5 });
  });

  test("refuses a cost below the floor with a clear message, at boot and when hashing", async () => {
    for (const [values, named] of [
      [{ PORTICO_SCRYPT_LOG_N: "12" }, /PORTICO_SCRYPT_LOG_N=12 .*floor is 14/],
      [{ PORTICO_SCRYPT_LOG_N: "13", PORTICO_SCRYPT_P: "1" }, /PORTICO_SCRYPT_LOG_N=13/],
      [{ PORTICO_SCRYPT_R: "4" }, /PORTICO_SCRYPT_R=4 \(the floor is 8\)/],
      [{ PORTICO_SCRYPT_LOG_N: "12", PORTICO_TEST_WEAK_HASH: "0" }, /PORTICO_SCRYPT_LOG_N=12/],
    ] as const) {
      setEnv(values);
      assert.throws(() => getScryptSettings(), (e: unknown) => e instanceof EnvError && named.test(e.message) && /PORTICO_TEST_WEAK_HASH=1/.test(e.message));
      assert.throws(() => getEnv(), EnvError, "the boot (instrumentation calls getEnv) stops");
      // Nothing is hashed at the weak cost: login's re-hash and signup go through the same check.
      await assert.rejects(() => hashPassword("secret-password"), EnvError);
      assert.throws(() => passwordNeedsRehash("$scrypt$ln=14,r=8,p=5$AAAA$AAAA"), EnvError);
    }
  });

  test("refuses p = 0 and nonsense", () => {
    for (const values of [{ PORTICO_SCRYPT_P: "0" }, { PORTICO_SCRYPT_LOG_N: "fourteen" }, { PORTICO_SCRYPT_LOG_N: "40" }, { PORTICO_TEST_WEAK_HASH: "yes" }]) {
      setEnv(values);
      assert.throws(() => getScryptSettings(), EnvError, JSON.stringify(values));
    }
  });

  test("accepts any cost at or above the floor, and hashes at it", async () => {
    setEnv({ PORTICO_SCRYPT_LOG_N: "14", PORTICO_SCRYPT_R: "8", PORTICO_SCRYPT_P: "1" });
    assert.deepEqual(getScryptSettings(), { logN: 14, r: 8, p: 1 });
    const hash = await hashPassword("secret-password");
    assert.match(hash, /^\$scrypt\$ln=14,r=8,p=1\$/);
    assert.equal(await verifyPassword("secret-password", hash), true);
    assert.equal(passwordNeedsRehash(hash), false);
    assert.equal(passwordNeedsRehash(await hashPassword("x", { logN: 12, p: 1 })), true, "a weaker stored hash is re-hashed");
  });

  test("the test-only escape PORTICO_TEST_WEAK_HASH=1 lifts the floor", async () => {
    setEnv({ PORTICO_SCRYPT_LOG_N: "12", PORTICO_SCRYPT_P: "1", PORTICO_TEST_WEAK_HASH: "1" });
    assert.deepEqual(getScryptSettings(), { logN: 12, r: 8, p: 1 });
    assert.match(await hashPassword("secret-password"), /^\$scrypt\$ln=12,r=8,p=1\$/);
  });
});
