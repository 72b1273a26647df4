/**
 * Reading the tables the service sends: task splits (one FixedSizeList<Float32> column per monitor
 * element, `<me>:entries`, `label` on train; binning JSON and `include_flow` in the schema metadata)
 * and histogram responses (columns `run, lumisection, entries, data`; `me`, `dim`, `x_bin`, ... and
 * `include_flow` in the metadata, the binning extended by the flow bins when they are included).
 * Everything here returns views on the Arrow buffers; nothing is copied row by row.
 */
import { DataType, type Data, type FixedSizeList, type Float32, type Table } from "apache-arrow";
import {
  SPLIT_METADATA,
  decodeHistogramMetadata,
  decodeSplitMetadata,
  isHistogramMetadata,
} from "@dqm-playground/api-types/wire";
import { fullSize, interiorSize, type Binning } from "./binning";

/** Where one monitor element's bins are in a table. */
export interface MeColumn {
  me: string;
  /** Column name: the monitor element in a split, `data` in a histogram response. */
  column: string;
  /** Column of the entries: `<me>:entries` or `entries`; null when absent. */
  entriesColumn: string | null;
  /** Interior binning. */
  binning: Binning;
  /** Whether the stored rows include under/overflow bins. */
  flowStored: boolean;
  /** Bins per stored row. */
  width: number;
}

/** One record batch's bins of a FixedSizeList<Float32> column: a view, `length * width` values. */
export interface BinChunk {
  values: Float32Array;
  length: number;
}

function metadata(table: Table): Map<string, string> {
  return table.schema.metadata;
}

/** True for a histogram response (`GET /datasets/{dataset}/histograms`), false for a task split. */
export function isHistogramTable(table: Table): boolean {
  return isHistogramMetadata(metadata(table)) && table.schema.fields.some((f) => f.name === "data");
}

/** Monitor elements whose bins the table holds, in column order. */
export function monitorElements(table: Table): string[] {
  if (isHistogramTable(table)) return [decodeHistogramMetadata(metadata(table)).me ?? "data"];
  return table.schema.fields.filter((f) => DataType.isFixedSizeList(f.type)).map((f) => f.name);
}

function listSize(table: Table, column: string): number {
  const field = table.schema.fields.find((f) => f.name === column);
  if (!field || !DataType.isFixedSizeList(field.type))
    throw new Error(`column '${column}' is not a FixedSizeList<Float32> column of histogram bins`);
  return (field.type as FixedSizeList).listSize;
}

/** Locates a monitor element's bins, binning and flow layout in a split or histogram table. */
export function meColumn(table: Table, me?: string): MeColumn {
  const meta = metadata(table);
  const names = monitorElements(table);
  if (isHistogramTable(table)) {
    const histogram = decodeHistogramMetadata(meta);
    if (me !== undefined && me !== names[0] && me !== "data")
      throw new Error(`this histogram table holds '${names[0]}', not '${me}'`);
    return {
      me: names[0],
      column: "data",
      entriesColumn: table.schema.fields.some((f) => f.name === "entries") ? "entries" : null,
      // the metadata's binning counts the flow bins when they are included: the interior one
      binning: histogram.binning,
      flowStored: histogram.includeFlow,
      width: listSize(table, "data"),
    };
  }
  const name = me ?? names[0];
  if (name === undefined) throw new Error("the table has no histogram column (FixedSizeList<Float32>)");
  if (!names.includes(name))
    throw new Error(`no monitor element '${name}' in this table; it has: ${names.join(", ") || "(none)"}`);
  const width = listSize(table, name);
  const split = decodeSplitMetadata(meta);
  const flowStored = split.includeFlow;
  let binning: Binning | undefined = split.binning?.[name];
  // Without binning metadata: a 1D histogram of `width` bins (minus the flow bins if stored).
  binning ??= { dim: 1, xmin: 0, xmax: 1, xbins: flowStored ? width - 2 : width, ymin: 0, ymax: 1, ybins: 1 };
  const expected = flowStored ? fullSize(binning) : interiorSize(binning);
  if (expected !== width)
    throw new Error(
      `column '${name}' has ${width} bins per row but its binning says ${expected} (include_flow=${flowStored})`,
    );
  const entries = `${name}:entries`;
  return {
    me: name,
    column: name,
    entriesColumn: table.schema.fields.some((f) => f.name === entries) ? entries : null,
    binning,
    flowStored,
    width,
  };
}

/** The column's bins per record batch, each a view on the received buffer. */
export function binChunks(table: Table, col: Pick<MeColumn, "column" | "width">): BinChunk[] {
  const vector = table.getChild(col.column);
  if (!vector) throw new Error(`no column '${col.column}'`);
  return (vector.data as Data<FixedSizeList<Float32>>[]).map((d) => {
    // A sliced child's values are already its own subarray (apache-arrow slices the buffer).
    const child = d.children[0] as Data<Float32>;
    return { values: (child.values as Float32Array).subarray(0, d.length * col.width), length: d.length };
  });
}

/** A numeric column as one typed array: a view for one record batch, else one concatenated copy. */
export function numericColumn(table: Table, name: string): Float64Array | Int32Array | Int8Array {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`the table has no column '${name}'`);
  return vector.toArray() as Float64Array | Int32Array | Int8Array;
}

/** Runs and lumisections of every row. */
export function lumisectionColumns(table: Table): { runs: Int32Array; lumisections: Int32Array } {
  return {
    runs: numericColumn(table, "run") as Int32Array,
    lumisections: numericColumn(table, "lumisection") as Int32Array,
  };
}

/**
 * The train labels (1 = bad, 0 = good), a view on the column; of the given rows only (a copy, in
 * that order) when `rows` is set, e.g. a FeatureMatrix's `index.tableRows` or a holdout's rows.
 */
export function labels(table: Table, rows?: ArrayLike<number> | null): Uint8Array {
  if (!table.schema.fields.some((f) => f.name === "label")) {
    const split = metadata(table).get(SPLIT_METADATA.split);
    throw new Error(
      `this table has no label column${split ? ` (it is the ${split} split)` : ""}: labels come only with the train split`,
    );
  }
  const raw = numericColumn(table, "label");
  const all = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  if (!rows) return all;
  const out = new Uint8Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    if (!(rows[k] >= 0 && rows[k] < all.length))
      throw new RangeError(`row ${rows[k]} is outside 0..${all.length - 1}`);
    out[k] = all[rows[k]];
  }
  return out;
}

/** Whether the table carries labels (a train split). */
export function hasLabels(table: Table): boolean {
  return table.schema.fields.some((f) => f.name === "label");
}
