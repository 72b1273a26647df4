/**
 * Reading ingest files: I/O failures (no such file) and JSON syntax errors become InputErrors that name
 * the file and, for JSON, the line and character, which V8's own messages do not always give
 * ("Unexpected token ..." has no position).
 */
import fsp from "node:fs/promises";
import { InputError } from "../errors";
import { MAX_JSON_DEPTH, tooDeepAt } from "../json-depth";

/** A failure to open or read a user's file as an InputError; anything else is passed through. */
export function inputFileError(e: unknown, file: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return new InputError("no such file", { file });
  if (code === "EISDIR") return new InputError("is a directory, expected a file", { file });
  if (code === "EACCES" || code === "EPERM") return new InputError("permission denied", { file });
  return e;
}

/** The whole file as UTF-8 text (for the small JSON and text formats), without a byte order mark. */
export async function readInputText(file: string): Promise<string> {
  try {
    // A byte order mark (Windows editors) is not JSON whitespace: drop it.
    return (await fsp.readFile(file, "utf8")).replace(/^\ufeff/, "");
  } catch (e) {
    throw inputFileError(e, file);
  }
}

/** 1-based line and column of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Parses `text` as JSON. On a syntax error throws `FILE, line N: invalid JSON at character C: <V8 message>`
 * (`lineOffset` shifts the line, for one line of a JSON Lines file).
 */
export function parseJsonText(text: string, file: string, lineOffset = 0): unknown {
  const deep = tooDeepAt(text, MAX_JSON_DEPTH);
  if (deep !== undefined) {
    const { line, column } = lineAndColumn(text, deep);
    throw new InputError(
      `JSON nested deeper than ${MAX_JSON_DEPTH} levels at character ${column} (real files have 3 or 4)`,
      { file, line: line + lineOffset },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const { line, column } = lineAndColumn(text, jsonErrorOffset(text));
    const reason = jsonErrorReason(e);
    throw new InputError(`invalid JSON at character ${column}: ${reason}`, { file, line: line + lineOffset });
  }
}

/**
 * The keys of the top-level object of a JSON text, in order, with their offsets (JSON.parse keeps the last
 * of duplicate keys without a word; a certification file must not say two things of one run). Call after
 * JSON.parse succeeded: the text is valid JSON.
 */
export function topLevelKeys(text: string): Array<{ key: string; offset: number }> {
  const keys: Array<{ key: string; offset: number }> = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
      if (depth === 1 && expectKey) {
        keys.push({ key: JSON.parse(text.slice(start, i + 1)) as string, offset: start });
        expectKey = false;
      }
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      expectKey = depth === 1 && c === 0x7b;
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && depth === 1) expectKey = true;
  }
  return keys;
}

/** V8's JSON.parse message without the quoted snippet or the position (given otherwise). */
export function jsonErrorReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, "")
    .replace(/ in JSON at position \d+.*$/s, "");
}

/**
 * Offset of the first character where `text` stops being valid JSON (text.length when it ends too early).
 * Only called after JSON.parse failed, so speed does not matter; nesting is followed with an explicit stack.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const literal = (word: string): boolean => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return true;
    }
    return false;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return true;
      }
      if (c < " ") return false;
      if (c === "\\") {
        const n = text[i + 1];
        if (n === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (n !== undefined && '"\\/bfnrt'.includes(n)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const number = (): boolean => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  // Stack of open containers: "[" or "{"; `expectValue` says whether a value must come next.
  const stack: string[] = [];
  let expectValue = true;
  for (;;) {
    ws();
    if (expectValue) {
      const c = text[i];
      if (c === "[" || c === "{") {
        stack.push(c);
        i++;
        ws();
        if (text[i] === (c === "[" ? "]" : "}")) {
          stack.pop();
          i++;
          expectValue = false;
          continue;
        }
        if (c === "{") {
          if (!string()) return i;
          ws();
          if (text[i] !== ":") return i;
          i++;
        }
        continue;
      }
      if (!(string() || number() || literal("true") || literal("false") || literal("null"))) return i;
      expectValue = false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return i; // trailing text after the value (or text.length if none: not an error here)
    const c = text[i];
    if (c === ",") {
      i++;
      if (top === "{") {
        ws();
        if (!string()) return i;
        ws();
        if (text[i] !== ":") return i;
        i++;
      }
      expectValue = true;
    } else if (c === (top === "[" ? "]" : "}")) {
      stack.pop();
      i++;
    } else return i;
  }
}
