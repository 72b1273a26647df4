/** Sorting, searching and number formats shared by the panels' tables (pure functions). */

export type SortDirection = "ascending" | "descending";

export interface SortState {
  key: string;
  direction: SortDirection;
}

export type CellValue = string | number | boolean | null | undefined;

/** What a column sorts by: its key and each row's value (widgets/virtual-table.ts shows columns). */
export interface SortKey<T> {
  key: string;
  value: (row: T) => CellValue;
}

function isMissing(v: CellValue): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/** Orders values with null, undefined and NaN last, numbers numerically, text in natural order. */
export function compareValues(a: CellValue, b: CellValue): number {
  const aMissing = isMissing(a);
  const bMissing = isMissing(b);
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: "base" });
}

/** A sorted copy; missing values stay last in both directions; equal rows keep their order. */
export function sortRows<T>(rows: readonly T[], columns: readonly SortKey<T>[], sort: SortState | null): T[] {
  const copy = rows.slice();
  if (!sort) return copy;
  const column = columns.find((c) => c.key === sort.key);
  if (!column) return copy;
  const sign = sort.direction === "ascending" ? 1 : -1;
  const keyed = copy.map((row, index) => ({ row, index, value: column.value(row) }));
  keyed.sort((x, y) => {
    const xMissing = isMissing(x.value);
    const yMissing = isMissing(y.value);
    if (xMissing !== yMissing) return xMissing ? 1 : -1;
    return sign * compareValues(x.value, y.value) || x.index - y.index;
  });
  return keyed.map((k) => k.row);
}

/** The next sort after a click on a column header: same column flips, another starts ascending. */
export function toggleSort(current: SortState | null, key: string): SortState {
  if (current && current.key === key)
    return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
  return { key, direction: "ascending" };
}

/**
 * Rows whose search text contains every word of the query (case-insensitive). A word `A-B` of two
 * numbers matches rows with a number in [A, B] (`numbers` of the row), for example run ranges.
 */
export function filterRows<T>(
  rows: readonly T[],
  queryText: string,
  text: (row: T) => string,
  numbers: (row: T) => number[] = () => [],
): T[] {
  const words = queryText.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows.slice();
  const tests = words.map((word) => {
    const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(word);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      return (row: T) => numbers(row).some((n) => n >= lo && n <= hi);
    }
    return (row: T) => text(row).toLowerCase().includes(word);
  });
  return rows.filter((row) => tests.every((test) => test(row)));
}

export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(digits);
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return `${(value * 100).toFixed(digits)} %`;
}

/** `2026-11-23 13:54` in the browser's time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
