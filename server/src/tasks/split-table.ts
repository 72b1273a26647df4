/**
 * Builds a task split as Arrow record batches: one row per lumisection (sorted by run, lumisection),
 * OMS metadata columns, one FixedSizeList<Float32> column of bins and one entries column per monitor
 * element, and (train only) the label. Bins are copied once from the stored blocks into one
 * contiguous Float32Array per monitor element.
 */
import { Bool, Field, Float64, Int8, makeData, RecordBatch, Schema, type Data } from "apache-arrow";
import type { Store } from "../store/store";
import { histogramBatches } from "../store/histogram-read";
import { batchFromColumns, binsData, binsType, float64Data, int32Data } from "../histograms/arrow-layout";
import { fullSize, interiorSize } from "../histograms/record";
import { lumiKey, type LumiKey, type LumisectionMeta } from "../store/lumisections";
import type { MonitorElement } from "../store/datasets";

/** Rows per record batch of a split file: large enough for fast reads, small enough to stream. */
const ROWS_PER_BATCH = 65536;

export interface SplitRows {
  runs: Int32Array;
  lumisections: Int32Array;
  /** 1 = bad, 0 = good; null for the test split (its labels never leave the server). */
  bad: Uint8Array | null;
}

export const METADATA_COLUMNS = [
  "fill",
  "delivered_lumi",
  "recorded_lumi",
  "pileup",
  "beams_stable",
] as const;

function nullableFloat64(values: Array<number | null>): Data<Float64> {
  const data = new Float64Array(values.length);
  const valid = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) nulls++;
    else {
      data[i] = v;
      valid[i >> 3] |= 1 << (i & 7);
    }
  });
  return makeData({ type: new Float64(), length: values.length, nullCount: nulls, data, nullBitmap: valid });
}

function nullableBool(values: Array<boolean | null>): Data<Bool> {
  const data = new Uint8Array(Math.ceil(values.length / 8));
  const valid = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) nulls++;
    else {
      valid[i >> 3] |= 1 << (i & 7);
      if (v) data[i >> 3] |= 1 << (i & 7);
    }
  });
  return makeData({ type: new Bool(), length: values.length, nullCount: nulls, data, nullBitmap: valid });
}

export function splitSchema(
  features: MonitorElement[],
  includeFlow: boolean,
  withLabel: boolean,
  metadata: Map<string, string>,
): Schema {
  const fields: Field[] = [
    new Field("run", int32Data(new Int32Array(0)).type, false),
    new Field("lumisection", int32Data(new Int32Array(0)).type, false),
    new Field("fill", new Float64(), true),
    new Field("delivered_lumi", new Float64(), true),
    new Field("recorded_lumi", new Float64(), true),
    new Field("pileup", new Float64(), true),
    new Field("beams_stable", new Bool(), true),
  ];
  for (const me of features) {
    const bins = includeFlow ? fullSize(me.binning) : interiorSize(me.binning);
    fields.push(new Field(me.name, binsType(bins), false));
    fields.push(new Field(`${me.name}:entries`, new Float64(), false));
  }
  if (withLabel) fields.push(new Field("label", new Int8(), false));
  return new Schema(fields, metadata);
}

/** Bins and entries of every split row for one monitor element. */
async function featureColumns(
  store: Store,
  dataset: string,
  me: MonitorElement,
  rows: SplitRows,
  includeFlow: boolean,
): Promise<{ bins: Float32Array; entries: Float64Array; width: number }> {
  const index = new Map<LumiKey, number>();
  for (let i = 0; i < rows.runs.length; i++) index.set(lumiKey(rows.runs[i], rows.lumisections[i]), i);
  const width = includeFlow ? fullSize(me.binning) : interiorSize(me.binning);
  const bins = new Float32Array(rows.runs.length * width);
  const entries = new Float64Array(rows.runs.length);
  const filled = new Uint8Array(rows.runs.length);
  const runMin = rows.runs.length ? rows.runs[0] : 0;
  const runMax = rows.runs.length ? rows.runs[rows.runs.length - 1] : 0;
  const { query } = await store.histogramQuery(dataset, me.name, {
    runs: { min: runMin, max: runMax },
    includeFlow,
  });
  for await (const batch of histogramBatches(query)) {
    const runs = batch.getChild("run")!.toArray() as Int32Array;
    const lss = batch.getChild("lumisection")!.toArray() as Int32Array;
    const ents = batch.getChild("entries")!.toArray() as Float64Array;
    const values = batch.getChild("data")!.data[0].children[0].values as Float32Array;
    for (let i = 0; i < runs.length; i++) {
      const row = index.get(lumiKey(runs[i], lss[i]));
      if (row === undefined) continue;
      bins.set(values.subarray(i * width, (i + 1) * width), row * width);
      entries[row] = ents[i];
      filled[row] = 1;
    }
  }
  const missing = filled.indexOf(0);
  if (missing >= 0)
    throw new Error(
      `no histogram of ${me.name} for run ${rows.runs[missing]} ls ${rows.lumisections[missing]}`,
    );
  return { bins, entries, width };
}

/** The split as record batches of at most ROWS_PER_BATCH rows. */
export async function buildSplitBatches(
  store: Store,
  dataset: string,
  features: MonitorElement[],
  rows: SplitRows,
  meta: Map<LumiKey, LumisectionMeta>,
  includeFlow: boolean,
  schemaMetadata: Map<string, string>,
): Promise<RecordBatch[]> {
  const schema = splitSchema(features, includeFlow, rows.bad !== null, schemaMetadata);
  const n = rows.runs.length;
  const columns = await Promise.all(
    features.map((me) => featureColumns(store, dataset, me, rows, includeFlow)),
  );
  const metaOf = (i: number) => meta.get(lumiKey(rows.runs[i], rows.lumisections[i]));
  const batches: RecordBatch[] = [];
  for (let start = 0; start < n || (n === 0 && start === 0); start += ROWS_PER_BATCH) {
    const end = Math.min(n, start + ROWS_PER_BATCH);
    const idx = Array.from({ length: end - start }, (_, k) => start + k);
    const data: Data[] = [
      int32Data(rows.runs.slice(start, end)),
      int32Data(rows.lumisections.slice(start, end)),
      nullableFloat64(idx.map((i) => metaOf(i)?.fill ?? null)),
      nullableFloat64(idx.map((i) => metaOf(i)?.deliveredLumi ?? null)),
      nullableFloat64(idx.map((i) => metaOf(i)?.recordedLumi ?? null)),
      nullableFloat64(idx.map((i) => metaOf(i)?.pileup ?? null)),
      nullableBool(idx.map((i) => metaOf(i)?.beamsStable ?? null)),
    ];
    for (const c of columns) {
      data.push(binsData(c.bins.slice(start * c.width, end * c.width), c.width));
      data.push(float64Data(c.entries.slice(start, end)));
    }
    if (rows.bad)
      data.push(
        makeData({
          type: new Int8(),
          length: end - start,
          data: Int8Array.from(rows.bad.subarray(start, end)),
        }),
      );
    batches.push(batchFromColumns(schema, data));
    if (n === 0) break;
  }
  return batches;
}
