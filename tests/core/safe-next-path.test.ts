import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { safeNextPath } from "../../lib/auth/safe-next-path";

describe("safeNextPath", () => {
  test("keeps same-site paths with their query and hash", () => {
    assert.equal(safeNextPath("/account/edit"), "/account/edit");
    assert.equal(safeNextPath("/invoices?page=2#top"), "/invoices?page=2#top");
    assert.equal(safeNextPath("/invoices/../account"), "/account");
  });

  test("falls back for anything that leaves the site or loops", () => {
    for (const bad of [
      "https://evil.example/x",
      "//evil.example/x",
      "/\\evil.example/x",
      "/\t/evil.example/x",
      "/%09/evil.example/x".replace("%09", "\t"),
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/\u0000/evil.example",
      "\t//evil.example",
      "javascript:alert(1)",
      "evil.example",
      "/login",
      "/login?next=/account",
      "/api/auth/signout",
      "",
      "/" + "a".repeat(2001),
    ]) {
      assert.equal(safeNextPath(bad), "/account", JSON.stringify(bad));
    }
    assert.equal(safeNextPath(undefined, "/x"), "/x");
    assert.equal(safeNextPath(null), "/account");
  });

  test("an encoded tab stays encoded (harmless) rather than being decoded into a redirect", () => {
    const out = safeNextPath("/%09/evil.example/x");
    assert.equal(new URL(out, "https://portal.example").origin, "https://portal.example");
  });
});
