/**
 * One row of the legacy ML4DQM column layout (`fromrun, fromlumi, hname, metype, histo, entries,
 * Xmin, Xmax, Xbins, Ymin, Ymax, Ybins`) as a HistogramRecord, whatever the container: the CSV
 * reader hands text fields (`histo` a JSON list string), the Parquet reader typed values (`histo` a
 * list column). Variants written by the ML4DQM tools, all accepted:
 *
 * - `histo` with under/overflow (Xbins+2 values for 1D, (Xbins+2)*(Ybins+2) for 2D, row-major over
 *   (Ybins+2, Xbins+2)) or without (Xbins, or Xbins*Ybins row-major over (Ybins, Xbins)), told apart
 *   per row by its length. A row without them is stored as DIALS rows are (flow null).
 * - 1D rows with any Y columns (1, 0, 1 in the CSV dumps, Ybins 0 in some Parquet files).
 * - `hname` the short name or the full path with `/` replaced by `_`: stored as given (the slashes
 *   cannot be restored, `_` occurs in names too).
 */
import {
  METYPE_NAMES,
  dimensionOfMetype,
  fullSize,
  interiorSize,
  splitFlow,
  type Binning,
  type HistogramRecord,
} from "../histograms/record";
import { jsonErrorReason } from "./input-files";
import { recordSource, rowError, type LegacyColumn, type RowPlace } from "./rows";
import {
  binCount,
  describeValue,
  meNameProblem,
  nonNegativeInteger,
  numberFromText,
  numberFromValue,
  type Checked,
} from "./values";

/** A legacy-column row seen through its column names: CSV text, or Arrow values. */
export type LegacyRowGetter = (column: LegacyColumn) => unknown;

/** A text field (CSV) is read as a decimal number; a typed value (Parquet: number, bigint) as is. */
function numberOf(name: string, v: unknown): Checked {
  return typeof v === "string" ? numberFromText(name, v) : numberFromValue(name, v);
}

function isList(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Validates one legacy-column row and turns it into a record. */
export function legacyRecord(get: LegacyRowGetter, place: RowPlace): HistogramRecord {
  const value = (name: LegacyColumn, check: (c: Checked) => Checked = (c) => c): number => {
    const c = check(numberOf(name, get(name)));
    if (!c.ok) throw rowError(place, name, c.reason);
    return c.value;
  };
  const run = value("fromrun", (c) => nonNegativeInteger("fromrun", c));
  const lumisection = value("fromlumi", (c) => nonNegativeInteger("fromlumi", c));
  const hname: unknown = get("hname");
  const me = typeof hname === "string" ? hname.trim() : "";
  if (me === "")
    throw rowError(
      place,
      "hname",
      typeof hname === "string"
        ? "hname is empty, expected a monitor element name"
        : `hname is ${describeValue(hname)}, expected a monitor element name`,
    );
  const nameProblem = meNameProblem(me);
  if (nameProblem) throw rowError(place, "hname", `hname ${nameProblem}`);
  const metype = value("metype");
  const dim = Number.isInteger(metype) ? dimensionOfMetype(metype) : undefined;
  if (dim === undefined)
    throw rowError(
      place,
      "metype",
      `metype is ${metype}, expected 3, 4, 5 (1D: TH1F, TH1S, TH1D) or 6, 7, 8 (2D: TH2F, TH2S, TH2D)`,
    );
  const binning: Binning = {
    dim,
    xmin: value("Xmin"),
    xmax: value("Xmax"),
    xbins: value("Xbins", (c) => binCount("Xbins", c)),
    // 1D rows carry 1, 0, 1 (or Ybins 0) here; the convention of record.ts is the same, whatever the file says.
    ymin: dim === 1 ? 0 : value("Ymin"),
    ymax: dim === 1 ? 1 : value("Ymax"),
    ybins: dim === 1 ? 1 : value("Ybins", (c) => binCount("Ybins", c)),
  };
  const entries = value("entries");
  const values = histoValues(get("histo"), binning, (message) => rowError(place, "histo", message));
  const kind = METYPE_NAMES[metype];
  const source = recordSource(place);
  if (values.length === fullSize(binning)) {
    const { data, flow } = splitFlow(values, binning);
    return { run, lumisection, me, kind, binning, entries, data, flow, source };
  }
  return { run, lumisection, me, kind, binning, entries, data: values, flow: null, source };
}

/**
 * `histo` as numbers: a JSON list string (CSV) or a list (Parquet), of either length (with or without
 * under/overflow). Float32, as stored.
 */
function histoValues(v: unknown, b: Binning, fail: (message: string) => Error): Float32Array {
  let list: unknown = v;
  if (typeof v === "string") {
    try {
      list = JSON.parse(v);
    } catch (e) {
      throw fail(`histo is not valid JSON (${jsonErrorReason(e)}), expected a list of numbers`);
    }
    if (!Array.isArray(list)) throw fail(`histo is ${describeValue(list)}, expected a JSON list of numbers`);
  }
  if (!isList(list)) throw fail(`histo is ${describeValue(list)}, expected a list of numbers`);
  const full = fullSize(b);
  const interior = interiorSize(b);
  if (list.length !== full && list.length !== interior) {
    const layouts =
      b.dim === 1
        ? `${full} (Xbins ${b.xbins} + under/overflow) or ${interior} (Xbins ${b.xbins}, without under/overflow)`
        : `${full} ((Xbins ${b.xbins} + 2) x (Ybins ${b.ybins} + 2), with under/overflow) or ${interior} (Xbins ${b.xbins} x Ybins ${b.ybins}, without)`;
    throw fail(`histo has ${list.length} values, expected ${layouts}`);
  }
  const out = new Float32Array(list.length);
  if (list instanceof Float64Array || list instanceof Float32Array) {
    for (let i = 0; i < list.length; i++)
      if (!Number.isFinite(list[i]))
        throw fail(`histo value ${i} (0-based) is ${list[i]}, expected a finite number`);
    out.set(list);
    return out;
  }
  for (let i = 0; i < list.length; i++) {
    const c = numberFromValue(`histo value ${i} (0-based)`, list[i]);
    if (!c.ok) throw fail(c.reason);
    out[i] = c.value;
  }
  return out;
}
