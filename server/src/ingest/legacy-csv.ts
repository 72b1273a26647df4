/**
 * Reader of per-lumisection histogram CSV files: the ML4DQM legacy layout (the format the original ML
 * Playground ingests: one histogram per record, `histo` a JSON list with or without under/overflow)
 * or the DIALS columns (`data` a JSON list, `y_min, y_max, y_bin` empty for 1D rows). The layout is
 * told by the header. Streams the file through csv-parse, so memory holds a few records, whatever
 * the file size.
 */
import fs from "node:fs";
import { Readable, pipeline } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { InputError } from "../errors";
import type { HistogramRecord } from "../histograms/record";
import { dialsRecord } from "./dials";
import { inputFileError, jsonErrorReason } from "./input-files";
import { legacyRecord } from "./legacy-row";
import { LEGACY_COLUMNS, columnLayout, rowError, type LegacyColumn, type RowPlace } from "./rows";
import { numberFromText } from "./values";

export const LEGACY_CSV_COLUMNS = LEGACY_COLUMNS;

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
  let toRecord: ((fields: string[], place: RowPlace) => HistogramRecord) | undefined;
  let headerLength = 0;
  let lastLine = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      // info.lines is the line where the record ends; a quoted field may span lines.
      const line = info.lines - countNewlines(record);
      lastLine = info.lines;
      if (toRecord === undefined) {
        toRecord = recordReader(record, file);
        headerLength = record.length;
        continue;
      }
      yield toRecord(record, { file, line });
    }
  } catch (e) {
    throw csvError(e, file, lastLine, headerLength);
  }
  if (toRecord === undefined)
    throw new InputError(`empty file, expected a header: ${LEGACY_COLUMNS.join(",")}`, { file, line: 1 });
}

function countNewlines(record: string[]): number {
  let n = 0;
  for (const field of record) for (let i = field.indexOf("\n"); i !== -1; i = field.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * The record reader for a header: legacy or DIALS columns, found by name. A pandas index written
 * before the columns repeats some names (the later occurrence wins: the index copies hold the same
 * values) or adds an unnamed column.
 */
function recordReader(
  header: string[],
  file: string,
): (fields: string[], place: RowPlace) => HistogramRecord {
  const byName = new Map<string, number>();
  header.forEach((name, i) => byName.set(name.trim(), i));
  const layout = columnLayout(byName.keys(), { file, line: 1 }, "csv");
  if (layout === "legacy")
    return (fields, place) => legacyRecord((c: LegacyColumn) => fields[byName.get(c) ?? -1] ?? "", place);
  return (fields, place) => dialsRecord((c) => dialsCsvValue(c, fields[byName.get(c) ?? -1], place), place);
}

/**
 * A DIALS column of a CSV record as the JSON value the DIALS row mapping expects: `data` parsed as
 * JSON, numbers as numbers, an empty field (or one the row lacks) as missing.
 */
function dialsCsvValue(column: string, text: string | undefined, place: RowPlace): unknown {
  if (text === undefined || text.trim() === "") return undefined;
  if (column === "me" || column === "dataset") return text;
  if (column === "data") {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw rowError(
        place,
        column,
        `data is not valid JSON (${jsonErrorReason(e)}), expected a list of numbers`,
      );
    }
  }
  const c = numberFromText(column, text);
  return c.ok ? c.value : text;
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
