import { XMLParser } from "fast-xml-parser";
import { RPC_LIMITS } from "./json-codec";

/**
 * XML-RPC wire format. Parsing uses fast-xml-parser (maintained, no native code); this module
 * only maps XML-RPC's value types onto JS values and back.
 *
 * Freeside compatibility: responses send every scalar as an XML-RPC <string> (numbers arrive as
 * strings, as Freeside sends them), booleans as "1"/"", missing values as "", and declared binary
 * fields (Buffers) as <base64>.
 */

export type XmlRpcValue = string | number | boolean | Date | Buffer | null | XmlRpcValue[] | { [k: string]: XmlRpcValue };

export class XmlRpcParseError extends Error {}

const MAX_DEPTH = RPC_LIMITS.maxDepth;
const MAX_ITEMS = RPC_LIMITS.maxItems;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function tagOf(node: Node): string | undefined {
  return Object.keys(node).find((k) => k !== ":@");
}

function childrenOf(node: Node): Node[] {
  const tag = tagOf(node);
  return tag ? ((node[tag] as Node[]) ?? []) : [];
}

function elements(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === "#text") {
      if (String(n["#text"]).trim() !== "") throw new XmlRpcParseError("unexpected text in XML-RPC structure");
      continue;
    }
    if (tag === "#comment") continue;
    out.push(n);
  }
  return out;
}

function textOf(nodes: Node[]): string {
  let s = "";
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === "#text") s += String(n["#text"]);
    else if (tag === "#comment") continue;
    else throw new XmlRpcParseError(`unexpected <${tag}> inside a scalar`);
  }
  return s;
}

function single(nodes: Node[], what: string): Node {
  const els = elements(nodes);
  if (els.length !== 1) throw new XmlRpcParseError(`expected exactly one element in ${what}`);
  return els[0]!;
}

const counter = { items: 0 };

function parseValue(valueNode: Node, depth: number): XmlRpcValue {
  if (depth > MAX_DEPTH) throw new XmlRpcParseError("XML-RPC value nested too deeply");
  if (++counter.items > MAX_ITEMS) throw new XmlRpcParseError("XML-RPC request has too many values");
  const kids = childrenOf(valueNode);
  // <value>text</value> (no type element) is a string, as the XML-RPC spec says.
  if (kids.every((k) => tagOf(k) === "#text" || tagOf(k) === "#comment")) return textOf(kids);
  const els = elements(kids); // text next to a type element is refused
  if (els.length !== 1) throw new XmlRpcParseError("a <value> holds one type");
  const typed = els[0]!;
  const type = tagOf(typed)!;
  const inner = childrenOf(typed);
  switch (type) {
    case "string":
      return textOf(inner);
    case "i4":
    case "int":
    case "i8": {
      const t = textOf(inner).trim();
      if (!/^[+-]?\d{1,19}$/.test(t)) throw new XmlRpcParseError(`bad integer ${JSON.stringify(t.slice(0, 40))}`);
      const n = Number(t);
      if (!Number.isSafeInteger(n)) throw new XmlRpcParseError("integer out of range");
      return n;
    }
    case "boolean": {
      const t = textOf(inner).trim();
      if (t !== "0" && t !== "1") throw new XmlRpcParseError("bad boolean");
      return t === "1";
    }
    case "double": {
      const t = textOf(inner).trim();
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new XmlRpcParseError("bad double");
      return Number(t);
    }
    case "dateTime.iso8601": {
      const t = textOf(inner).trim();
      const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
      if (!m) throw new XmlRpcParseError("bad dateTime.iso8601");
      const tz = m[7] ?? "Z";
      const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${tz.length === 5 ? `${tz.slice(0, 3)}:${tz.slice(3)}` : tz}`);
      if (Number.isNaN(d.getTime())) throw new XmlRpcParseError("bad dateTime.iso8601");
      return d;
    }
    case "base64": {
      const t = textOf(inner).replace(/\s+/g, "");
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) throw new XmlRpcParseError("bad base64");
      return Buffer.from(t, "base64");
    }
    case "nil":
      return null;
    case "array": {
      const data = single(inner, "<array>");
      if (tagOf(data) !== "data") throw new XmlRpcParseError("<array> needs <data>");
      return elements(childrenOf(data)).map((v) => {
        if (tagOf(v) !== "value") throw new XmlRpcParseError("<data> holds <value>s");
        return parseValue(v, depth + 1);
      });
    }
    case "struct": {
      const out: Record<string, XmlRpcValue> = Object.create(null);
      for (const member of elements(inner)) {
        if (tagOf(member) !== "member") throw new XmlRpcParseError("<struct> holds <member>s");
        let name: string | undefined;
        let value: XmlRpcValue | undefined;
        for (const part of elements(childrenOf(member))) {
          const t = tagOf(part);
          if (t === "name") name = textOf(childrenOf(part));
          else if (t === "value") value = parseValue(part, depth + 1);
          else throw new XmlRpcParseError(`unexpected <${t}> in <member>`);
        }
        if (name === undefined || value === undefined) throw new XmlRpcParseError("<member> needs <name> and <value>");
        out[name] = value;
      }
      return { ...out };
    }
    default:
      throw new XmlRpcParseError(`unknown XML-RPC type <${type}>`);
  }
}

export interface XmlRpcCall {
  methodName: string;
  params: XmlRpcValue[];
}

export function parseMethodCall(xml: string): XmlRpcCall {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new XmlRpcParseError("DOCTYPE and entity declarations are not allowed");
  let doc: Node[];
  try {
    doc = parser.parse(xml) as Node[];
  } catch (e) {
    throw new XmlRpcParseError(`malformed XML: ${(e as Error).message.split("\n")[0]}`);
  }
  counter.items = 0;
  const root = elements(doc).find((n) => tagOf(n) === "methodCall");
  if (!root) throw new XmlRpcParseError("not an XML-RPC methodCall");
  let methodName: string | undefined;
  let params: XmlRpcValue[] = [];
  for (const part of elements(childrenOf(root))) {
    const t = tagOf(part);
    if (t === "methodName") methodName = textOf(childrenOf(part)).trim();
    else if (t === "params") {
      params = elements(childrenOf(part)).map((p) => {
        if (tagOf(p) !== "param") throw new XmlRpcParseError("<params> holds <param>s");
        const v = single(childrenOf(p), "<param>");
        if (tagOf(v) !== "value") throw new XmlRpcParseError("<param> holds a <value>");
        return parseValue(v, 1);
      });
    } else throw new XmlRpcParseError(`unexpected <${t}> in <methodCall>`);
  }
  if (!methodName) throw new XmlRpcParseError("missing <methodName>");
  if (!/^[A-Za-z0-9_.:/]{1,200}$/.test(methodName)) throw new XmlRpcParseError("bad method name");
  return { methodName, params };
}

// ---------------------------------------------------------------- encoding

// XML 1.0 forbids most C0 control characters even when escaped.
const FORBIDDEN_XML_CHAR_CLASS = "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF";
const INVALID_XML_CHARS = new RegExp(`[${FORBIDDEN_XML_CHAR_CLASS}]`, "g");
// Anything escapeXml would change (built from the same class, so it cannot miss one): most
// strings in a response (names, amounts, dates) have none, and one test is cheaper than four
// replaces. Not global: test() on a global regex would carry lastIndex between calls.
const NEEDS_ESCAPING = new RegExp(`[&<>${FORBIDDEN_XML_CHAR_CLASS}]`);

export function escapeXml(s: string): string {
  if (!NEEDS_ESCAPING.test(s)) return s;
  return s.replace(INVALID_XML_CHARS, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One value, appended to `out` (a response is one string built left to right, not nested joins). */
function encodeValue(v: unknown, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH) throw new Error("response nested too deeply");
  if (v === null || v === undefined) out.push("<value><string></string></value>");
  else if (typeof v === "string") out.push("<value><string>", escapeXml(v), "</string></value>");
  else if (typeof v === "number" || typeof v === "bigint") out.push("<value><string>", String(v), "</string></value>");
  else if (typeof v === "boolean") out.push(v ? "<value><string>1</string></value>" : "<value><string></string></value>");
  else if (Buffer.isBuffer(v)) out.push("<value><base64>", v.toString("base64"), "</base64></value>");
  else if (v instanceof Date) out.push("<value><string>", String(Math.floor(v.getTime() / 1000)), "</string></value>");
  else if (Array.isArray(v)) {
    out.push("<value><array><data>");
    for (const x of v) encodeValue(x, depth + 1, out);
    out.push("</data></array></value>");
  } else if (typeof v === "object") {
    out.push("<value><struct>");
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) continue;
      out.push("<member><name>", escapeXml(k), "</name>");
      encodeValue(x, depth + 1, out);
      out.push("</member>");
    }
    out.push("</struct></value>");
  } else out.push("<value><string>", escapeXml(String(v)), "</string></value>");
}

function encoded(v: unknown, depth: number): string {
  const out: string[] = [];
  encodeValue(v, depth, out);
  return out.join("");
}

export function encodeMethodResponse(value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><params><param>${encoded(value, 0)}</param></params></methodResponse>\n`;
}

export function encodeFault(faultCode: number, faultString: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><fault><value><struct>` +
    `<member><name>faultCode</name><value><int>${Math.trunc(faultCode)}</int></value></member>` +
    `<member><name>faultString</name><value><string>${escapeXml(faultString)}</string></value></member>` +
    `</struct></value></fault></methodResponse>\n`
  );
}

/** Client side (tests, bench): encodes a call with typed values. */
export function encodeMethodCall(methodName: string, params: unknown[]): string {
  const typed = (v: unknown, depth: number): string => {
    if (typeof v === "number" && Number.isInteger(v)) return `<value><int>${v}</int></value>`;
    if (typeof v === "number") return `<value><double>${v}</double></value>`;
    if (typeof v === "boolean") return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
    if (Array.isArray(v)) return `<value><array><data>${v.map((x) => typed(x, depth + 1)).join("")}</data></array></value>`;
    if (v && typeof v === "object" && !Buffer.isBuffer(v) && !(v instanceof Date)) {
      return `<value><struct>${Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `<member><name>${escapeXml(k)}</name>${typed(x, depth + 1)}</member>`)
        .join("")}</struct></value>`;
    }
    return encoded(v, depth);
  };
  return `<?xml version="1.0"?>\n<methodCall><methodName>${escapeXml(methodName)}</methodName><params>${params
    .map((p) => `<param>${typed(p, 0)}</param>`)
    .join("")}</params></methodCall>\n`;
}
