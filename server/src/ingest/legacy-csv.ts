/**
 * Reader of the ML4DQM legacy per-lumisection CSV (the format the original ML Playground ingests):
 * one histogram per record, `histo` a JSON list with under/overflow. Streams the file through
 * csv-parse, so memory holds a few records, whatever the file size.
 */
import fs from "node:fs";
import { Readable, pipeline } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { InputError } from "../errors";
import {
  METYPE_NAMES,
  dimensionOfMetype,
  fullSize,
  splitFlow,
  type Binning,
  type HistogramRecord,
} from "../histograms/record";
import { inputFileError, jsonErrorReason } from "./input-files";
import { binCount, describeValue, nonNegativeInteger, numberFromText, type Checked } from "./values";

export const LEGACY_CSV_COLUMNS = [
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
type Column = (typeof LEGACY_CSV_COLUMNS)[number];

/** A record longer than this is refused (an unterminated quote would otherwise swallow the whole file). */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

/** Reads a legacy CSV file; `source.file` of each record and every error name `path` as given. */
export async function* readLegacyCsv(path: string): AsyncGenerator<HistogramRecord> {
  yield* parseLegacyCsv(fs.createReadStream(path), path);
}

/** Same as `readLegacyCsv` on any byte or text stream (an upload); `file` names it in errors. */
export async function* parseLegacyCsv(
  input: Readable | AsyncIterable<string | Uint8Array>,
  file: string,
): AsyncGenerator<HistogramRecord> {
  const source = input instanceof Readable ? input : Readable.from(input);
  const parser = parse({ info: true, bom: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS });
  // pipeline forwards a read error (no such file) into the parser, where the loop below sees it,
  // and destroys the file stream when the consumer stops early.
  pipeline(source, parser, () => undefined);
  let columns: Map<Column, number> | undefined;
  let headerLength = 0;
  let lastLine = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      // info.lines is the line where the record ends; a quoted field may span lines.
      const line = info.lines - countNewlines(record);
      lastLine = info.lines;
      if (columns === undefined) {
        columns = headerColumns(record, file);
        headerLength = record.length;
        continue;
      }
      yield toRecord(record, columns, { file, line });
    }
  } catch (e) {
    throw csvError(e, file, lastLine, headerLength);
  }
  if (columns === undefined)
    throw new InputError(`empty file, expected a header: ${LEGACY_CSV_COLUMNS.join(",")}`, { file, line: 1 });
}

function countNewlines(record: string[]): number {
  let n = 0;
  for (const field of record) for (let i = field.indexOf("\n"); i !== -1; i = field.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Finds the columns by name. A pandas index written before the columns repeats some names
 * (the later occurrence wins: the index copies hold the same values) or adds an unnamed column.
 */
function headerColumns(header: string[], file: string): Map<Column, number> {
  const byName = new Map<string, number>();
  header.forEach((name, i) => byName.set(name.trim(), i));
  const columns = new Map<Column, number>();
  const missing: string[] = [];
  for (const name of LEGACY_CSV_COLUMNS) {
    const i = byName.get(name);
    if (i === undefined) missing.push(name);
    else columns.set(name, i);
  }
  if (missing.length > 0)
    throw new InputError(
      `header lacks column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; expected ${LEGACY_CSV_COLUMNS.join(",")}`,
      { file, line: 1 },
    );
  return columns;
}

function toRecord(
  fields: string[],
  columns: Map<Column, number>,
  where: { file: string; line: number },
): HistogramRecord {
  const text = (name: Column): string => fields[columns.get(name) ?? -1] ?? "";
  const value = (name: Column, check: (c: Checked) => Checked = (c) => c): number => {
    const c = check(numberFromText(name, text(name)));
    if (!c.ok) throw new InputError(c.reason, { ...where, column: name });
    return c.value;
  };
  const run = value("fromrun", (c) => nonNegativeInteger("fromrun", c));
  const lumisection = value("fromlumi", (c) => nonNegativeInteger("fromlumi", c));
  const me = text("hname").trim();
  if (me === "")
    throw new InputError("hname is empty, expected a monitor element name", { ...where, column: "hname" });
  const metype = value("metype");
  const dim = Number.isInteger(metype) ? dimensionOfMetype(metype) : undefined;
  if (dim === undefined)
    throw new InputError(
      `metype is ${metype}, expected 3, 4, 5 (1D: TH1F, TH1S, TH1D) or 6, 7, 8 (2D: TH2F, TH2S, TH2D)`,
      { ...where, column: "metype" },
    );
  const xbins = value("Xbins", (c) => binCount("Xbins", c));
  const binning: Binning = {
    dim,
    xmin: value("Xmin"),
    xmax: value("Xmax"),
    xbins,
    // 1D rows carry 1, 0, 1 here; the convention of record.ts is the same, whatever the file says.
    ymin: dim === 1 ? 0 : value("Ymin"),
    ymax: dim === 1 ? 1 : value("Ymax"),
    ybins: dim === 1 ? 1 : value("Ybins", (c) => binCount("Ybins", c)),
  };
  const entries = value("entries");
  const full = histoValues(text("histo"), binning, { ...where, column: "histo" });
  const { data, flow } = splitFlow(full, binning);
  return { run, lumisection, me, kind: METYPE_NAMES[metype], binning, entries, data, flow, source: where };
}

function histoValues(
  text: string,
  b: Binning,
  where: { file: string; line: number; column: string },
): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `histo is not valid JSON (${jsonErrorReason(e)}), expected a list of numbers`,
      where,
    );
  }
  if (!Array.isArray(parsed))
    throw new InputError(`histo is ${describeValue(parsed)}, expected a JSON list of numbers`, where);
  for (let i = 0; i < parsed.length; i++) {
    const v: unknown = parsed[i];
    if (typeof v !== "number")
      throw new InputError(`histo value ${i} (0-based) is ${describeValue(v)}, expected a number`, where);
  }
  const expected = fullSize(b);
  if (parsed.length !== expected) {
    const layout =
      b.dim === 1
        ? `Xbins ${b.xbins} + under/overflow`
        : `(Xbins ${b.xbins} + 2) x (Ybins ${b.ybins} + 2), with under/overflow`;
    throw new InputError(`histo has ${parsed.length} values, expected ${expected} (${layout})`, where);
  }
  return parsed as number[];
}

/** csv-parse's structural errors (a truncated last record, a stray quote) as InputErrors with the line. */
function csvError(e: unknown, file: string, lastLine: number, headerLength: number): unknown {
  if (!(e instanceof CsvError)) return inputFileError(e, file);
  const at = typeof e.lines === "number" ? e.lines : lastLine + 1;
  switch (e.code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH": {
      const got = Array.isArray(e.record) ? e.record.length : "a different number of";
      return new InputError(
        `record has ${got} fields, expected ${headerLength} as in the header (truncated file?)`,
        {
          file,
          line: at,
        },
      );
    }
    case "CSV_QUOTE_NOT_CLOSED":
      // The quote opened in the record after the last complete one; csv-parse reports the last line.
      return new InputError("quoted field is not closed at the end of the file (truncated file?)", {
        file,
        line: lastLine + 1,
      });
    case "CSV_MAX_RECORD_SIZE":
      return new InputError(`record is longer than ${MAX_RECORD_CHARS} characters (unclosed quote?)`, {
        file,
        line: lastLine + 1,
      });
    default:
      return new InputError(`malformed CSV: ${e.message}`, { file, line: at });
  }
}
