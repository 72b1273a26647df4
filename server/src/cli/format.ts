/** Plain-text output of the CLI: aligned tables for people, JSON with --json for scripts. */

/**
 * Control characters (C0 but newline, DEL, C1) and bidirectional overrides, which a terminal obeys: a
 * method name with escape sequences must not clear the screen or draw a forged row.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The same, newlines included, for one table cell or one line. */
// eslint-disable-next-line no-control-regex -- as above
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** `text` with what a terminal would obey shown as `\uXXXX` instead (newlines kept). */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** One line of text (a cell, a message) with even its newlines shown as `\u000a`. */
export function printableLine(text: string): string {
  return text.replace(UNSAFE_IN_LINE, escapeChar);
}

/** Writes text for people to stdout, escaped (JSON and CSV output go out as they are). */
export function say(text: string): void {
  process.stdout.write(printable(text));
}

export function formatTable(headers: string[], rows: Array<Array<string | number | null>>): string {
  const cells = rows.map((r) => r.map((c) => (c === null ? "-" : printableLine(String(c)))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

export function percent(x: number | null): string | null {
  return x === null ? null : `${(100 * x).toFixed(1)}%`;
}
