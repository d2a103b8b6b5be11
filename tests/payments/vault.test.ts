import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { AppError } from "../../lib/errors";
import { resetEnvForTests } from "../../lib/env";
import { isSealed, openSecret, parseVaultKey, sealSecret, vaultKeyFromEnv, VAULT_NOT_CONFIGURED } from "../../lib/payments/vault";

process.env.AUTH_SECRET ??= randomBytes(32).toString("hex");
const KEY = randomBytes(32);
const CARD = "4111111111111111";

describe("card vault (AES-256-GCM)", () => {
  test("round trip; the sealed text is versioned and holds no digit run of the number", () => {
    const sealed = sealSecret(CARD, { key: KEY });
    assert.match(sealed, /^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    assert.ok(isSealed(sealed));
    assert.ok(!sealed.includes(CARD) && !sealed.includes("1111111111"));
    assert.equal(openSecret(sealed, { key: KEY }), CARD);
  });

  test("a fresh IV each time: the same number seals differently", () => {
    assert.notEqual(sealSecret(CARD, { key: KEY }), sealSecret(CARD, { key: KEY }));
  });

  test("tampering with any part is detected", () => {
    const sealed = sealSecret(CARD, { key: KEY });
    const [v, iv, tag, ct] = sealed.split(":") as [string, string, string, string];
    const flip = (s: string) => {
      const b = Buffer.from(s, "base64url");
      b[0] = b[0]! ^ 1;
      return b.toString("base64url");
    };
    for (const bad of [
      [v, iv, tag, flip(ct)].join(":"),
      [v, iv, flip(tag), ct].join(":"),
      [v, flip(iv), tag, ct].join(":"),
      ["v2", iv, tag, ct].join(":"),
      [v, iv, tag].join(":"),
      "not sealed at all",
    ]) {
      assert.throws(() => openSecret(bad, { key: KEY }), (e: unknown) => e instanceof AppError && e.code === "INTERNAL" && !e.message.includes(CARD));
    }
  });

  test("the wrong key does not open it", () => {
    const sealed = sealSecret(CARD, { key: KEY });
    assert.throws(() => openSecret(sealed, { key: randomBytes(32) }), (e: unknown) => e instanceof AppError && e.code === "INTERNAL");
  });

  test("the context (customer) is bound: another customer's row does not open", () => {
    const sealed = sealSecret(CARD, { key: KEY, context: "cust_payby:1" });
    assert.equal(openSecret(sealed, { key: KEY, context: "cust_payby:1" }), CARD);
    assert.throws(() => openSecret(sealed, { key: KEY, context: "cust_payby:2" }), AppError);
    assert.throws(() => openSecret(sealed, { key: KEY }), AppError);
  });

  test("keys: 64 hex or base64 of 32 bytes; anything else is refused without echoing it", () => {
    assert.deepEqual(parseVaultKey(KEY.toString("hex")), KEY);
    assert.deepEqual(parseVaultKey(KEY.toString("base64")), KEY);
    assert.deepEqual(parseVaultKey(KEY.toString("base64url")), KEY);
    for (const bad of ["", "abc", "zz".repeat(32), randomBytes(16).toString("hex"), randomBytes(31).toString("base64")]) {
      assert.throws(() => parseVaultKey(bad), (e: unknown) => e instanceof AppError && e.code === "UNAVAILABLE" && (bad === "" || !e.message.includes(bad)));
    }
  });

  test("PORTICO_VAULT_KEY from the environment; a clear AppError when it is missing", () => {
    const saved = process.env.PORTICO_VAULT_KEY;
    try {
      delete process.env.PORTICO_VAULT_KEY;
      resetEnvForTests();
      assert.throws(() => sealSecret(CARD), (e: unknown) => e instanceof AppError && e.code === "UNAVAILABLE" && e.message === VAULT_NOT_CONFIGURED);
      process.env.PORTICO_VAULT_KEY = KEY.toString("hex");
      resetEnvForTests();
      assert.deepEqual(vaultKeyFromEnv(), KEY);
      assert.equal(openSecret(sealSecret(CARD)), CARD);
      assert.equal(openSecret(sealSecret(CARD), { key: KEY }), CARD);
    } finally {
      if (saved === undefined) delete process.env.PORTICO_VAULT_KEY;
      else process.env.PORTICO_VAULT_KEY = saved;
      resetEnvForTests();
    }
  });
});
