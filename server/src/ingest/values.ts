/**
 * Checks of single values shared by the histogram readers. Each returns the number or a reason
 * (what is wrong and what was expected), so that the caller adds its own location to the error.
 */

export type Checked = { ok: true; value: number } | { ok: false; reason: string };

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A CSV field as a finite number. `Number()` alone would take "" as 0 and "0x10" as 16. */
export function numberFromText(name: string, text: string): Checked {
  const t = text.trim();
  if (DECIMAL.test(t)) return { ok: true, value: Number(t) };
  if (/^[+-]?(inf|infinity|nan)$/i.test(t))
    return { ok: false, reason: `${name} is '${text}', expected a finite number` };
  return { ok: false, reason: `${name} is '${text}', expected a number` };
}

/** A JSON or Arrow value (number or bigint) as a finite number. */
export function numberFromValue(name: string, v: unknown): Checked {
  if (typeof v === "number") {
    if (Number.isFinite(v)) return { ok: true, value: v };
    return { ok: false, reason: `${name} is ${describeValue(v)}, expected a finite number` };
  }
  if (typeof v === "bigint") {
    const n = Number(v);
    if (Number.isSafeInteger(n)) return { ok: true, value: n };
    return { ok: false, reason: `${name} is ${v}, too large for a number` };
  }
  return { ok: false, reason: `${name} is ${describeValue(v)}, expected a number` };
}

/** Largest run or lumisection number: the store keeps them as 32-bit integers (PostgreSQL `integer`). */
export const MAX_RUN_OR_LUMISECTION = 2147483647;

/** Run and lumisection numbers: integers from 0 to `MAX_RUN_OR_LUMISECTION`. */
export function nonNegativeInteger(name: string, c: Checked): Checked {
  if (!c.ok) return c;
  if (Number.isSafeInteger(c.value) && c.value >= 0 && c.value <= MAX_RUN_OR_LUMISECTION) return c;
  if (Number.isSafeInteger(c.value) && c.value > MAX_RUN_OR_LUMISECTION)
    return {
      ok: false,
      reason: `${name} is ${c.value}, above the largest allowed (${MAX_RUN_OR_LUMISECTION})`,
    };
  return { ok: false, reason: `${name} is ${c.value}, expected a non-negative integer` };
}

/** Longest monitor element name: real DQM paths are under 300 characters; names go into URLs. */
export const MAX_ME_NAME_LENGTH = 512;
/**
 * The characters of a monitor element path: letters, digits and the punctuation CMSSW's DQMStore accepts
 * in paths (no quotes, backslashes, control characters or characters outside ASCII).
 */
const ME_NAME_CHARACTERS = /^[A-Za-z0-9/ ()[\]{}<>#:;.,=+\-_*^!|&$~@%]+$/;

/**
 * What is wrong with a monitor element name (undefined when nothing): empty, too long, a character outside
 * the DQM path alphabet, an empty, `.` or `..` path component, or blanks at either end.
 */
export function meNameProblem(name: string): string | undefined {
  const shown = describeValue(name);
  if (name.length === 0) return "is empty, expected a monitor element name";
  if (name.length > MAX_ME_NAME_LENGTH)
    return `is ${name.length} characters long, at most ${MAX_ME_NAME_LENGTH} are allowed`;
  if (!ME_NAME_CHARACTERS.test(name)) {
    const bad = [...name].find((c) => !ME_NAME_CHARACTERS.test(c)) ?? "";
    const code = `U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
    return `${shown} has the character ${code}, outside the monitor element path alphabet (letters, digits, / and ${ME_PUNCTUATION})`;
  }
  if (name !== name.trim()) return `${shown} starts or ends with a blank`;
  if (name.split("/").some((part) => part === "" || part === "." || part === ".."))
    return `${shown} has an empty, '.' or '..' path component`;
  return undefined;
}
const ME_PUNCTUATION = "space ( ) [ ] { } < > # : ; . , = + - _ * ^ ! | & $ ~ @ %";

/** Bin counts: integers >= 1. */
export function binCount(name: string, c: Checked): Checked {
  if (!c.ok) return c;
  if (Number.isSafeInteger(c.value) && c.value >= 1) return c;
  return { ok: false, reason: `${name} is ${c.value}, expected an integer >= 1` };
}

/** JSON value as a short text for messages: `"abc"`, `12`, `null`, `[1, 2]` (cut at 40 characters). */
export function describeValue(v: unknown): string {
  if (v === undefined) return "missing";
  if (typeof v === "bigint") return v.toString();
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  if (typeof v === "number" && !Number.isFinite(v)) s = String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
