import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb, type TestDb } from "../support/db";
import { consumeSignupAttempt, consumeUsernameCheck, USERNAME_CHECK_THROTTLE } from "../../lib/signup/throttle";
import { isAppError } from "../../lib/errors";

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

describe("username checks per address", () => {
  test("the limit holds per address, per window, apart from signups", async () => {
    const now = new Date("2026-12-02T10:00:00Z");
    const rule = { maxAttempts: 3, windowSeconds: 600 };
    for (let i = 0; i < 3; i++) await consumeUsernameCheck(t.db, "203.0.113.7", now, rule);
    await assert.rejects(consumeUsernameCheck(t.db, "203.0.113.7", now, rule), (e: unknown) => {
      assert.ok(isAppError(e) && e.code === "RATE_LIMITED");
      assert.match(e.message, /Too many username checks from your address\. Please wait 10 minutes/);
      assert.equal(e.retryAfterSeconds, 600);
      return true;
    });
    // Another address, and signups from the same address, count apart.
    await consumeUsernameCheck(t.db, "203.0.113.8", now, rule);
    await consumeSignupAttempt(t.db, "203.0.113.7", now);
    // A new window starts afresh.
    await consumeUsernameCheck(t.db, "203.0.113.7", new Date(now.getTime() + 601_000), rule);
  });

  test("the default lets a person choose a name and stops a listing", () => {
    assert.ok(USERNAME_CHECK_THROTTLE.maxAttempts >= 20 && USERNAME_CHECK_THROTTLE.maxAttempts <= 200);
  });
});
