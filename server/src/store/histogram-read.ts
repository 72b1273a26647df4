/**
 * Reading histograms back: which stored batches hold a monitor element's runs, and the Arrow stream
 * or decoded batches a response is made of.
 */
import { PassThrough, type Readable } from "node:stream";
import type { Kysely } from "kysely";
import type { FixedSizeList, Float32, Float64, Int32, RecordBatch, Vector } from "apache-arrow";
import type { Database, HistogramBlockRow } from "./schema";
import { END_OF_STREAM, batchMessage, readBatch, schemaMessage, streamBatchBytes } from "./block-files";
import {
  batchFromColumns,
  binsData,
  dataSchema,
  float64Data,
  flowSchema,
  int32Data,
} from "../histograms/arrow-layout";
import { flowSize, fullSize, interiorSize, joinFlow, type Binning } from "../histograms/record";
import { lumiKey, type LumiKey } from "./lumisections";

export interface RunRange {
  min?: number;
  max?: number;
}

export async function blocksOf(
  db: Kysely<Database>,
  meId: number,
  runs: RunRange = {},
): Promise<HistogramBlockRow[]> {
  let q = db.selectFrom("histogram_blocks").selectAll().where("me_id", "=", meId);
  if (runs.max !== undefined) q = q.where("run_min", "<=", runs.max);
  if (runs.min !== undefined) q = q.where("run_max", ">=", runs.min);
  return q.orderBy("run_min").orderBy("id").execute();
}

/** Every (run, lumisection) already stored for a monitor element (for duplicate checks). */
export async function storedKeys(
  db: Kysely<Database>,
  blocksDir: string,
  meId: number,
  bins: number,
): Promise<Set<LumiKey>> {
  const keys = new Set<LumiKey>();
  for (const block of await blocksOf(db, meId)) {
    const batch = await readBatch(blocksDir, block.file, block, dataSchema(bins));
    const runs = column<Int32>(batch, "run").toArray() as Int32Array;
    const lss = column<Int32>(batch, "lumisection").toArray() as Int32Array;
    for (let i = 0; i < runs.length; i++) keys.add(lumiKey(runs[i], lss[i]));
  }
  return keys;
}

function column<T extends Int32 | Float64 | FixedSizeList<Float32>>(
  batch: RecordBatch,
  name: string,
): Vector<T> {
  const v = batch.getChild(name);
  if (!v) throw new Error(`stored batch lacks column ${name}`);
  return v as Vector<T>;
}

/** What to read: a monitor element's blocks, rows selected by run range and an optional row filter. */
export interface HistogramQuery {
  blocksDir: string;
  blocks: HistogramBlockRow[];
  binning: Binning;
  runs: RunRange;
  includeFlow: boolean;
  /** Keeps a row when it returns true; undefined keeps every row in the run range. */
  keep?: (run: number, lumisection: number, entries: number) => boolean;
}

function binsOut(q: HistogramQuery): number {
  return q.includeFlow ? fullSize(q.binning) : interiorSize(q.binning);
}

function wholeBlock(q: HistogramQuery, b: HistogramBlockRow): boolean {
  return (
    !q.includeFlow &&
    q.keep === undefined &&
    (q.runs.min === undefined || b.run_min >= q.runs.min) &&
    (q.runs.max === undefined || b.run_max <= q.runs.max)
  );
}

/** Decodes the selected rows of one block (with the flow bins joined in when asked). */
async function decodeBlock(q: HistogramQuery, b: HistogramBlockRow): Promise<RecordBatch | null> {
  const bins = interiorSize(q.binning);
  const batch = await readBatch(q.blocksDir, b.file, b, dataSchema(bins));
  const runs = column<Int32>(batch, "run").toArray() as Int32Array;
  const lss = column<Int32>(batch, "lumisection").toArray() as Int32Array;
  const entries = column<Float64>(batch, "entries").toArray() as Float64Array;
  const data = column<FixedSizeList<Float32>>(batch, "data").data[0].children[0].values as Float32Array;
  let flow: Float32Array | null = null;
  if (q.includeFlow) {
    if (b.flow_file === null || b.flow_offset === null || b.flow_length === null)
      throw new Error("block has no under/overflow bins");
    const fb = await readBatch(
      q.blocksDir,
      b.flow_file,
      { offset: b.flow_offset, length: b.flow_length },
      flowSchema(flowSize(q.binning)),
    );
    flow = column<FixedSizeList<Float32>>(fb, "flow").data[0].children[0].values as Float32Array;
  }
  const rows: number[] = [];
  for (let i = 0; i < runs.length; i++) {
    if (q.runs.min !== undefined && runs[i] < q.runs.min) continue;
    if (q.runs.max !== undefined && runs[i] > q.runs.max) continue;
    if (q.keep && !q.keep(runs[i], lss[i], entries[i])) continue;
    rows.push(i);
  }
  if (rows.length === 0) return null;
  const width = binsOut(q);
  const outData = new Float32Array(rows.length * width);
  const nFlow = flowSize(q.binning);
  rows.forEach((i, j) => {
    const interior = data.subarray(i * bins, (i + 1) * bins);
    if (flow)
      joinFlow(
        interior,
        flow.subarray(i * nFlow, (i + 1) * nFlow),
        q.binning,
        outData.subarray(j * width, (j + 1) * width),
      );
    else outData.set(interior, j * width);
  });
  return batchFromColumns(dataSchema(width), [
    int32Data(Int32Array.from(rows, (i) => runs[i])),
    int32Data(Int32Array.from(rows, (i) => lss[i])),
    float64Data(Float64Array.from(rows, (i) => entries[i])),
    binsData(outData, width),
  ]);
}

/** Decoded batches of the selected rows, in stored order. */
export async function* histogramBatches(q: HistogramQuery): AsyncGenerator<RecordBatch> {
  for (const b of q.blocks) {
    const batch = await decodeBlock(q, b);
    if (batch) yield batch;
  }
}

/** Waits until the consumer wants more, or has gone away (a closed client must not hang the writer). */
function drained(out: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.once("drain", done);
    out.once("close", done);
  });
}

/**
 * The selected rows as an Arrow IPC stream. Blocks that are wanted whole go out as their stored bytes;
 * only blocks cut by a filter are decoded and re-encoded.
 */
export function histogramStream(q: HistogramQuery, metadata: Map<string, string>): Readable {
  const out = new PassThrough();
  const run = async () => {
    out.write(schemaMessage(dataSchema(binsOut(q), metadata)));
    for (let i = 0; i < q.blocks.length; i++) {
      if (out.destroyed) return;
      const b = q.blocks[i];
      if (wholeBlock(q, b)) {
        // Adjacent whole blocks of one file (a sorted ingest writes them back to back) go out as one read.
        let length = b.length;
        while (i + 1 < q.blocks.length) {
          const next = q.blocks[i + 1];
          if (next.file !== b.file || next.offset !== b.offset + length || !wholeBlock(q, next)) break;
          length += next.length;
          i++;
        }
        for await (const chunk of streamBatchBytes(q.blocksDir, b.file, { offset: b.offset, length })) {
          if (!out.write(chunk)) await drained(out);
        }
      } else {
        const batch = await decodeBlock(q, b);
        if (batch && !out.write(batchMessage(batch))) await drained(out);
      }
    }
    out.end(END_OF_STREAM);
  };
  run().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
