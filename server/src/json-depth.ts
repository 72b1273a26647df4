/**
 * The nesting limit of every JSON the service reads (uploaded files and request bodies). V8's JSON.parse
 * recurses: a body of 200,000 nested brackets overflows its stack, and tens of MB of them stall the event
 * loop for seconds. A linear scan refuses them before JSON.parse runs.
 */

/** Deepest nesting of arrays and objects accepted: real inputs have 3 or 4 levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Offset of the bracket that opens level `max + 1` of nesting, outside strings; undefined when the text
 * stays within `max`. One pass over character codes, no allocation: cheap next to JSON.parse itself.
 */
export function tooDeepAt(text: string, max = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}
