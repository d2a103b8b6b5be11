/**
 * JSON-RPC request bodies, parsed with the same limits as XML-RPC's (`RPC_LIMITS`): nesting depth
 * and number of values are checked by one scan of the text BEFORE anything is built, so a body
 * within the size cap cannot make the parser build a huge object graph (a 1 MB `[[[[…]]]]` is
 * half a million arrays). Only then does JSON.parse (fast, native) build the value.
 */
export const RPC_LIMITS = { maxDepth: 32, maxItems: 20_000 } as const;

export class JsonParseError extends Error {}

const OPEN_BRACKET = 0x5b; // [
const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACKET = 0x5d; // ]
const CLOSE_BRACE = 0x7d; // }
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Throws JsonParseError when the text nests deeper or holds more values than the limits allow. */
export function checkJsonShape(text: string, limits: { maxDepth: number; maxItems: number } = RPC_LIMITS): void {
  let depth = 0;
  let items = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: its content cannot open or close anything.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > limits.maxDepth) throw new JsonParseError("Request nested too deeply");
      if (++items > limits.maxItems) throw new JsonParseError("Request has too many values");
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    } else if (c === COMMA) {
      if (++items > limits.maxItems) throw new JsonParseError("Request has too many values");
    }
  }
}

/** JSON.parse behind `checkJsonShape`; malformed JSON is a JsonParseError too. */
export function parseJsonBounded(text: string, limits: { maxDepth: number; maxItems: number } = RPC_LIMITS): unknown {
  checkJsonShape(text, limits);
  try {
    return JSON.parse(text);
  } catch {
    throw new JsonParseError("Parse error");
  }
}
