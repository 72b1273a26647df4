import path from "node:path";
import { Float32, Float64, Int32, Int64, Utf8, type Vector } from "apache-arrow";
import { readDialsJson, readHistogramParquet } from "../../src/ingest/dials";
import {
  FIXTURES,
  collect,
  inputError,
  tempDir,
  writeFile,
  column,
  listOf,
  writeParquetFile,
  row1d,
} from "./ingest-helpers";

const dir = tempDir();

function row2d(over: Record<string, unknown> = {}): Record<string, unknown> {
  return row1d({
    me: "PixelPhase1/Tracks/PXBarrel/clusterposition_zphi_ontrack_PXLayer_1",
    y_min: -1,
    y_max: 1,
    y_bin: 2,
    entries: 21,
    data: [
      [1, 2, 3],
      [4, 5, 6],
    ],
    ...over,
  });
}

describe("readDialsJson", () => {
  test("reads a JSON array of 1D rows: interior bins only, no flow, row numbers", async () => {
    const file = path.join(FIXTURES, "dials-1d.json");
    const records = await collect(readDialsJson(file));
    expect(records).toHaveLength(2);
    const [a, b] = records;
    expect(a).toMatchObject({
      run: 378981,
      lumisection: 1,
      me: "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1",
      entries: 6,
      flow: null,
    });
    expect(a.kind).toBeUndefined();
    expect(a.binning).toEqual({ dim: 1, xmin: 0, xmax: 3, xbins: 3, ymin: 0, ymax: 1, ybins: 1 });
    expect(Array.from(a.data)).toEqual([1, 2, 3]);
    // A JSON array has no useful lines: `row` says so (messages then name the row), `line` holds the same number.
    expect(a.source).toEqual({ file, line: 1, row: 1 });
    expect(b.source).toEqual({ file, line: 2, row: 2 });
    expect(Array.from(b.data)).toEqual([0, 0.5, 7]);
  });

  test("reads an API page {results: [...]} of 2D rows, nested data[y][x] and flat", async () => {
    const records = await collect(readDialsJson(path.join(FIXTURES, "dials-2d-page.json")));
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r.binning).toEqual({ dim: 2, xmin: 0, xmax: 3, xbins: 3, ymin: -1, ymax: 1, ybins: 2 });
      expect(Array.from(r.data)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(r.flow).toBeNull();
    }
  });

  test("reads JSON Lines line by line, naming physical lines", async () => {
    const file = path.join(FIXTURES, "dials.jsonl");
    const records = await collect(readDialsJson(file));
    expect(records.map((r) => [r.lumisection, r.binning.dim, r.source.line])).toEqual([
      [1, 1, 1],
      [2, 2, 3],
    ]);
  });

  test.each<[string, Record<string, unknown>, string, string]>([
    ["a missing me", row1d({ me: undefined }), "me", "me is missing, expected a monitor element name"],
    [
      "a non-integer run",
      row1d({ run_number: 1.5 }),
      "run_number",
      "run_number is 1.5, expected a non-negative integer",
    ],
    [
      "a negative lumisection",
      row1d({ ls_number: -3 }),
      "ls_number",
      "ls_number is -3, expected a non-negative integer",
    ],
    ["a text x_min", row1d({ x_min: "0" }), "x_min", 'x_min is "0", expected a number'],
    ["x_bin 0", row1d({ x_bin: 0 }), "x_bin", "x_bin is 0, expected an integer >= 1"],
    ["a missing entries", row1d({ entries: undefined }), "entries", "entries is missing, expected a number"],
    ["data not a list", row1d({ data: "1,2,3" }), "data", 'data is "1,2,3", expected a list of numbers'],
    [
      "1D data of the wrong length",
      row1d({ data: [1, 2] }),
      "data",
      "data has 2 values, expected 3 (x_bin 3, without under/overflow)",
    ],
    [
      "data with null",
      row1d({ data: [1, null, 3] }),
      "data",
      "data value 1 (0-based) is null, expected a number",
    ],
    [
      "nested data for 1D",
      row1d({ data: [[1, 2, 3]] }),
      "data",
      "data is a nested list (2D) but y_bin is missing, expected a flat list for a 1D histogram",
    ],
    [
      "flat 2D data of the wrong length",
      row2d({ data: [1, 2, 3] }),
      "data",
      "data has 3 values, expected 6 (x_bin 3 x y_bin 2, without under/overflow)",
    ],
    [
      "nested 2D data with too few rows",
      row2d({ data: [[1, 2, 3]] }),
      "data",
      "data has 1 rows, expected y_bin 2 rows of x_bin 3 values",
    ],
    [
      "nested 2D data with a short row",
      row2d({
        data: [
          [1, 2, 3],
          [4, 5],
        ],
      }),
      "data",
      "data row 1 (0-based) has 2 values, expected x_bin 3",
    ],
    [
      "nested 2D data with a text value",
      row2d({
        data: [
          [1, 2, 3],
          [4, "x", 6],
        ],
      }),
      "data",
      'data[1][1] is "x", expected a number',
    ],
    ["y_bin 1.5", row2d({ y_bin: 1.5 }), "y_bin", "y_bin is 1.5, expected an integer >= 1"],
  ])("rejects %s, naming file, row and column", async (_what, bad, column, message) => {
    const file = writeFile(dir(), "bad.json", JSON.stringify([row1d(), bad]));
    const error = await inputError(collect(readDialsJson(file)));
    expect(error.message).toBe(`${file}, column '${column}': row 2: ${message}`);
    expect(error.where).toEqual({ file, column });

    const lines = writeFile(dir(), "bad.jsonl", `${JSON.stringify(row1d())}\n${JSON.stringify(bad)}\n`);
    const lineError = await inputError(collect(readDialsJson(lines)));
    expect(lineError.message).toBe(`${lines}, line 2, column '${column}': ${message}`);
  });

  test("a byte order mark at the start is skipped", async () => {
    const json = writeFile(dir(), "bom.json", "\ufeff" + JSON.stringify([row1d()]));
    const lines = writeFile(dir(), "bom.jsonl", "\ufeff" + JSON.stringify(row1d()) + "\n");
    for (const file of [json, lines]) expect(await collect(readDialsJson(file))).toHaveLength(1);
  });

  test("a row that is not an object", async () => {
    const file = writeFile(dir(), "notobj.json", "[[1, 2]]");
    const error = await inputError(collect(readDialsJson(file)));
    expect(error.message).toBe(
      `${file}: row 1: row is [1,2], expected an object with the columns me, run_number, ls_number, x_min, x_max, x_bin, entries, data`,
    );
  });

  test("a document that is neither an array nor a page", async () => {
    const file = writeFile(dir(), "page.json", '{"count": 3}');
    const error = await inputError(collect(readDialsJson(file)));
    expect(error.message).toBe(
      `${file}, line 1: expected a JSON array of rows or an object with a "results" array, got {"count":3}`,
    );
  });

  test("a JSON syntax error names line and character", async () => {
    const file = writeFile(dir(), "syntax.json", `[\n${JSON.stringify(row1d())},\n{"me": "x",, }\n]`);
    const error = await inputError(collect(readDialsJson(file)));
    expect(error.message).toBe(
      `${file}, line 3: invalid JSON at character 12: Expected double-quoted property name`,
    );
  });

  test("a JSON Lines syntax error names its line", async () => {
    const file = writeFile(dir(), "syntax.ndjson", `${JSON.stringify(row1d())}\n\n{"me": \n`);
    const error = await inputError(collect(readDialsJson(file)));
    expect(error.message).toBe(`${file}, line 3: invalid JSON at character 8: Unexpected end of JSON input`);
  });

  test("a missing file", async () => {
    for (const name of ["nope.json", "nope.jsonl"]) {
      const file = path.join(dir(), name);
      expect((await inputError(collect(readDialsJson(file)))).message).toBe(`${file}: no such file`);
    }
  });
});

/** A test Parquet file in row groups of two rows (unless said otherwise), so readers cross groups. */
const parquetFile = (name: string, columns: Record<string, Vector>, rowGroupSize = 2) =>
  writeParquetFile(dir(), name, columns, rowGroupSize);

/** Three 1D rows in two row groups, int64 run numbers (as pandas writes them) and mixed datasets. */
function oneDimColumns(
  data: unknown[] = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ],
): Record<string, Vector> {
  return {
    dataset: column(["/A/B/DQMIO", "/A/C/DQMIO", "/A/B/DQMIO"], new Utf8()),
    me: column(["PixelPhase1/charge", "PixelPhase1/charge", "PixelPhase1/charge"], new Utf8()),
    run_number: column([378981n, 378981n, 378985n], new Int64()),
    ls_number: column([1, 2, 1], new Int32()),
    x_min: column([0, 0, 0], new Float64()),
    x_max: column([3, 3, 3], new Float64()),
    x_bin: column([3n, 3n, 3n], new Int64()),
    entries: column([6, 15, 24], new Float64()),
    data: column(data, listOf(new Float64())),
  };
}

describe("readHistogramParquet", () => {
  test("reads 1D rows across row groups, counting rows over the file", async () => {
    const cols = oneDimColumns([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    const file = parquetFile("1d.parquet", cols);
    const records = await collect(readHistogramParquet(file));
    expect(records.map((r) => [r.run, r.lumisection, r.entries, Array.from(r.data), r.source.line])).toEqual([
      [378981, 1, 6, [1, 2, 3], 1],
      [378981, 2, 15, [4, 5, 6], 2],
      [378985, 1, 24, [7, 8, 9], 3],
    ]);
    expect(records[0]).toMatchObject({ me: "PixelPhase1/charge", flow: null, source: { file } });
    expect(records[0].binning).toEqual({ dim: 1, xmin: 0, xmax: 3, xbins: 3, ymin: 0, ymax: 1, ybins: 1 });
  });

  test("reads 2D rows with nested data[y][x] and with flat float32 data", async () => {
    const common = {
      me: column(["occupancy", "occupancy"], new Utf8()),
      run_number: column([1, 1], new Int32()),
      ls_number: column([1, 2], new Int32()),
      x_min: column([0, 0], new Float64()),
      x_max: column([3, 3], new Float64()),
      x_bin: column([3, 3], new Int32()),
      y_min: column([-1, -1], new Float64()),
      y_max: column([1, 1], new Float64()),
      y_bin: column([2, 2], new Int32()),
      entries: column([21, 21], new Float64()),
    };
    const nested = parquetFile("2d-nested.parquet", {
      ...common,
      data: column(
        [
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
        ],
        listOf(listOf(new Float64())),
      ),
    } as Record<string, Vector>);
    const flat = parquetFile("2d-flat.parquet", {
      ...common,
      data: column(
        [
          [1, 2, 3, 4, 5, 6],
          [1, 2, 3, 4, 5, 6],
        ],
        listOf(new Float32()),
      ),
    } as Record<string, Vector>);
    for (const file of [nested, flat]) {
      const records = await collect(readHistogramParquet(file));
      expect(records).toHaveLength(2);
      for (const r of records) {
        expect(r.binning).toEqual({ dim: 2, xmin: 0, xmax: 3, xbins: 3, ymin: -1, ymax: 1, ybins: 2 });
        expect(Array.from(r.data)).toEqual([1, 2, 3, 4, 5, 6]);
      }
    }
  });

  test("missing columns are named all at once", async () => {
    const cols: Record<string, Vector> = oneDimColumns();
    delete cols.entries;
    const file = parquetFile("missing.parquet", cols);
    delete cols.data;
    const file2 = parquetFile("missing2.parquet", cols);
    expect((await inputError(collect(readHistogramParquet(file)))).message).toBe(
      `${file}: missing column entries of the DIALS layout (me, run_number, ls_number, x_min, x_max, x_bin, entries, data)`,
    );
    expect((await inputError(collect(readHistogramParquet(file2)))).message).toBe(
      `${file2}: missing columns entries, data of the DIALS layout (me, run_number, ls_number, x_min, x_max, x_bin, entries, data)`,
    );
  });

  test("a bad row in the second row group names its row over the file and the column", async () => {
    const cols = oneDimColumns([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8],
    ]);
    const file = parquetFile("bad-length.parquet", cols);
    const error = await inputError(collect(readHistogramParquet(file)));
    expect(error.message).toBe(
      `${file}, column 'data': row 3: data has 2 values, expected 3 (x_bin 3, without under/overflow)`,
    );
    expect(error.where).toEqual({ file, column: "data" });
  });

  test("null data, null values and non-finite values are errors", async () => {
    const cases: Array<[unknown[], string]> = [
      [[[1, 2, 3], null, [7, 8, 9]], "row 2: data is null, expected a list of numbers"],
      [
        [
          [1, 2, 3],
          [4, null, 6],
          [7, 8, 9],
        ],
        "row 2: data value 1 (0-based) is null, expected a number",
      ],
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, NaN, 9],
        ],
        "row 3: data value 1 (0-based) is NaN, expected a finite number",
      ],
    ];
    for (const [i, [data, message]] of cases.entries()) {
      const cols = oneDimColumns(data);
      const file = parquetFile(`nulls-${i}.parquet`, cols);
      expect((await inputError(collect(readHistogramParquet(file)))).message).toBe(
        `${file}, column 'data': ${message}`,
      );
    }
  });

  test("a file that is not Parquet, and a missing file", async () => {
    const file = writeFile(dir(), "not.parquet", "fromrun,fromlumi\n1,2\n");
    expect((await inputError(collect(readHistogramParquet(file)))).message).toMatch(/: not a Parquet file: /);
    const none = path.join(dir(), "none.parquet");
    expect((await inputError(collect(readHistogramParquet(none)))).message).toBe(`${none}: no such file`);
  });
});
