/**
 * Every table variant of the ML4DQM tools (legacy columns in Parquet and CSV, with or without
 * under/overflow, 1D Ybins 0, hname with `_` for `/`) and DIALS rows in CSV ingest to the same stored
 * histograms as the DIALS layout of the same data, read back through the store.
 */
import fs from "node:fs";
import { Float32, Float64, Int32, Int64, Utf8, type Vector } from "apache-arrow";
import { ingestFile } from "../../src/ingest-service/ingest-file";
import type { Store } from "../../src/store/store";
import { freshStoreEachTest, testEngines } from "../helpers/stores";
import {
  column,
  inputError,
  listOf,
  storedHistograms,
  tempDir,
  writeFile,
  writeParquetFile,
} from "./ingest-helpers";

const dir = tempDir();

const ME_1D = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1";
const ME_2D = "PixelPhase1/Tracks/PXBarrel/clusterposition_zphi_ontrack_PXLayer_1";
const X = { min: 0, max: 3, bins: 3 };
const Y = { min: -1, max: 1, bins: 2 };
const LUMIS: Array<[number, number]> = [
  [378981, 1],
  [378981, 2],
  [378985, 1],
];

/** One histogram of the test data: interior bins and the full histogram with under/overflow. */
interface Histo {
  me: string;
  dim: 1 | 2;
  run: number;
  ls: number;
  interior: number[];
  full: number[];
  entries: number;
}

/** The full histogram (1D: xbins + 2; 2D: (ybins + 2) x (xbins + 2) row-major), flow bins 100 + i. */
function makeHisto(me: string, dim: 1 | 2, run: number, ls: number): Histo {
  const seed = (run % 10) * 10 + ls;
  const width = X.bins + 2;
  const height = dim === 1 ? 1 : Y.bins + 2;
  const full: number[] = [];
  const interior: number[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const border = x === 0 || x === width - 1 || (dim === 2 && (y === 0 || y === height - 1));
      const v = border ? 100 + full.length : seed + 0.25 * full.length;
      full.push(v);
      if (!border) interior.push(v);
    }
  return { me, dim, run, ls, interior, full, entries: full.reduce((a, b) => a + b, 0) };
}

const HISTOS: Histo[] = [ME_1D, ME_2D].flatMap((me, i) =>
  LUMIS.map(([run, ls]) => makeHisto(me, i === 0 ? 1 : 2, run, ls)),
);

const parquetFile = (name: string, columns: Record<string, Vector>) => writeParquetFile(dir(), name, columns);

interface LegacyOptions {
  flow: boolean;
  /** What 1D rows carry in Ybins (the CSV dumps: 1; some Parquet files: 0). */
  ybins1d?: number;
  /** The hname of a monitor element (default: the full path). */
  hname?: (me: string) => string;
}

/** The legacy columns of the test data, as plain values (histo a list). */
function legacyRows(o: LegacyOptions, histos = HISTOS) {
  return histos.map((h) => ({
    fromrun: h.run,
    fromlumi: h.ls,
    hname: (o.hname ?? ((m) => m))(h.me),
    metype: h.dim === 1 ? 3 : 6,
    histo: o.flow ? h.full : h.interior,
    entries: h.entries,
    Xmin: X.min,
    Xmax: X.max,
    Xbins: X.bins,
    Ymin: h.dim === 1 ? 0 : Y.min,
    Ymax: h.dim === 1 ? 1 : Y.max,
    Ybins: h.dim === 1 ? (o.ybins1d ?? 1) : Y.bins,
  }));
}

/** Legacy columns in Parquet as the ML4DQM tools write them: int64 numbers, histo a list column. */
function legacyParquet(name: string, o: LegacyOptions, histos = HISTOS): string {
  const rows = legacyRows(o, histos);
  const big = (k: "fromrun" | "fromlumi" | "metype" | "Xbins" | "Ybins") => rows.map((r) => BigInt(r[k]));
  const num = (k: "entries" | "Xmin" | "Xmax" | "Ymin" | "Ymax") => rows.map((r) => r[k]);
  return parquetFile(name, {
    fromrun: column(big("fromrun"), new Int64()),
    fromlumi: column(big("fromlumi"), new Int64()),
    hname: column(
      rows.map((r) => r.hname),
      new Utf8(),
    ),
    metype: column(big("metype"), new Int64()),
    histo: column(
      rows.map((r) => r.histo),
      listOf(new Float64()),
    ),
    entries: column(num("entries"), new Float64()),
    Xmin: column(num("Xmin"), new Float64()),
    Xmax: column(num("Xmax"), new Float64()),
    Xbins: column(big("Xbins"), new Int64()),
    Ymin: column(num("Ymin"), new Float64()),
    Ymax: column(num("Ymax"), new Float64()),
    Ybins: column(big("Ybins"), new Int64()),
  });
}

/** Legacy columns in CSV, histo a JSON list string, in the column order of the ML4DQM dumps. */
function legacyCsv(name: string, o: LegacyOptions, histos = HISTOS): string {
  const header = ["fromrun", "fromlumi", "hname", "metype", "histo", "entries"];
  header.push("Xmax", "Xmin", "Xbins", "Ymax", "Ymin", "Ybins");
  const lines = legacyRows(o, histos).map((r) =>
    header
      .map((c) => {
        const v = r[c as keyof typeof r];
        return Array.isArray(v) ? `"${JSON.stringify(v)}"` : String(v);
      })
      .join(","),
  );
  return writeFile(dir(), name, [header.join(","), ...lines].join("\n") + "\n");
}

/** The test data in the DIALS layout, as Parquet (2D data nested data[y][x]). */
function dialsParquet(name: string): string {
  const is2d = HISTOS.map((h) => h.dim === 2);
  const y = (v: number) => HISTOS.map((_, i) => (is2d[i] ? v : null));
  return parquetFile(name, {
    me: column(
      HISTOS.map((h) => h.me),
      new Utf8(),
    ),
    run_number: column(
      HISTOS.map((h) => h.run),
      new Int32(),
    ),
    ls_number: column(
      HISTOS.map((h) => h.ls),
      new Int32(),
    ),
    x_min: column(
      HISTOS.map(() => X.min),
      new Float64(),
    ),
    x_max: column(
      HISTOS.map(() => X.max),
      new Float64(),
    ),
    x_bin: column(
      HISTOS.map(() => X.bins),
      new Int32(),
    ),
    y_min: column(y(Y.min), new Float64()),
    y_max: column(y(Y.max), new Float64()),
    y_bin: column(y(Y.bins), new Int32()),
    entries: column(
      HISTOS.map((h) => h.entries),
      new Float64(),
    ),
    data: column(
      HISTOS.map((h) => h.interior),
      listOf(new Float32()),
    ),
  });
}

/** The test data as DIALS rows in CSV: data a JSON list (2D nested), Y columns empty for 1D. */
function dialsCsv(name: string): string {
  const header = "dataset,me,run_number,ls_number,x_min,x_max,x_bin,y_min,y_max,y_bin,entries,data";
  const lines = HISTOS.map((h) => {
    const data =
      h.dim === 1 ? h.interior : [h.interior.slice(0, X.bins), h.interior.slice(X.bins, 2 * X.bins)];
    const ys = h.dim === 1 ? ",," : `${Y.min},${Y.max},${Y.bins}`;
    return `/ZeroBias/Run2024A-PromptReco-v1/DQMIO,${h.me},${h.run},${h.ls},${X.min},${X.max},${X.bins},${ys},${h.entries},"${JSON.stringify(data)}"`;
  });
  return writeFile(dir(), name, [header, ...lines].join("\n") + "\n");
}

const stored = storedHistograms;

function ingest(store: Store, format: "csv" | "parquet", file: string, dataset: string) {
  return ingestFile(store, { format, file, dataset: { name: dataset } });
}

describe.each(testEngines())("table variants on %s", (engine) => {
  const storeOf = freshStoreEachTest(engine);

  const variants: Array<[string, "csv" | "parquet", () => string, boolean, (me: string) => string]> = [
    [
      "legacy Parquet, histo list with under/overflow",
      "parquet",
      () => legacyParquet("flow.parquet", { flow: true }),
      true,
      (m) => m,
    ],
    [
      "legacy Parquet, histo list without under/overflow",
      "parquet",
      () => legacyParquet("noflow.parquet", { flow: false }),
      false,
      (m) => m,
    ],
    [
      "legacy Parquet, 1D rows with Ybins 0",
      "parquet",
      () => legacyParquet("ybins0.parquet", { flow: false, ybins1d: 0 }),
      false,
      (m) => m,
    ],
    [
      "legacy Parquet, 1D Ybins 0 with under/overflow",
      "parquet",
      () => legacyParquet("ybins0-flow.parquet", { flow: true, ybins1d: 0 }),
      true,
      (m) => m,
    ],
    [
      "legacy Parquet, hname the path with _ for /",
      "parquet",
      () => legacyParquet("underscore.parquet", { flow: false, hname: (m) => m.replaceAll("/", "_") }),
      false,
      (m) => m.replaceAll("/", "_"),
    ],
    [
      "legacy CSV, JSON histo with under/overflow",
      "csv",
      () => legacyCsv("flow.csv", { flow: true }),
      true,
      (m) => m,
    ],
    [
      "legacy CSV, JSON histo without under/overflow",
      "csv",
      () => legacyCsv("noflow.csv", { flow: false }),
      false,
      (m) => m,
    ],
    [
      "legacy CSV, hname with _ for / and Ybins 0",
      "csv",
      () => legacyCsv("underscore.csv", { flow: true, ybins1d: 0, hname: (m) => m.replaceAll("/", "_") }),
      true,
      (m) => m.replaceAll("/", "_"),
    ],
    ["DIALS rows in CSV", "csv", () => dialsCsv("dials.csv"), false, (m) => m],
  ];

  test.each(variants)("%s stores what the DIALS layout stores", async (_what, format, make, flow, nameOf) => {
    const store = storeOf();
    await ingest(store, "parquet", dialsParquet("dials.parquet"), "dials");
    const report = await ingest(store, format, make(), "variant");
    expect(report).toMatchObject({ changed: true, records: HISTOS.length, runs: 2, lumisections: 3 });
    expect(report.monitorElements?.sort()).toEqual([nameOf(ME_1D), nameOf(ME_2D)].sort());
    for (const me of [ME_1D, ME_2D]) {
      const reference = await stored(store, "dials", me);
      expect(reference.hasFlow).toBe(false);
      expect(reference.rows).toHaveLength(LUMIS.length);
      const got = await stored(store, "variant", nameOf(me));
      expect(got.binning).toEqual(reference.binning);
      expect(got.rows).toEqual(reference.rows);
      // Rows with under/overflow keep them (as the CSV always did); rows without are stored as DIALS rows are.
      expect(got.hasFlow).toBe(flow);
      if (flow) {
        const full = await stored(store, "variant", nameOf(me), true);
        expect(full.rows.map((r) => r[3])).toEqual(HISTOS.filter((h) => h.me === me).map((h) => h.full));
      }
    }
  });

  /** Ingests a file that must be refused: the message, and nothing stored (no data set, no block file). */
  async function refused(format: "csv" | "parquet", file: string): Promise<string> {
    const store = storeOf();
    const error = await inputError(ingest(store, format, file, "refused"));
    expect(await store.hasDataset("refused")).toBe(false);
    const blocks = fs.existsSync(store.blocksDir) ? fs.readdirSync(store.blocksDir, { recursive: true }) : [];
    expect(blocks.filter((f) => String(f).endsWith(".arrow"))).toEqual([]);
    return error.message;
  }

  /** The test data with the histo of its 5th row (2D, run 378981 ls 2) cut to `n` values. */
  const cut = (n: number) => HISTOS.map((h, i) => (i === 4 ? { ...h, full: h.full.slice(0, n) } : h));

  test("a histo whose length fits neither layout is refused, naming file, row and column", async () => {
    const parquet = legacyParquet("cut.parquet", { flow: true }, cut(7));
    expect(await refused("parquet", parquet)).toBe(
      `${parquet}, column 'histo': row 5: histo has 7 values, expected 20 ((Xbins 3 + 2) x (Ybins 2 + 2), with under/overflow) or 6 (Xbins 3 x Ybins 2, without)`,
    );
    const csv = legacyCsv("cut.csv", { flow: true }, cut(7));
    expect(await refused("csv", csv)).toBe(
      `${csv}, line 6, column 'histo': histo has 7 values, expected 20 ((Xbins 3 + 2) x (Ybins 2 + 2), with under/overflow) or 6 (Xbins 3 x Ybins 2, without)`,
    );
    const oneD = HISTOS.map((h, i) => (i === 1 ? { ...h, full: h.full.slice(0, 4) } : h));
    const csv1d = legacyCsv("cut1d.csv", { flow: true }, oneD);
    expect(await refused("csv", csv1d)).toBe(
      `${csv1d}, line 3, column 'histo': histo has 4 values, expected 5 (Xbins 3 + under/overflow) or 3 (Xbins 3, without under/overflow)`,
    );
  });

  test("one monitor element with under/overflow in some rows and not in others is refused", async () => {
    // Row 2 (1D, run 378981 ls 2) lacks its under/overflow: the store keeps one layout per monitor element.
    const mixed = HISTOS.map((h, i) => (i === 1 ? { ...h, full: h.interior } : h));
    const parquet = legacyParquet("mixed.parquet", { flow: true }, mixed);
    expect(await refused("parquet", parquet)).toBe(
      `${parquet}: row 2: monitor element ${ME_1D} lacks under/overflow bins, unlike its other histograms in this data set`,
    );
    const csv = legacyCsv("mixed.csv", { flow: true }, mixed);
    expect(await refused("csv", csv)).toBe(
      `${csv}, line 3: monitor element ${ME_1D} lacks under/overflow bins, unlike its other histograms in this data set`,
    );
  });

  test("a header of neither layout is refused, naming both", async () => {
    const expected =
      "columns fit neither layout: expected the DIALS columns me,run_number,ls_number,x_min,x_max,x_bin,entries,data " +
      "(y_min,y_max,y_bin for 2D) or the legacy ML4DQM columns fromrun,fromlumi,hname,metype,histo,entries,Xmax,Xmin,Xbins,Ymax,Ymin,Ybins";
    const csv = writeFile(dir(), "unknown.csv", 'run,lumi,name,values\n1,2,a,"[1]"\n');
    expect(await refused("csv", csv)).toBe(`${csv}, line 1: ${expected}`);
    const parquet = parquetFile("unknown.parquet", {
      run: column([1], new Int32()),
      values: column([[1, 2]], listOf(new Float64())),
    });
    expect(await refused("parquet", parquet)).toBe(`${parquet}: ${expected}`);
  });

  test("a legacy Parquet header lacking columns names them", async () => {
    const rows = legacyRows({ flow: true });
    const parquet = parquetFile("lacking.parquet", {
      fromrun: column(
        rows.map((r) => r.fromrun),
        new Int32(),
      ),
      fromlumi: column(
        rows.map((r) => r.fromlumi),
        new Int32(),
      ),
      hname: column(
        rows.map((r) => r.hname),
        new Utf8(),
      ),
      histo: column(
        rows.map((r) => r.histo),
        listOf(new Float64()),
      ),
    });
    expect(await refused("parquet", parquet)).toBe(
      `${parquet}: missing columns metype, entries, Xmax, Xmin, Xbins, Ymax, Ymin, Ybins of the legacy ML4DQM layout (fromrun, fromlumi, hname, metype, histo, entries, Xmax, Xmin, Xbins, Ymax, Ymin, Ybins)`,
    );
  });

  test("a bad value in a legacy Parquet row names row and column", async () => {
    const rows = HISTOS.map((h, i) =>
      i === 2 ? { ...h, full: h.full.map((v, k) => (k === 1 ? NaN : v)) } : h,
    );
    const parquet = legacyParquet("nan.parquet", { flow: true }, rows);
    expect(await refused("parquet", parquet)).toBe(
      `${parquet}, column 'histo': row 3: histo value 1 (0-based) is NaN, expected a finite number`,
    );
  });
});
