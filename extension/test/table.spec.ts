import {
  compareValues,
  filterRows,
  formatNumber,
  formatPercent,
  formatTime,
  sortRows,
  toggleSort,
} from "../src/models/table";
import type { Column } from "../src/widgets/virtual-table";

interface Row {
  id: number;
  name: string;
  score: number | null;
}

const columns: Column<Row>[] = [
  { key: "id", label: "Id", value: (r) => r.id },
  { key: "name", label: "Name", value: (r) => r.name },
  { key: "score", label: "Score", value: (r) => r.score },
];

const rows: Row[] = [
  { id: 3, name: "run10", score: 0.5 },
  { id: 1, name: "run9", score: null },
  { id: 2, name: "Run2", score: 0.9 },
];

describe("compareValues", () => {
  it("orders numbers numerically and text naturally, ignoring case", () => {
    expect(compareValues(2, 10)).toBeLessThan(0);
    expect(compareValues("run9", "run10")).toBeLessThan(0);
    expect(compareValues("Run2", "run2")).toBe(0);
  });

  it("puts null, undefined and NaN last", () => {
    expect(compareValues(null, 1)).toBeGreaterThan(0);
    expect(compareValues(1, undefined)).toBeLessThan(0);
    expect(compareValues(NaN, 0)).toBeGreaterThan(0);
    expect(compareValues(null, NaN)).toBe(0);
  });
});

describe("sortRows", () => {
  it("sorts ascending and descending by a column", () => {
    expect(sortRows(rows, columns, { key: "id", direction: "ascending" }).map((r) => r.id)).toEqual([
      1, 2, 3,
    ]);
    expect(sortRows(rows, columns, { key: "id", direction: "descending" }).map((r) => r.id)).toEqual([
      3, 2, 1,
    ]);
    expect(sortRows(rows, columns, { key: "name", direction: "ascending" }).map((r) => r.name)).toEqual([
      "Run2",
      "run9",
      "run10",
    ]);
  });

  it("keeps missing values last in both directions", () => {
    expect(sortRows(rows, columns, { key: "score", direction: "ascending" }).map((r) => r.id)).toEqual([
      3, 2, 1,
    ]);
    expect(sortRows(rows, columns, { key: "score", direction: "descending" }).map((r) => r.id)).toEqual([
      2, 3, 1,
    ]);
  });

  it("returns a copy in the original order without a sort or with an unknown column", () => {
    const none = sortRows(rows, columns, null);
    expect(none).toEqual(rows);
    expect(none).not.toBe(rows);
    expect(sortRows(rows, columns, { key: "nope", direction: "ascending" })).toEqual(rows);
  });
});

describe("toggleSort", () => {
  it("flips the direction of the same column and starts another ascending", () => {
    expect(toggleSort(null, "a")).toEqual({ key: "a", direction: "ascending" });
    expect(toggleSort({ key: "a", direction: "ascending" }, "a")).toEqual({
      key: "a",
      direction: "descending",
    });
    expect(toggleSort({ key: "a", direction: "descending" }, "a")).toEqual({
      key: "a",
      direction: "ascending",
    });
    expect(toggleSort({ key: "a", direction: "descending" }, "b")).toEqual({
      key: "b",
      direction: "ascending",
    });
  });
});

describe("filterRows", () => {
  const text = (r: Row) => `${r.id} ${r.name}`;
  const numbers = (r: Row) => [r.id];

  it("keeps rows containing every word, case-insensitively", () => {
    expect(filterRows(rows, "RUN1", text).map((r) => r.id)).toEqual([3]);
    expect(filterRows(rows, "run 2", text).map((r) => r.id)).toEqual([2]);
    expect(filterRows(rows, "   ", text)).toHaveLength(3);
  });

  it("reads A-B as a numeric range", () => {
    expect(filterRows(rows, "2-3", text, numbers).map((r) => r.id)).toEqual([3, 2]);
    expect(filterRows(rows, "5-9", text, numbers)).toEqual([]);
  });
});

describe("formats", () => {
  it("shows missing numbers as a dash", () => {
    expect(formatNumber(null)).toBe("—");
    expect(formatNumber(NaN)).toBe("—");
    expect(formatNumber(3)).toBe("3");
    expect(formatNumber(0.123456)).toBe("0.1235");
    expect(formatPercent(0.71666)).toBe("71.7 %");
    expect(formatPercent(undefined)).toBe("—");
  });

  it("formats times as local date and minute, keeping what it cannot parse", () => {
    expect(formatTime(null)).toBe("—");
    expect(formatTime("not a date")).toBe("not a date");
    expect(formatTime("2026-11-23T13:54:29.000Z")).toMatch(/^2026-11-2\d \d\d:\d\d$/);
  });
});
