// scripts/support/client-address.mjs: the address per-address limits and the audit log use
// (issue 22 §4) — the TCP peer unless the peer is a configured trusted proxy.
import { describe, test } from "node:test";
import assert from "node:assert/strict";

type BlockListLike = object;
const { clientAddress, parseTrustedProxies } = (await import("../../scripts/support/client-address.mjs" as string)) as {
  clientAddress: (peer: string | undefined, xff: string | string[] | undefined, trusted: BlockListLike) => string;
  parseTrustedProxies: (list: string | undefined) => BlockListLike;
};

describe("the client address", () => {
  const none = parseTrustedProxies(undefined);
  const proxies = parseTrustedProxies("10.0.0.0/8, 192.168.1.10, ::1, fd00::/8");

  test("without trusted proxies the peer is the client, whatever X-Forwarded-For says", () => {
    assert.equal(clientAddress("198.51.100.7", "1.2.3.4", none), "198.51.100.7");
    assert.equal(clientAddress("::ffff:198.51.100.7", "1.2.3.4, 5.6.7.8", none), "198.51.100.7");
    assert.equal(clientAddress("127.0.0.1", undefined, none), "127.0.0.1");
  });

  test("a peer that is not a trusted proxy is the client even when proxies are configured", () => {
    assert.equal(clientAddress("203.0.113.9", "10.0.0.1", proxies), "203.0.113.9");
  });

  test("behind trusted proxies: the rightmost entry that is not a trusted proxy", () => {
    assert.equal(clientAddress("10.0.0.2", "203.0.113.5", proxies), "203.0.113.5");
    // A client-written entry on the left does not win over what the proxies appended.
    assert.equal(clientAddress("10.0.0.2", "6.6.6.6, 203.0.113.5, 10.1.1.1", proxies), "203.0.113.5");
    assert.equal(clientAddress("::1", ["203.0.113.6", "192.168.1.10"], proxies), "203.0.113.6");
    assert.equal(clientAddress("fd00::5", "2001:db8::1", proxies), "2001:db8::1");
    // Garbage entries are skipped; all trusted → the leftmost; none at all → the peer.
    assert.equal(clientAddress("10.0.0.2", "not-an-ip, 203.0.113.8", proxies), "203.0.113.8");
    assert.equal(clientAddress("10.0.0.2", "10.0.0.3, 10.0.0.4", proxies), "10.0.0.3");
    assert.equal(clientAddress("10.0.0.2", undefined, proxies), "10.0.0.2");
  });

  test("a bad PORTICO_TRUSTED_PROXIES stops the start with a clear message", () => {
    assert.throws(() => parseTrustedProxies("10.0.0.0/33"), /bad prefix/);
    assert.throws(() => parseTrustedProxies("proxy.example"), /not an address or CIDR range/);
  });
});

const { listenHost } = (await import("../../scripts/support/listen-host.mjs" as string)) as { listenHost: (env: Record<string, string | undefined>) => string | undefined };

describe("where the server listens", () => {
  test("the PGlite demo on localhost only; a real database on every interface; HOST wins", () => {
    assert.equal(listenHost({}), "127.0.0.1");
    assert.equal(listenHost({ DATABASE_URL: "postgres://db/portico" }), undefined);
    assert.equal(listenHost({ HOST: "0.0.0.0" }), "0.0.0.0");
    assert.equal(listenHost({ HOST: "10.0.0.5", DATABASE_URL: "postgres://db/portico" }), "10.0.0.5");
  });
});
