/**
 * The service's histogram responses as the run view reads them: the Arrow IPC stream of
 * `GET /datasets/{dataset}/histograms` (columns run, lumisection, entries, data as
 * FixedSizeList<Float32>; binning in the schema metadata), as the kernel library reads it. The bins
 * stay in the received buffer: a response of one record batch is viewed, not copied. Types only from
 * apache-arrow here: the client loads it when the first histograms are fetched (api/client.ts).
 */
import type { Data, FixedSizeList, Float32, Table } from "apache-arrow";
import { decodeHistogramMetadata, interiorSize, isHistogramMetadata } from "@dqm-playground/api-types/wire";
import type { Binning } from "./types";

/** Histograms of one monitor element in one run. */
export interface HistogramSet {
  dataset: string;
  me: string;
  run: number;
  binning: Binning;
  lumisections: Int32Array;
  entries: Float64Array;
  /** Bin contents, `width` values per lumisection; 2D row-major: `values[row * width + y * xbins + x]`. */
  values: Float32Array;
  width: number;
}

/** The `data` column's bins: a view on the received buffer for one record batch, else one copy. */
function binValues(table: Table, width: number): Float32Array {
  const chunks = (table.getChild("data")?.data ?? []) as Data<FixedSizeList<Float32>>[];
  const views = chunks.map((d) =>
    ((d.children[0] as Data<Float32>).values as Float32Array).subarray(0, d.length * width),
  );
  if (views.length === 1) return views[0];
  const out = new Float32Array(table.numRows * width);
  let at = 0;
  for (const v of views) {
    out.set(v, at);
    at += v.length;
  }
  return out;
}

function column<T extends Int32Array | Float64Array>(table: Table, name: string, empty: () => T): T {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`the histogram response has no column '${name}'`);
  return table.numRows === 0 ? empty() : (vector.toArray() as T);
}

/**
 * A histogram response as a `HistogramSet`; `fallback` is the monitor element's binning, used when the
 * response's metadata has none. Refuses rows whose size does not match the binning.
 */
export function histogramSet(
  dataset: string,
  me: string,
  run: number,
  fallback: Binning,
  table: Table,
): HistogramSet {
  const metadata = table.schema.metadata;
  // The binning of the `data` column as the response states it (interior bins: no include_flow asked).
  const binning = isHistogramMetadata(metadata) ? decodeHistogramMetadata(metadata).dataBinning : fallback;
  const width = interiorSize(binning);
  const lumisections = column(table, "lumisection", () => new Int32Array(0));
  const entries = column(table, "entries", () => new Float64Array(0));
  if (table.numRows === 0)
    return { dataset, me, run, binning, lumisections, entries, values: new Float32Array(0), width };
  const size = (table.schema.fields.find((f) => f.name === "data")?.type as Partial<FixedSizeList>)?.listSize;
  if (typeof size !== "number")
    throw new Error(`the histograms of ${me} run ${run} have no FixedSizeList<Float32> column 'data'`);
  if (size !== width)
    throw new Error(
      `histogram of ${me} run ${run} ls ${lumisections[0]} has ${size} bins, expected ${width}`,
    );
  return { dataset, me, run, binning, lumisections, entries, values: binValues(table, width), width };
}
