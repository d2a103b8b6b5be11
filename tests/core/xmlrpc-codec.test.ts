import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { encodeFault, encodeMethodCall, encodeMethodResponse, escapeXml, parseMethodCall, XmlRpcParseError } from "../../lib/rpc/xmlrpc-codec";

/**
 * The XML-RPC codec on its own (the transport tests drive it through Python's xmlrpc.client
 * against a real server): Freeside's response shapes, escaping, and refusal of bad input.
 */
describe("XML-RPC codec", () => {
  test("a response sends every scalar as a <string>, as Freeside does", () => {
    const xml = encodeMethodResponse({ error: "", custnum: 42, ok: true, off: false, none: null, skipped: undefined, when: new Date("2026-01-02T03:04:05Z") });
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><params><param><value><struct>' +
        "<member><name>error</name><value><string></string></value></member>" +
        "<member><name>custnum</name><value><string>42</string></value></member>" +
        "<member><name>ok</name><value><string>1</string></value></member>" +
        "<member><name>off</name><value><string></string></value></member>" +
        "<member><name>none</name><value><string></string></value></member>" +
        `<member><name>when</name><value><string>${Date.UTC(2026, 0, 2, 3, 4, 5) / 1000}</string></value></member>` +
        "</struct></value></param></params></methodResponse>\n",
    );
  });

  test("arrays, nested structs and Buffers (as base64)", () => {
    const xml = encodeMethodResponse({ list: [{ invnum: 1 }, "b"], pdf: Buffer.from("%PDF") });
    assert.match(xml, /<member><name>list<\/name><value><array><data><value><struct><member><name>invnum<\/name><value><string>1<\/string><\/value><\/member><\/struct><\/value><value><string>b<\/string><\/value><\/data><\/array><\/value><\/member>/);
    assert.match(xml, /<member><name>pdf<\/name><value><base64>JVBERg==<\/base64><\/value><\/member>/);
  });

  test("markup and XML-forbidden control characters in text and names are escaped or dropped", () => {
    assert.equal(escapeXml("plain text, 12.50"), "plain text, 12.50");
    assert.equal(escapeXml("a<b>&c\u0000\u0008d\u000Be\tf\ng\uFFFE"), "a&lt;b&gt;&amp;cde\tf\ng");
    const xml = encodeMethodResponse({ "x<y": "<script>&\u0001" });
    assert.match(xml, /<name>x&lt;y<\/name><value><string>&lt;script&gt;&amp;<\/string><\/value>/);
    assert.equal(encodeFault(-32700, "bad <xml>"), '<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>-32700</int></value></member><member><name>faultString</name><value><string>bad &lt;xml&gt;</string></value></member></struct></value></fault></methodResponse>\n');
  });

  test("a call encoded by the client side parses back to the same values", () => {
    const params = [{ session_id: "a&b<c", count: 3, ratio: 1.5, yes: true, list: ["x", 2], when: "2026" }];
    const call = parseMethodCall(encodeMethodCall("FS.ClientAPI_XMLRPC.customer_info", params));
    assert.equal(call.methodName, "FS.ClientAPI_XMLRPC.customer_info");
    assert.deepEqual(call.params, params);
  });

  test("bad input is refused with a specific parse error", () => {
    const bad: [string, RegExp][] = [
      ["<methodCall><methodName>x</methodName><params><param><value><int>1.5</int></value></param></params></methodCall>", /bad integer/],
      ["<methodCall><methodName>x</methodName><params><param><value><wat>1</wat></value></param></params></methodCall>", /unknown XML-RPC type <wat>/],
      ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><methodCall/>', /DOCTYPE/],
      ["<methodResponse/>", /not an XML-RPC methodCall/],
      ["<methodCall><params/></methodCall>", /missing <methodName>/],
      ["<methodCall><methodName>x</methodName><params><param><value><struct><member><name>a</name></member></struct></value></param></params></methodCall>", /needs <name> and <value>/],
    ];
    for (const [xml, message] of bad) assert.throws(() => parseMethodCall(xml), (e: unknown) => e instanceof XmlRpcParseError && message.test(e.message), xml);
  });
});
