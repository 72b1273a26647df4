/** Small HTML and plain-text tables for notebook outputs (tasks, leaderboards, metrics). */

export type Cell = string | number | boolean | null | undefined;

export interface TableData {
  columns: string[];
  rows: Cell[][];
  /** Caption above the table. */
  caption?: string;
  /** Rows (by index) to emphasise, e.g. your own submission on a leaderboard. */
  highlight?: ReadonlySet<number>;
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** Numbers with 4 significant digits, null/NaN as "–", booleans as yes/no. */
export function formatCell(v: Cell): string {
  if (v === null || v === undefined) return "–";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "–";
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6
      ? v.toPrecision(4).replace(/\.?0+$/, "")
      : v.toExponential(3);
  }
  return v;
}

export function htmlTable(t: TableData): string {
  const head = t.columns.map((c) => `<th style="text-align:left">${escapeHtml(c)}</th>`).join("");
  const body = t.rows
    .map((r, i) => {
      const style = t.highlight?.has(i) ? ' style="font-weight:bold"' : "";
      const cells = r
        .map(
          (c) =>
            `<td style="text-align:${typeof c === "number" ? "right" : "left"}">${escapeHtml(formatCell(c))}</td>`,
        )
        .join("");
      return `<tr${style}>${cells}</tr>`;
    })
    .join("");
  const caption = t.caption ? `<caption style="text-align:left">${escapeHtml(t.caption)}</caption>` : "";
  return `<table class="dqm-playground-table">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The same table as aligned plain text. */
export function textTable(t: TableData): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map(formatCell))];
  const widths = t.columns.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((c, j) => (c ?? "").padEnd(widths[j]))
      .join("  ")
      .trimEnd();
  const out = [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)];
  return (t.caption ? `${t.caption}\n` : "") + out.join("\n");
}
