/**
 * Readers of DIALS-style per-lumisection histogram rows, as JSON (an array, an API page with
 * `results`, or JSON Lines) or as Parquet (which may also hold the legacy ML4DQM columns, read
 * through legacy-row.ts). DIALS rows' under/overflow are already dropped (flow = null); 2D
 * `data` is `data[y][x]` (nested) or flat row-major.
 *
 * The `dataset` column is not read: the caller names the data set, and rows of a file may carry
 * different `dataset` values (a DIALS query over several) without that being an error.
 *
 * Locations: JSON Lines errors name the line; JSON arrays and Parquet have no useful line, so their
 * errors say "row N" (1-based, counting rows over the whole file) and `source.line` holds N.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import readline from "node:readline";
import { tableFromIPC, type Table, type Vector } from "apache-arrow";
import { ParquetFile } from "parquet-wasm/node";
import { InputError } from "../errors";
import type { Binning, HistogramRecord } from "../histograms/record";
import { inputFileError, parseJsonText, readInputText } from "./input-files";
import { legacyRecord } from "./legacy-row";
import {
  DIALS_2D_COLUMNS,
  DIALS_COLUMNS,
  LEGACY_COLUMNS,
  columnLayout,
  recordSource,
  rowError,
  type LegacyColumn,
  type RowGetter,
  type RowPlace,
} from "./rows";
import {
  binCount,
  describeValue,
  meNameProblem,
  nonNegativeInteger,
  numberFromValue,
  type Checked,
} from "./values";

export { DIALS_COLUMNS, DIALS_2D_COLUMNS };

/** Reads DIALS rows from JSON: `.jsonl` / `.ndjson` stream line by line, anything else is parsed whole. */
export async function* readDialsJson(path: string): AsyncGenerator<HistogramRecord> {
  if (/\.(jsonl|ndjson)$/i.test(path)) {
    yield* readDialsJsonLines(path);
    return;
  }
  // A JSON document is parsed whole (no streaming JSON parser here): use JSON Lines or Parquet for big files.
  const doc = parseJsonText(await readInputText(path), path);
  const rows: unknown = Array.isArray(doc) ? doc : isObject(doc) ? doc.results : undefined;
  if (!Array.isArray(rows))
    throw new InputError(
      `expected a JSON array of rows or an object with a "results" array, got ${describeValue(doc)}`,
      { file: path, line: 1 },
    );
  for (let i = 0; i < rows.length; i++) {
    const place = { file: path, row: i + 1 };
    yield dialsRecord(objectRow(rows[i] as unknown, place), place);
  }
}

async function* readDialsJsonLines(path: string): AsyncGenerator<HistogramRecord> {
  const input = fs.createReadStream(path, { encoding: "utf8" });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === "") continue;
      const place = { file: path, line };
      const json = line === 1 ? text.replace(/^\ufeff/, "") : text;
      yield dialsRecord(objectRow(parseJsonText(json, path, line - 1), place), place);
    }
  } catch (e) {
    throw inputFileError(e, path);
  } finally {
    lines.close();
    input.destroy();
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function objectRow(v: unknown, place: RowPlace): RowGetter {
  if (!isObject(v))
    throw rowError(
      place,
      undefined,
      `row is ${describeValue(v)}, expected an object with the columns ${DIALS_COLUMNS.join(", ")}`,
    );
  return (column) => v[column];
}

/**
 * Reads histogram rows from Parquet, in the DIALS layout or the legacy ML4DQM columns (told by the
 * schema; legacy rows through legacy-row.ts), one row group at a time (the file is opened as a Blob,
 * so only the row group being read is in memory, plus the footer). Only the columns used are decoded.
 */
export async function* readHistogramParquet(path: string): AsyncGenerator<HistogramRecord> {
  let blob: Blob;
  try {
    // openAsBlob's own error hides the cause (no such file), so the file is opened once first.
    await (await fsp.open(path)).close();
    blob = await fs.openAsBlob(path);
  } catch (e) {
    throw inputFileError(e, path);
  }
  let file: ParquetFile;
  try {
    file = await ParquetFile.fromFile(blob);
  } catch (e) {
    throw new InputError(`not a Parquet file: ${errorText(e)}`, { file: path });
  }
  try {
    const names = new Set(arrowSchemaNames(file));
    const layout = columnLayout(names, { file: path }, "table");
    const columns: string[] =
      layout === "legacy"
        ? [...LEGACY_COLUMNS]
        : [...DIALS_COLUMNS, ...DIALS_2D_COLUMNS.filter((c) => names.has(c))];
    const groups = file.metadata().numRowGroups();
    let row = 0;
    for (let g = 0; g < groups; g++) {
      const table = await readRowGroup(file, g, columns, path);
      const vectors = new Map(columns.map((c) => [c, table.getChild(c)]));
      for (let i = 0; i < table.numRows; i++) {
        const place = { file: path, row: ++row };
        const get = (c: string) => arrowCell(vectors.get(c)?.get(i));
        yield layout === "legacy"
          ? legacyRecord((c: LegacyColumn) => get(c), place)
          : dialsRecord(get, place);
      }
    }
  } finally {
    file.free();
  }
}

/** The former name of `readHistogramParquet` (which reads DIALS rows and, now, legacy-column rows too). */
export const readDialsParquet = readHistogramParquet;

async function readRowGroup(
  file: ParquetFile,
  group: number,
  columns: string[],
  path: string,
): Promise<Table> {
  try {
    return tableFromIPC((await file.read({ rowGroups: [group], columns })).intoIPCStream());
  } catch (e) {
    throw new InputError(`cannot decode row group ${group + 1}: ${errorText(e)}`, { file: path });
  }
}

function arrowSchemaNames(file: ParquetFile): string[] {
  const table: Table = tableFromIPC(file.schema().intoIPCStream());
  return table.schema.fields.map((f) => f.name);
}

function isVector(v: unknown): v is Vector {
  return typeof v === "object" && v !== null && "toArray" in v && "nullCount" in v && "get" in v;
}

/** An Arrow cell as plain values: lists become typed arrays (nested lists arrays of them). */
function arrowCell(v: unknown): unknown {
  if (!isVector(v)) return v;
  if (v.nullCount > 0) return Array.from({ length: v.length }, (_, i) => arrowCell(v.get(i) as unknown));
  const first: unknown = v.length > 0 ? v.get(0) : undefined;
  if (isVector(first)) return Array.from({ length: v.length }, (_, i) => arrowCell(v.get(i) as unknown));
  return v.toArray() as unknown;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Validates one DIALS row and turns it into a record (also used for DIALS-layout CSV records). */
export function dialsRecord(get: RowGetter, place: RowPlace): HistogramRecord {
  const value = (name: string, check: (c: Checked) => Checked = (c) => c): number => {
    const c = check(numberFromValue(name, get(name)));
    if (!c.ok) throw rowError(place, name, c.reason);
    return c.value;
  };
  const me: unknown = get("me");
  if (typeof me !== "string" || me.trim() === "")
    throw rowError(place, "me", `me is ${describeValue(me)}, expected a monitor element name`);
  const nameProblem = meNameProblem(me);
  if (nameProblem) throw rowError(place, "me", `me ${nameProblem}`);
  const run = value("run_number", (c) => nonNegativeInteger("run_number", c));
  const lumisection = value("ls_number", (c) => nonNegativeInteger("ls_number", c));
  const yBin: unknown = get("y_bin");
  const dim = yBin === undefined || yBin === null ? 1 : 2;
  const binning: Binning = {
    dim,
    xmin: value("x_min"),
    xmax: value("x_max"),
    xbins: value("x_bin", (c) => binCount("x_bin", c)),
    ymin: dim === 1 ? 0 : value("y_min"),
    ymax: dim === 1 ? 1 : value("y_max"),
    ybins: dim === 1 ? 1 : value("y_bin", (c) => binCount("y_bin", c)),
  };
  const entries = value("entries");
  const data = dialsData(get("data"), binning, (message) => rowError(place, "data", message));
  return { run, lumisection, me, binning, entries, data, flow: null, source: recordSource(place) };
}

type Fail = (message: string) => InputError;

function isList(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** `data` flat (x_bin or x_bin * y_bin values) or, for 2D, nested `data[y][x]`, as Float32 row-major. */
function dialsData(v: unknown, b: Binning, fail: Fail): Float32Array {
  if (!isList(v)) throw fail(`data is ${describeValue(v)}, expected a list of numbers`);
  const nested = v.length > 0 && isList(v[0]);
  if (!nested) {
    const expected = b.xbins * b.ybins;
    if (v.length !== expected) {
      const layout = b.dim === 1 ? `x_bin ${b.xbins}` : `x_bin ${b.xbins} x y_bin ${b.ybins}`;
      throw fail(`data has ${v.length} values, expected ${expected} (${layout}, without under/overflow)`);
    }
    const out = new Float32Array(expected);
    copyNumbers(v, out, 0, (i) => `data value ${i} (0-based)`, fail);
    return out;
  }
  if (b.dim === 1)
    throw fail("data is a nested list (2D) but y_bin is missing, expected a flat list for a 1D histogram");
  if (v.length !== b.ybins)
    throw fail(`data has ${v.length} rows, expected y_bin ${b.ybins} rows of x_bin ${b.xbins} values`);
  const out = new Float32Array(b.xbins * b.ybins);
  for (let y = 0; y < v.length; y++) {
    const rowValues = v[y];
    if (!isList(rowValues))
      throw fail(`data row ${y} (0-based) is ${describeValue(rowValues)}, expected a list of numbers`);
    if (rowValues.length !== b.xbins)
      throw fail(`data row ${y} (0-based) has ${rowValues.length} values, expected x_bin ${b.xbins}`);
    copyNumbers(rowValues, out, y * b.xbins, (i) => `data[${y}][${i}]`, fail);
  }
  return out;
}

function copyNumbers(
  from: ArrayLike<unknown>,
  to: Float32Array,
  offset: number,
  name: (i: number) => string,
  fail: Fail,
): void {
  if (from instanceof Float64Array || from instanceof Float32Array) {
    for (let i = 0; i < from.length; i++)
      if (!Number.isFinite(from[i])) throw fail(`${name(i)} is ${from[i]}, expected a finite number`);
    to.set(from, offset);
    return;
  }
  for (let i = 0; i < from.length; i++) {
    const c = numberFromValue(name(i), from[i]);
    if (!c.ok) throw fail(c.reason);
    to[offset + i] = c.value;
  }
}
