/**
 * The Arrow layout of stored histogram blocks and of the histogram responses: one row per
 * lumisection, the bins as one FixedSizeList<Float32> column whose child values are a single
 * contiguous Float32Array per record batch.
 */
import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  type Data,
} from "apache-arrow";

export function binsType(size: number): FixedSizeList<Float32> {
  return new FixedSizeList(size, new Field("bin", new Float32(), false));
}

/** Columns of a stored block and of a histogram response without under/overflow. */
export function dataSchema(bins: number, metadata?: Map<string, string>): Schema {
  return new Schema(
    [
      new Field("run", new Int32(), false),
      new Field("lumisection", new Int32(), false),
      new Field("entries", new Float64(), false),
      new Field("data", binsType(bins), false),
    ],
    metadata,
  );
}

/** Columns of a stored block of border (under/overflow) bins, row for row beside a data block. */
export function flowSchema(flowBins: number): Schema {
  return new Schema([
    new Field("run", new Int32(), false),
    new Field("lumisection", new Int32(), false),
    new Field("flow", binsType(flowBins), false),
  ]);
}

/** A fixed-size-list column over one contiguous Float32Array (no copy). */
export function binsData(values: Float32Array, size: number): Data<FixedSizeList<Float32>> {
  const rows = values.length / size;
  const child = makeData({ type: new Float32(), length: values.length, data: values });
  return makeData({ type: binsType(size), length: rows, nullCount: 0, child });
}

/** Builds a record batch from whole columns, without copying them. */
export function batchFromColumns(schema: Schema, columns: Data[]): RecordBatch {
  const length = columns[0]?.length ?? 0;
  const struct = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: columns });
  return new RecordBatch(schema, struct);
}

export function int32Data(values: Int32Array): Data<Int32> {
  return makeData({ type: new Int32(), length: values.length, data: values });
}

export function float64Data(values: Float64Array): Data<Float64> {
  return makeData({ type: new Float64(), length: values.length, data: values });
}
