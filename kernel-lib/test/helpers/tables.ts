/** Arrow tables laid out like the service's splits and histogram responses, built in memory. */
import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  Int8,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  type Data,
} from "apache-arrow";

import { encodeHistogramMetadata, encodeSplitMetadata } from "@dqm-playground/api-types/wire";
import type { Binning } from "../../src/data/binning";
export type { Binning };

export const bins1d = (xbins: number): Binning => ({
  dim: 1,
  xmin: 0,
  xmax: xbins,
  xbins,
  ymin: 0,
  ymax: 1,
  ybins: 1,
});

const listType = (size: number) => new FixedSizeList(size, new Field("bin", new Float32(), false));

function binsData(values: Float32Array, size: number): Data {
  const child = makeData({ type: new Float32(), length: values.length, data: values });
  return makeData({ type: listType(size), length: values.length / size, nullCount: 0, child });
}

export interface SplitSpec {
  runs: number[];
  lumisections: number[];
  /** Per monitor element: its binning, whether flow bins are stored, and one row of bins per lumisection. */
  mes: Array<{ name: string; binning: Binning; flow: boolean; rows: number[][]; entries?: number[] }>;
  labels?: number[];
  /** Recorded luminosity per lumisection (a `recorded_lumi` column), when given. */
  recordedLumi?: number[];
  /** Rows per record batch. */
  batchRows?: number;
  includeFlow?: boolean;
  sha?: string;
}

/** A task-split-like table: run, lumisection, per ME bins + `<me>:entries`, optional label. */
export function splitTable(spec: SplitSpec): Table {
  const includeFlow = spec.includeFlow ?? spec.mes.some((m) => m.flow);
  const fields: Field[] = [
    new Field("run", new Int32(), false),
    new Field("lumisection", new Int32(), false),
  ];
  for (const me of spec.mes) {
    fields.push(new Field(me.name, listType(me.rows[0].length), false));
    fields.push(new Field(`${me.name}:entries`, new Float64(), false));
  }
  if (spec.labels) fields.push(new Field("label", new Int8(), false));
  if (spec.recordedLumi) fields.push(new Field("recorded_lumi", new Float64(), false));
  const binning: Record<string, Binning> = {};
  for (const me of spec.mes) binning[me.name] = me.binning;
  const schema = new Schema(
    fields,
    encodeSplitMetadata({
      task: "t",
      split: spec.labels ? "train" : "test",
      dataset: "d",
      includeFlow,
      binning,
    }),
  );
  const n = spec.runs.length;
  const per = spec.batchRows ?? n;
  const batches: RecordBatch[] = [];
  for (let start = 0; start < n; start += per) {
    const end = Math.min(n, start + per);
    const cols: Data[] = [
      makeData({
        type: new Int32(),
        length: end - start,
        data: Int32Array.from(spec.runs.slice(start, end)),
      }),
      makeData({
        type: new Int32(),
        length: end - start,
        data: Int32Array.from(spec.lumisections.slice(start, end)),
      }),
    ];
    for (const me of spec.mes) {
      const width = me.rows[0].length;
      cols.push(binsData(Float32Array.from(me.rows.slice(start, end).flat()), width));
      const entries = me.entries ?? me.rows.map((r) => r.reduce((a, b) => a + b, 0));
      cols.push(
        makeData({
          type: new Float64(),
          length: end - start,
          data: Float64Array.from(entries.slice(start, end)),
        }),
      );
    }
    if (spec.labels)
      cols.push(
        makeData({
          type: new Int8(),
          length: end - start,
          data: Int8Array.from(spec.labels.slice(start, end)),
        }),
      );
    if (spec.recordedLumi)
      cols.push(
        makeData({
          type: new Float64(),
          length: end - start,
          data: Float64Array.from(spec.recordedLumi.slice(start, end)),
        }),
      );
    const struct = makeData({
      type: new Struct(schema.fields),
      length: end - start,
      nullCount: 0,
      children: cols,
    });
    batches.push(new RecordBatch(schema, struct));
  }
  return new Table(batches);
}

/** A histogram-response-like table (run, lumisection, entries, data) with its metadata. */
export function histogramTable(opts: {
  me: string;
  binning: Binning;
  includeFlow: boolean;
  runs: number[];
  lumisections: number[];
  rows: number[][];
  batchRows?: number;
}): Table {
  const b = opts.binning;
  const width = opts.rows[0].length;
  const schema = new Schema(
    [
      new Field("run", new Int32(), false),
      new Field("lumisection", new Int32(), false),
      new Field("entries", new Float64(), false),
      new Field("data", listType(width), false),
    ],
    // with flow, the binning of the full histogram, as the service writes it
    encodeHistogramMetadata({
      dataset: "d",
      me: opts.me,
      kind: b.dim === 1 ? "TH1F" : "TH2F",
      binning: b,
      includeFlow: opts.includeFlow,
    }),
  );
  const n = opts.runs.length;
  const per = opts.batchRows ?? n;
  const batches: RecordBatch[] = [];
  for (let start = 0; start < n; start += per) {
    const end = Math.min(n, start + per);
    const rows = opts.rows.slice(start, end);
    const cols = [
      makeData({
        type: new Int32(),
        length: end - start,
        data: Int32Array.from(opts.runs.slice(start, end)),
      }),
      makeData({
        type: new Int32(),
        length: end - start,
        data: Int32Array.from(opts.lumisections.slice(start, end)),
      }),
      makeData({
        type: new Float64(),
        length: end - start,
        data: Float64Array.from(rows.map((r) => r.reduce((a, c) => a + c, 0))),
      }),
      binsData(Float32Array.from(rows.flat()), width),
    ];
    const struct = makeData({
      type: new Struct(schema.fields),
      length: end - start,
      nullCount: 0,
      children: cols,
    });
    batches.push(new RecordBatch(schema, struct));
  }
  return new Table(batches);
}

/** Through IPC bytes and back, as a table arrives from the service; returns the bytes too. */
export function roundTrip(table: Table): { table: Table; bytes: Uint8Array } {
  const bytes = tableToIPC(table, "stream");
  return { table: tableFromIPC(bytes), bytes };
}
