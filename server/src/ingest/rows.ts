/**
 * What the table readers (CSV, Parquet, JSON rows) share: where a row is, how its errors name that
 * place, and which of the two column layouts a header is.
 *
 * - DIALS layout: `me, run_number, ls_number, x_min, x_max, x_bin, (y_min, y_max, y_bin), entries, data`,
 *   `data` without under/overflow.
 * - Legacy ML4DQM layout: `fromrun, fromlumi, hname, metype, histo, entries, Xmin, Xmax, Xbins, Ymin,
 *   Ymax, Ybins`, `histo` with or without under/overflow (see legacy-row.ts).
 */
import { InputError } from "../errors";
import type { HistogramRecord } from "../histograms/record";

export const DIALS_COLUMNS = [
  "me",
  "run_number",
  "ls_number",
  "x_min",
  "x_max",
  "x_bin",
  "entries",
  "data",
] as const;
export const DIALS_2D_COLUMNS = ["y_min", "y_max", "y_bin"] as const;

export const LEGACY_COLUMNS = [
  "fromrun",
  "fromlumi",
  "hname",
  "metype",
  "histo",
  "entries",
  "Xmax",
  "Xmin",
  "Xbins",
  "Ymax",
  "Ymin",
  "Ybins",
] as const;
export type LegacyColumn = (typeof LEGACY_COLUMNS)[number];

/** Where a row is: a line of a text file (CSV, JSON Lines), or a row number of a JSON array or Parquet file. */
export type RowPlace = { file: string; line: number } | { file: string; row: number };

/** A row seen through its column names, whatever the container (CSV record, JSON object, Arrow table). */
export type RowGetter = (column: string) => unknown;

/** An error at a row: "file, line N, column 'c': ..." or, for rows without lines, "file, column 'c': row N: ...". */
export function rowError(place: RowPlace, column: string | undefined, message: string): InputError {
  if ("line" in place) return new InputError(message, { file: place.file, line: place.line, column });
  return new InputError(`row ${place.row}: ${message}`, { file: place.file, column });
}

/** `HistogramRecord.source` of a row. */
export function recordSource(place: RowPlace): HistogramRecord["source"] {
  return "line" in place
    ? { file: place.file, line: place.line }
    : { file: place.file, line: place.row, row: place.row };
}

export type ColumnLayout = "dials" | "legacy";

/**
 * The layout of a table by its column names: the one whose columns are all there. When neither is
 * complete, the error names the missing columns of the nearer one (or both lists when the header has
 * none of either). `where` says where the header is (a CSV's line 1; nothing for Parquet).
 */
export function columnLayout(
  names: Iterable<string>,
  where: { file: string; line?: number },
  style: "csv" | "table",
): ColumnLayout {
  const have = new Set(names);
  const dialsMissing: string[] = DIALS_COLUMNS.filter((c) => !have.has(c));
  if (have.has("y_bin")) dialsMissing.push(...DIALS_2D_COLUMNS.filter((c) => !have.has(c)));
  const legacyMissing: string[] = LEGACY_COLUMNS.filter((c) => !have.has(c));
  if (dialsMissing.length === 0) return "dials";
  if (legacyMissing.length === 0) return "legacy";
  const s = (n: string[]) => (n.length > 1 ? "s" : "");
  const dialsFound = DIALS_COLUMNS.length - dialsMissing.length;
  const legacyFound = LEGACY_COLUMNS.length - legacyMissing.length;
  // `entries` belongs to both layouts: it alone says nothing about which one was meant.
  if (dialsFound <= 1 && legacyFound <= 1)
    throw new InputError(
      `columns fit neither layout: expected the DIALS columns ${DIALS_COLUMNS.join(",")} ` +
        `(y_min,y_max,y_bin for 2D) or the legacy ML4DQM columns ${LEGACY_COLUMNS.join(",")}`,
      where,
    );
  if (legacyFound > dialsFound) {
    if (style === "csv")
      throw new InputError(
        `header lacks column${s(legacyMissing)} ${legacyMissing.join(", ")}; expected ${LEGACY_COLUMNS.join(",")} (legacy ML4DQM layout) or the DIALS columns ${DIALS_COLUMNS.join(",")}`,
        where,
      );
    throw new InputError(
      `missing column${s(legacyMissing)} ${legacyMissing.join(", ")} of the legacy ML4DQM layout (${LEGACY_COLUMNS.join(", ")})`,
      where,
    );
  }
  if (style === "csv")
    throw new InputError(
      `header lacks column${s(dialsMissing)} ${dialsMissing.join(", ")}; expected ${DIALS_COLUMNS.join(",")} (DIALS layout) or the legacy ML4DQM columns ${LEGACY_COLUMNS.join(",")}`,
      where,
    );
  throw new InputError(
    `missing column${s(dialsMissing)} ${dialsMissing.join(", ")} of the DIALS layout (${DIALS_COLUMNS.join(", ")})`,
    where,
  );
}
