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

/** Run and lumisection numbers: non-negative integers. */
export function nonNegativeInteger(name: string, c: Checked): Checked {
  if (!c.ok) return c;
  if (Number.isSafeInteger(c.value) && c.value >= 0) return c;
  return { ok: false, reason: `${name} is ${c.value}, expected a non-negative integer` };
}

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
