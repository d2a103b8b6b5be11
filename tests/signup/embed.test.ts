import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
process.env.AUTH_SECRET ??= "x".repeat(40);
import { createTestDb, type TestDb } from "../support/db";
import { createSignupWorld, type SignupWorld } from "./support/signup-world";
import { agent } from "../../db/schema";
import { embedOriginsForSignupKey } from "../../lib/signup/embed-agent";
import { cleanEmbedOrigins, embedContentSecurityPolicy, isListedEmbedOrigin } from "../../lib/signup/embed-policy";

let t: TestDb;
let sw: SignupWorld;

before(async () => {
  t = await createTestDb();
  sw = await createSignupWorld(t.db);
});
after(async () => t.drop());

describe("who may frame the embedded signup", () => {
  test("only well-formed origins reach the header: nothing can end the directive or add another", () => {
    assert.deepEqual(
      cleanEmbedOrigins([
        "https://www.isp.example",
        "HTTPS://WWW.ISP.EXAMPLE/",
        "http://localhost:3187",
        "https://evil.example; script-src *",
        "https://a.example https://b.example",
        "*",
        "'self'",
        "javascript:alert(1)",
        "https://x.example/path",
        "",
      ]),
      ["https://www.isp.example", "http://localhost:3187"],
    );
  });

  test("frame-ancestors lists the origins, or 'none' when there are none", () => {
    const n = { nonce: "bm9uY2U=" };
    assert.match(embedContentSecurityPolicy(["https://a.example", "http://localhost:3187"], n), /^frame-ancestors https:\/\/a\.example http:\/\/localhost:3187; /);
    assert.match(embedContentSecurityPolicy(["https://a.example"], n), /; script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic';/);
    assert.match(embedContentSecurityPolicy([], n), /^frame-ancestors 'none';/);
    assert.match(embedContentSecurityPolicy(["*; frame-ancestors *"], n), /^frame-ancestors 'none';/);
  });

  test("the host origin the embed reports counts only if listed", () => {
    const listed = ["https://www.isp.example"];
    assert.equal(isListedEmbedOrigin(listed, "https://www.isp.example"), true);
    assert.equal(isListedEmbedOrigin(listed, "https://WWW.isp.example"), true);
    assert.equal(isListedEmbedOrigin(listed, "https://evil.example"), false);
    assert.equal(isListedEmbedOrigin(listed, ""), false);
    assert.equal(isListedEmbedOrigin(listed, null), false);
  });

  test("by signup key from the database; unknown keys and disabled agents get none", async () => {
    assert.deepEqual(await embedOriginsForSignupKey(t.db, "signup-partner"), ["https://partner.example", "http://localhost:3187"]);
    assert.deepEqual(await embedOriginsForSignupKey(t.db, "no-such-key"), []);
    assert.deepEqual(await embedOriginsForSignupKey(t.db, null), []);
    assert.deepEqual(await embedOriginsForSignupKey(t.db, "x".repeat(65)), []);
    await t.db.update(agent).set({ disabled: "Y" }).where(eq(agent.agentnum, sw.partnerAgentnum));
    assert.deepEqual(await embedOriginsForSignupKey(t.db, "signup-partner"), []);
  });
});
