/** Shared bits of the ingest reader tests: temporary input files, test Parquet files, stored rows read back and error capture. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Field, List, Table, tableToIPC, vectorFromArray, type DataType, type Vector } from "apache-arrow";
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet } from "parquet-wasm/node";
import { InputError } from "../../src/errors";
import { histogramBatches } from "../../src/store/histogram-read";
import type { Store } from "../../src/store/store";

export const FIXTURES = path.join(__dirname, "../fixtures/ingest");
export const CMS_DATA = path.join(__dirname, "../../data/cms");

/** A fresh temporary folder, removed after the tests of the calling file. */
export function tempDir(): () => string {
  let dir = "";
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-ingest-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The InputError a promise rejects with (fails the test if it resolves or throws something else). */
export async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError, but nothing was thrown");
}

/** A column of a test Parquet file: an Arrow vector built with an explicit type. */
export function column<T extends DataType>(values: unknown[], type: T): Vector<T> {
  return vectorFromArray(values as never[], type) as Vector<T>;
}

export const listOf = (t: DataType) => new List(new Field("item", t, true));

/** Writes `columns` as a Parquet file `name` in `dir`, in row groups of `rowGroupSize` rows if given. */
export function writeParquetFile(
  dir: string,
  name: string,
  columns: Record<string, Vector>,
  rowGroupSize?: number,
): string {
  const table = WasmTable.fromIPCStream(tableToIPC(new Table(columns), "stream"));
  const props =
    rowGroupSize === undefined
      ? undefined
      : new WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupSize).build();
  return writeFile(dir, name, writeParquet(table, props));
}

/** What the store holds for a monitor element, read back: its binning, flow flag and every row. */
export async function storedHistograms(store: Store, dataset: string, me: string, includeFlow = false) {
  const { query, monitorElement } = await store.histogramQuery(dataset, me, { runs: {}, includeFlow });
  const rows: Array<[number, number, number, number[]]> = [];
  for await (const b of histogramBatches(query))
    for (let i = 0; i < b.numRows; i++)
      rows.push([
        b.getChild("run")!.get(i) as number,
        b.getChild("lumisection")!.get(i) as number,
        b.getChild("entries")!.get(i) as number,
        Array.from((b.getChild("data")!.get(i) as Vector).toArray() as Float32Array),
      ]);
  return { binning: monitorElement.binning, hasFlow: monitorElement.hasFlow, rows };
}

/** A valid 1D row (x_bin 3) with fields replaced or removed (value undefined). */
export function row1d(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dataset: "/ZeroBias/Run2024A-PromptReco-v1/DQMIO",
    me: "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1",
    run_number: 378981,
    ls_number: 5,
    x_min: 0,
    x_max: 3,
    x_bin: 3,
    entries: 6,
    data: [1, 2, 3],
    ...over,
  };
}
