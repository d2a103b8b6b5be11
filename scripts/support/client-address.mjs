// The client's address as Portico trusts it (scripts/server.mjs): the TCP peer, unless the peer is
// a proxy listed in PORTICO_TRUSTED_PROXIES — then the rightmost X-Forwarded-For entry that is not
// itself a trusted proxy. A header a client writes is otherwise ignored.
import { BlockList, isIP } from "node:net";

/** @param {string | undefined} list */
export function parseTrustedProxies(list) {
  const blocks = new BlockList();
  for (const raw of (list ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits] = raw.split("/");
    const family = isIP(addr ?? "");
    if (!family) throw new Error(`PORTICO_TRUSTED_PROXIES: "${raw}" is not an address or CIDR range`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) blocks.addAddress(addr, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) throw new Error(`PORTICO_TRUSTED_PROXIES: bad prefix in "${raw}"`);
      blocks.addSubnet(addr, prefix, type);
    }
  }
  return blocks;
}

/** @param {string} a */
function normaliseAddress(a) {
  const s = a.trim().replace(/^\[|\]$/g, "");
  return s.startsWith("::ffff:") && isIP(s.slice(7)) === 4 ? s.slice(7) : s;
}

/**
 * @param {BlockList} trusted
 * @param {string} address
 */
function isTrusted(trusted, address) {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address: the peer, or — when the peer is a trusted proxy — the rightmost
 * X-Forwarded-For entry that is not a trusted proxy (the leftmost if all are).
 * @param {string | undefined} peer
 * @param {string | string[] | undefined} forwardedFor
 * @param {BlockList} trusted
 */
export function clientAddress(peer, forwardedFor, trusted) {
  const from = normaliseAddress(peer ?? "");
  if (!isTrusted(trusted, from)) return from;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map(normaliseAddress)
    .filter((a) => isIP(a) !== 0);
  for (let i = chain.length - 1; i >= 0; i--) if (!isTrusted(trusted, chain[i])) return chain[i];
  return chain[0] ?? from;
}

