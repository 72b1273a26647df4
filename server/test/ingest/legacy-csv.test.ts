import path from "node:path";
import { Readable } from "node:stream";
import { parseLegacyCsv, readLegacyCsv } from "../../src/ingest/legacy-csv";
import type { HistogramRecord } from "../../src/histograms/record";
import { FIXTURES, collect, inputError, tempDir, writeFile } from "./ingest-helpers";

const HEADER = "fromrun,fromlumi,hname,metype,histo,entries,Xmax,Xmin,Xbins,Ymax,Ymin,Ybins";
const dir = tempDir();

/** A 1D row with Xbins 3 (5 values with under/overflow) unless told otherwise. */
function row(over: Partial<Record<string, string>> = {}): string {
  const v: Record<string, string> = {
    fromrun: "315257",
    fromlumi: "1",
    hname: "charge",
    metype: "3",
    histo: '"[1, 2, 3, 4, 5]"',
    entries: "15",
    Xmax: "3",
    Xmin: "0",
    Xbins: "3",
    Ymax: "1",
    Ymin: "0",
    Ybins: "1",
    ...over,
  };
  return HEADER.split(",")
    .map((c) => v[c])
    .join(",");
}

async function readText(text: string, name = "t.csv"): Promise<HistogramRecord[]> {
  return collect(readLegacyCsv(writeFile(dir(), name, text)));
}

async function errorOf(text: string, name = "bad.csv") {
  const file = writeFile(dir(), name, text);
  return { file, error: await inputError(collect(readLegacyCsv(file))) };
}

describe("readLegacyCsv", () => {
  test("reads 1D rows: interior bins, under/overflow, binning, kind and line", async () => {
    const file = path.join(FIXTURES, "legacy-1d.csv");
    const records = await collect(readLegacyCsv(file));
    expect(records).toHaveLength(3);
    const [a, b, c] = records;
    expect(a).toMatchObject({
      run: 315257,
      lumisection: 1,
      me: "chargeInner_PXLayer_2",
      kind: "TH1F",
      entries: 15,
    });
    expect(a.binning).toEqual({ dim: 1, xmin: 0, xmax: 3, xbins: 3, ymin: 0, ymax: 1, ybins: 1 });
    expect(Array.from(a.data)).toEqual([2, 3, 4]);
    expect(Array.from(a.flow ?? [])).toEqual([1, 5]);
    expect(a.source).toEqual({ file, line: 2 });
    expect(Array.from(b.data)).toEqual([10.5, 0, 1]);
    expect(b.source.line).toBe(3);
    expect(c).toMatchObject({ run: 315259, lumisection: 7, kind: "TH1D" });
  });

  test("reads a 2D row as (Ybins+2) x (Xbins+2) row-major, splitting interior and border", async () => {
    const [r] = await collect(readLegacyCsv(path.join(FIXTURES, "legacy-2d.csv")));
    expect(r.kind).toBe("TH2F");
    expect(r.binning).toEqual({ dim: 2, xmin: 0, xmax: 3, xbins: 3, ymin: -2, ymax: 2, ybins: 2 });
    // histo is 0..19 over 4 rows of 5: rows 1 and 2, columns 1..3 are inside.
    expect(Array.from(r.data)).toEqual([6, 7, 8, 11, 12, 13]);
    expect(Array.from(r.flow ?? [])).toEqual([0, 1, 2, 3, 4, 5, 9, 10, 14, 15, 16, 17, 18, 19]);
    expect(r.entries).toBe(190);
  });

  test.each([
    ["a pandas index repeating fromrun,fromlumi,hname", "legacy-pandas-index.csv"],
    ["an unnamed index column, columns in another order and CRLF line ends", "legacy-unnamed-index.csv"],
  ])("reads a header with %s", async (_what, name) => {
    const expected = await collect(readLegacyCsv(path.join(FIXTURES, "legacy-1d.csv")));
    const records = await collect(readLegacyCsv(path.join(FIXTURES, name)));
    expect(records.map(({ source: _s, ...r }) => r)).toEqual(expected.map(({ source: _s, ...r }) => r));
    expect(records.map((r) => r.source.line)).toEqual([2, 3, 4]);
  });

  test("counts physical lines: blank lines and a quoted field over two lines", async () => {
    const text = [
      HEADER,
      row(),
      "",
      row({ fromlumi: "2", histo: '"[1, 2,\n3, 4, 5]"' }),
      row({ fromlumi: "3" }),
    ].join("\n");
    const records = await readText(text);
    expect(records.map((r) => r.source.line)).toEqual([2, 4, 6]);
    expect(Array.from(records[1].data)).toEqual([2, 3, 4]);
  });

  test("a byte order mark before the header is skipped", async () => {
    const records = await readText("\ufeff" + [HEADER, row()].join("\n"));
    expect(records.map((r) => [r.run, r.source.line])).toEqual([[315257, 2]]);
  });

  test("a header alone yields nothing", async () => {
    expect(await readText(HEADER + "\n")).toEqual([]);
  });

  test("an empty file is an error", async () => {
    const { file, error } = await errorOf("");
    expect(error.message).toBe(`${file}, line 1: empty file, expected a header: ${HEADER}`);
  });

  test("a header lacking columns names them all", async () => {
    const { file, error } = await errorOf(
      "fromrun,fromlumi,hname,metype,entries,Xmax,Xmin,Ymax,Ymin,Ybins\n",
    );
    expect(error.message).toBe(
      `${file}, line 1: header lacks columns histo, Xbins; expected ${HEADER} (legacy ML4DQM layout) or the DIALS columns me,run_number,ls_number,x_min,x_max,x_bin,entries,data`,
    );
    expect(error.where).toEqual({ file, line: 1 });
  });

  test.each<[string, Partial<Record<string, string>>, string, string]>([
    [
      "histo that is not JSON",
      { histo: '"[1, 2, oops]"' },
      "histo",
      "histo is not valid JSON (Unexpected token 'o'), expected a list of numbers",
    ],
    [
      "histo that is not a list",
      { histo: '"{""a"": 1}"' },
      "histo",
      'histo is {"a":1}, expected a JSON list of numbers',
    ],
    [
      "histo with a string value",
      { histo: '"[1, 2, ""x"", 4, 5]"' },
      "histo",
      'histo value 2 (0-based) is "x", expected a number',
    ],
    [
      "histo with a null value",
      { histo: '"[1, null, 3, 4, 5]"' },
      "histo",
      "histo value 1 (0-based) is null, expected a number",
    ],
    [
      "1D histo of a length that fits neither layout",
      { histo: '"[1, 2, 3, 4]"' },
      "histo",
      "histo has 4 values, expected 5 (Xbins 3 + under/overflow) or 3 (Xbins 3, without under/overflow)",
    ],
    [
      "2D histo of the wrong length",
      { metype: "7", Ybins: "2", histo: '"[1, 2, 3, 4, 5]"' },
      "histo",
      "histo has 5 values, expected 20 ((Xbins 3 + 2) x (Ybins 2 + 2), with under/overflow) or 6 (Xbins 3 x Ybins 2, without)",
    ],
    ["a non-numeric Xmax", { Xmax: "abc" }, "Xmax", "Xmax is 'abc', expected a number"],
    ["an infinite Xmin", { Xmin: "-inf" }, "Xmin", "Xmin is '-inf', expected a finite number"],
    ["a NaN entries", { entries: "nan" }, "entries", "entries is 'nan', expected a finite number"],
    ["an empty entries", { entries: "" }, "entries", "entries is '', expected a number"],
    [
      "a non-integer run",
      { fromrun: "315257.5" },
      "fromrun",
      "fromrun is 315257.5, expected a non-negative integer",
    ],
    [
      "a negative lumisection",
      { fromlumi: "-1" },
      "fromlumi",
      "fromlumi is -1, expected a non-negative integer",
    ],
    [
      "an unknown metype",
      { metype: "9" },
      "metype",
      "metype is 9, expected 3, 4, 5 (1D: TH1F, TH1S, TH1D) or 6, 7, 8 (2D: TH2F, TH2S, TH2D)",
    ],
    [
      "a fractional metype",
      { metype: "3.5" },
      "metype",
      "metype is 3.5, expected 3, 4, 5 (1D: TH1F, TH1S, TH1D) or 6, 7, 8 (2D: TH2F, TH2S, TH2D)",
    ],
    ["Xbins 0", { Xbins: "0" }, "Xbins", "Xbins is 0, expected an integer >= 1"],
    ["2D Ybins 2.5", { metype: "8", Ybins: "2.5" }, "Ybins", "Ybins is 2.5, expected an integer >= 1"],
    ["an empty hname", { hname: "" }, "hname", "hname is empty, expected a monitor element name"],
  ])("rejects %s, naming file, line and column", async (_what, over, column, message) => {
    const { file, error } = await errorOf([HEADER, row(), row(over)].join("\n") + "\n");
    expect(error.message).toBe(`${file}, line 3, column '${column}': ${message}`);
    expect(error.where).toEqual({ file, line: 3, column });
  });

  test("1D rows ignore whatever the Y columns hold", async () => {
    const [r] = await readText([HEADER, row({ Ymax: "x", Ymin: "", Ybins: "0" })].join("\n"));
    expect(r.binning).toMatchObject({ ymin: 0, ymax: 1, ybins: 1 });
  });

  test("a truncated last record (fields missing) names its line, after yielding the records before it", async () => {
    const file = writeFile(
      dir(),
      "cut-fields.csv",
      [HEADER, row(), row({ fromlumi: "2" }), '315257,3,charge,3,"[1, 2, 3, 4, 5]",15,3'].join("\n"),
    );
    const seen: number[] = [];
    const error = await inputError(
      (async () => {
        for await (const r of readLegacyCsv(file)) seen.push(r.lumisection);
      })(),
    );
    expect(seen).toEqual([1, 2]);
    expect(error.message).toBe(
      `${file}, line 4: record has 7 fields, expected 12 as in the header (truncated file?)`,
    );
  });

  test("a file cut inside the quoted histo names the line where the record starts", async () => {
    const { file, error } = await errorOf(
      [HEADER, row(), '315257,2,charge,3,"[1, 2,', "3, 4"].join("\n"),
      "cut-quote.csv",
    );
    expect(error.message).toBe(
      `${file}, line 3: quoted field is not closed at the end of the file (truncated file?)`,
    );
  });

  test("a record with too many fields is an error on its line", async () => {
    const { file, error } = await errorOf([HEADER, row() + ",extra"].join("\n"), "extra.csv");
    expect(error.message).toBe(
      `${file}, line 2: record has 13 fields, expected 12 as in the header (truncated file?)`,
    );
  });

  test("other CSV syntax errors keep csv-parse's reason", async () => {
    const { file, error } = await errorOf([HEADER, row({ hname: '"charge"x' })].join("\n"), "quote.csv");
    expect(error.message).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, line 2: malformed CSV: Invalid Closing Quote`,
      ),
    );
  });

  test("a missing file is an InputError", async () => {
    const file = path.join(dir(), "nope.csv");
    const error = await inputError(collect(readLegacyCsv(file)));
    expect(error.message).toBe(`${file}: no such file`);
  });
});

describe("parseLegacyCsv streaming", () => {
  test("yields the first record long before the input is consumed", async () => {
    const total = 5000;
    let produced = 0;
    // The source makes rows only when pulled, so `produced` says how far the reader has read.
    async function* source(): AsyncGenerator<string> {
      yield HEADER + "\n";
      for (let i = 1; i <= total; i++) {
        produced = i;
        yield (
          row({
            fromlumi: String(i),
            histo: `"[${Array.from({ length: 5 }, (_, k) => k + i).join(", ")}]"`,
          }) + "\n"
        );
      }
    }
    const records = parseLegacyCsv(
      Readable.from(source(), { objectMode: false, highWaterMark: 1024 }),
      "stream.csv",
    );
    const first = await records.next();
    expect(first.done).toBe(false);
    expect(first.value).toMatchObject({ lumisection: 1, source: { file: "stream.csv", line: 2 } });
    expect(produced).toBeLessThan(total / 4);
    let count = 1;
    let last = 0;
    for await (const r of records) {
      count++;
      last = r.lumisection;
    }
    expect(count).toBe(total);
    expect(last).toBe(total);
  });

  test("stopping early stops reading", async () => {
    let produced = 0;
    async function* source(): AsyncGenerator<string> {
      yield HEADER + "\n";
      for (let i = 1; i <= 100000; i++) {
        produced = i;
        yield row({ fromlumi: String(i) }) + "\n";
      }
    }
    for await (const r of parseLegacyCsv(source(), "early.csv")) if (r.lumisection === 10) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(produced).toBeLessThan(10000);
  });
});
