import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { describeForLog, redactQueryParams } from "../../lib/errors";

describe("what an unexpected error puts in the log", () => {
  test("a failed query's parameters are cut out, however many lines they take", () => {
    const e = new Error('Failed query: insert into "cust_main" ("first", "ss") values ($1, $2)\nparams: A\n    at fake (x.js:1:2)\nB,123-45-6789');
    const logged = describeForLog(e);
    assert.ok(!logged.includes("123-45-6789"), logged);
    assert.ok(!logged.includes("fake (x.js"), logged);
    assert.ok(logged.includes('Failed query: insert into "cust_main"'));
    assert.ok(logged.includes("params: [redacted]"));
    assert.match(logged, /\n\s+at /, "the real stack frames stay");
  });

  test("other errors are logged whole; non-errors as text", () => {
    const e = new TypeError("x is not a function");
    assert.ok(describeForLog(e).startsWith("TypeError: x is not a function\n"));
    assert.equal(describeForLog("plain"), "plain");
    assert.equal(redactQueryParams("params: 1,2\nmore"), "params: [redacted]");
    assert.equal(redactQueryParams("no parameters here"), "no parameters here");
  });
});
