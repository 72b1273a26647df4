/**
 * `dqm-playground ingest FORMAT FILES --dataset NAME` in child processes: every format, bad input
 * (one-line messages naming file, line and column, and nothing stored), re-ingesting, and a SIGKILL in
 * the middle of a large ingest (nothing visible, orphaned files removed by the next run).
 */
import fs from "node:fs";
import path from "node:path";
import { Field, Float64, Int32, Int64, List, Table, Utf8, tableToIPC, vectorFromArray } from "apache-arrow";
import type { DataType, Vector } from "apache-arrow";
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet } from "parquet-wasm/node";
import {
  CMS_DATA,
  LEGACY_CSV_HEADER,
  SERVER_DIR,
  blockFiles,
  cliJson,
  finished,
  legacyCsvRow,
  requireBuiltCli,
  runCli,
  startCli,
  startServer,
  tempDir,
  waitFor,
} from "../helpers/cli";
import {
  api,
  expectFailure,
  expectSuccess,
  homeToken,
  inspectStore,
  tmpEntries,
  type StoreView,
} from "./cli-checks";

const FIXTURES = path.join(SERVER_DIR, "test/fixtures/ingest");
const fixture = (name: string) => path.join(FIXTURES, name);

/** A DIALS Parquet file: three 1D rows of one monitor element in two row groups, int64 runs as pandas writes. */
function writeDialsParquet(file: string): void {
  const col = <T extends DataType>(values: unknown[], type: T): Vector<T> =>
    vectorFromArray(values as never[], type) as Vector<T>;
  const table = new Table({
    dataset: col(["/ZeroBias/A/DQMIO", "/ZeroBias/A/DQMIO", "/ZeroBias/B/DQMIO"], new Utf8()),
    me: col(["PixelPhase1/charge", "PixelPhase1/charge", "PixelPhase1/charge"], new Utf8()),
    run_number: col([378981n, 378981n, 378985n], new Int64()),
    ls_number: col([1, 2, 1], new Int32()),
    x_min: col([0, 0, 0], new Float64()),
    x_max: col([3, 3, 3], new Float64()),
    x_bin: col([3n, 3n, 3n], new Int64()),
    entries: col([6, 15, 24], new Float64()),
    data: col(
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
      new List(new Field("item", new Float64(), true)),
    ),
  });
  const props = new WriterPropertiesBuilder().setMaxRowGroupSize(2).build();
  fs.writeFileSync(file, writeParquet(WasmTable.fromIPCStream(tableToIPC(table, "stream")), props));
}

/** A legacy CSV of `rows` 1D histograms (100 bins) over four monitor elements, 500 lumisections a run. */
function writeLargeCsv(file: string, rows: number): void {
  const fd = fs.openSync(file, "w");
  const histo = Array.from({ length: 102 }, (_, i) => (i % 7) + 0.5);
  let lines: string[] = [LEGACY_CSV_HEADER];
  for (let i = 0; i < rows; i++) {
    const ls = Math.floor(i / 4);
    lines.push(
      legacyCsvRow(300000 + Math.floor(ls / 500), (ls % 500) + 1, `me_${i % 4}`, 3, histo, {
        bins: 100,
        min: 0,
        max: 100,
      }),
    );
    if (lines.length >= 5000) {
      fs.writeSync(fd, lines.join("\n") + "\n");
      lines = [];
    }
  }
  fs.writeSync(fd, lines.join("\n") + "\n");
  fs.closeSync(fd);
}

describe("ingest through the CLI", () => {
  let home: string;
  let inputs: string;
  let blocks: string;
  /** The store as the last check saw it. */
  let last: StoreView;
  const opts = () => ({ home });
  const input = (name: string, content: string) => {
    const file = path.join(inputs, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const ingest = async (args: string[]) => expectSuccess(await runCli(["ingest", ...args], opts()));
  /** Looks into the store and checks that the block files on disk are exactly those it refers to. */
  const inspect = async () => {
    last = await inspectStore(home);
    expect(last.referenced).toEqual(blockFiles(blocks));
    expect(tmpEntries(blocks)).toEqual([]);
    return last;
  };
  const datasetOf = (view: StoreView, name: string) => view.datasets.find((d) => d.name === name);

  beforeAll(() => {
    requireBuiltCli();
    home = tempDir();
    inputs = tempDir("dqm-inputs-");
    blocks = path.join(home, "blocks");
  });
  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(inputs, { recursive: true, force: true });
  });

  it("ingests 1D and 2D legacy CSV, keeping the under/overflow bins", async () => {
    const [oneD, twoD] = [fixture("legacy-1d.csv"), fixture("legacy-2d.csv")];
    expect(
      await ingest([
        "csv",
        oneD,
        twoD,
        "--dataset",
        "legacy",
        "--era",
        "2018",
        "--primary-dataset",
        "ZeroBias",
      ]),
    ).toBe(
      `ingested ${oneD} into legacy: 3 records, 3 lumisections, 1 monitor elements\n` +
        `ingested ${twoD} into legacy: 1 records, 1 lumisections, 1 monitor elements\n`,
    );
    const view = await inspect();
    expect(datasetOf(view, "legacy")).toMatchObject({
      era: "2018",
      primaryDataset: "ZeroBias",
      monitorElements: 2,
      runs: 2,
      lumisections: 4,
    });
    expect(view.monitorElements.legacy).toEqual([
      {
        name: "chargeInner_PXLayer_2",
        kind: "TH1F",
        binning: { dim: 1, xmin: 0, xmax: 3, xbins: 3, ymin: 0, ymax: 1, ybins: 1 },
        hasFlow: true,
      },
      {
        name: "clusterposition_zphi_ontrack_PXLayer_1",
        kind: "TH2F",
        binning: { dim: 2, xmin: 0, xmax: 3, xbins: 3, ymin: -2, ymax: 2, ybins: 2 },
        hasFlow: true,
      },
    ]);
    // One data file and one under/overflow file per monitor element; one indexed batch per run.
    expect(view.referenced).toHaveLength(4);
    expect(view.counts).toMatchObject({ ingests: 2, histogram_blocks: 3 });
  });

  it("ingests DIALS rows from JSON Lines, JSON and Parquet, without under/overflow", async () => {
    // JSON Lines, then JSON into another data set: successive ingests in one home, each exits 0 with
    // nothing on stderr (a block file closed twice once took PGlite's WAL descriptor and failed the exit).
    const lines = fixture("dials.jsonl");
    expect(await ingest(["json", lines, "-d", "dials-lines"])).toBe(
      `ingested ${lines} into dials-lines: 2 records, 2 lumisections, 2 monitor elements\n`,
    );
    const [oneD, twoD] = [fixture("dials-1d.json"), fixture("dials-2d-page.json")];
    expect(await ingest(["json", oneD, twoD, "-d", "dials"])).toBe(
      `ingested ${oneD} into dials: 2 records, 2 lumisections, 1 monitor elements\n` +
        `ingested ${twoD} into dials: 2 records, 2 lumisections, 1 monitor elements\n`,
    );
    const parquet = path.join(inputs, "dials.parquet");
    writeDialsParquet(parquet);
    expect(await ingest(["parquet", parquet, "-d", "dials-parquet"])).toBe(
      `ingested ${parquet} into dials-parquet: 3 records, 3 lumisections, 1 monitor elements\n`,
    );

    const view = await inspect();
    expect(view.datasets.map((d) => d.name)).toEqual(["dials", "dials-lines", "dials-parquet", "legacy"]);
    expect(datasetOf(view, "dials")).toMatchObject({ monitorElements: 2, runs: 1, lumisections: 2 });
    expect(datasetOf(view, "dials-parquet")).toMatchObject({ monitorElements: 1, runs: 2, lumisections: 3 });
    expect(view.monitorElements.dials.map((m) => [m.name, m.binning.dim, m.hasFlow])).toEqual([
      ["PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1", 1, false],
      ["PixelPhase1/Tracks/PXBarrel/clusterposition_zphi_ontrack_PXLayer_1", 2, false],
    ]);
    expect(view.monitorElements["dials-parquet"]).toEqual([
      {
        name: "PixelPhase1/charge",
        kind: null,
        binning: { dim: 1, xmin: 0, xmax: 3, xbins: 3, ymin: 0, ymax: 1, ybins: 1 },
        hasFlow: false,
      },
    ]);
  });

  it("ingests DCS-only and golden JSON, subsystem flags and OMS run conditions", async () => {
    const dcs = input("dcs.json", '{"315257": [[1, 3]], "315259": [[7, 7]]}\n');
    const golden = input("golden.json", '{"315257": [[1, 1]], "315259": [[7, 7]]}\n');
    const flags = input("pixel.txt", "315257 2\n315259 7\n");
    const oms = input(
      "oms.json",
      JSON.stringify([
        { run_number: 315257, lumisection_number: 1, fill_number: 6617, pileup: 30.5, beams_stable: true },
        { run_number: 315257, lumisection_number: 2, fill_number: 6617, pileup: 31, beams_stable: true },
      ]),
    );
    expect(await ingest(["dcs", dcs, "-d", "legacy"])).toBe(
      `ingested ${dcs} into legacy: 4 records, 4 lumisections\n`,
    );
    expect(await ingest(["golden", golden, "-d", "legacy"])).toBe(
      `ingested ${golden} into legacy: 2 records, 2 lumisections\n`,
    );
    expect(await ingest(["flags", flags, "-d", "legacy", "--name", "pixel"])).toBe(
      `ingested ${flags} into legacy: 2 records, 2 lumisections\n`,
    );
    expect(await ingest(["oms", oms, "-d", "legacy"])).toBe(
      `ingested ${oms} into legacy: 2 records, 2 lumisections\n`,
    );

    // Golden among DCS-on: run 315257 has ls 1 golden, ls 2 and 3 bad; its fill comes from OMS.
    expect(await cliJson<unknown[]>(["runs", "legacy"], opts())).toEqual([
      {
        run: 315257,
        fill: 6617,
        lumisections: 3,
        golden: 1,
        bad: 2,
        goldenFraction: 1 / 3,
        labelsWithheld: false,
        referenceRun: null,
        isReference: false,
      },
      {
        run: 315259,
        fill: null,
        lumisections: 1,
        golden: 1,
        bad: 0,
        goldenFraction: 1,
        labelsWithheld: false,
        referenceRun: null,
        isReference: false,
      },
    ]);

    // The real 2024 OMS export creates its runs and lumisections.
    const omsFile = path.join(CMS_DATA, "omsdata_Run2024A-v1.json");
    const columns = JSON.parse(fs.readFileSync(omsFile, "utf8")) as { run_number: number[] };
    const n = columns.run_number.length;
    expect(await ingest(["oms", omsFile, "-d", "oms-2024"])).toBe(
      `ingested ${omsFile} into oms-2024: ${n} records, ${n} lumisections\n`,
    );
    const view = await inspect();
    expect(datasetOf(view, "oms-2024")).toMatchObject({
      monitorElements: 0,
      runs: new Set(columns.run_number).size,
      lumisections: n,
    });
    expect(view.counts).toMatchObject({ certifications: 3 });
  });

  it("ingests the same files again as a no-op: same counts, same block files", async () => {
    const before = last;
    const csv = [fixture("legacy-1d.csv"), fixture("legacy-2d.csv")];
    expect(await ingest(["csv", ...csv, "-d", "legacy"])).toBe(
      `already ingested, unchanged: ${csv[0]} into legacy (3 records)\n` +
        `already ingested, unchanged: ${csv[1]} into legacy (1 records)\n`,
    );
    const golden = path.join(inputs, "golden.json");
    expect(await ingest(["golden", golden, "-d", "legacy"])).toBe(
      `already ingested, unchanged: ${golden} into legacy (2 records)\n`,
    );
    // OMS rows are upserted; values already stored are not written again, and the CLI says so
    const oms = path.join(inputs, "oms.json");
    expect(await ingest(["oms", oms, "-d", "legacy"])).toBe(
      `already ingested, unchanged: ${oms} into legacy (2 records)\n`,
    );
    expect(await inspect()).toEqual(before);
  });

  describe("bad input: one line naming file, line and column; nothing stored", () => {
    const good = (ls: number) =>
      legacyCsvRow(315300, ls, "chargeInner_PXLayer_2", 3, [0, 1, 2, 3, 0], { bins: 3, min: 0, max: 3 });
    const dialsRow = (ls: number, data: unknown[]) =>
      JSON.stringify({
        me: "m",
        run_number: 1,
        ls_number: ls,
        x_min: 0,
        x_max: 3,
        x_bin: 3,
        entries: 6,
        data,
      });

    // [case, format, file name, content, data set, message after the file name]
    const cases: Array<[string, string, string, string, string, string]> = [
      [
        "a histo with too few values (after a good row)",
        "csv",
        "short-histo.csv",
        `${LEGACY_CSV_HEADER}\n${good(1)}\n315300,2,chargeInner_PXLayer_2,3,"[1, 2, 3, 4]",10,3,0,3,1,0,1\n`,
        "legacy",
        ", line 3, column 'histo': histo has 4 values, expected 5 (Xbins 3 + under/overflow) or 3 (Xbins 3, without under/overflow)",
      ],
      [
        "a non-numeric value",
        "csv",
        "not-a-number.csv",
        `${LEGACY_CSV_HEADER}\n${good(1)}\n315300,2,chargeInner_PXLayer_2,3,"[0, 1, 2, 3, 0]",six,3,0,3,1,0,1\n`,
        "legacy",
        ", line 3, column 'entries': entries is 'six', expected a number",
      ],
      [
        "a missing column",
        "csv",
        "no-ybins.csv",
        `${LEGACY_CSV_HEADER.replace(/,Ybins$/, "")}\n315300,1,chargeInner_PXLayer_2,3,"[0, 1, 2, 3, 0]",6,3,0,3,1,0\n`,
        "new-dataset",
        `, line 1: header lacks column Ybins; expected ${LEGACY_CSV_HEADER} (legacy ML4DQM layout) or the DIALS columns me,run_number,ls_number,x_min,x_max,x_bin,entries,data`,
      ],
      [
        "a file truncated inside a quoted histo",
        "csv",
        "truncated-quote.csv",
        `${LEGACY_CSV_HEADER}\n${good(1)}\n${good(2).slice(0, 40)}`,
        "legacy",
        ", line 3: quoted field is not closed at the end of the file (truncated file?)",
      ],
      [
        "a duplicate (run, ls, monitor element) in the file",
        "csv",
        "duplicate.csv",
        `${LEGACY_CSV_HEADER}\n${good(1)}\n${good(2)}\n${good(1)}\n`,
        "legacy",
        ", line 4: duplicate histogram for run 315300 ls 1 of chargeInner_PXLayer_2",
      ],
      [
        "a duplicate of a stored histogram",
        "csv",
        "stored-duplicate.csv",
        `${LEGACY_CSV_HEADER}\n${good(1)}\n${legacyCsvRow(315257, 2, "chargeInner_PXLayer_2", 3, [1, 1, 1, 1, 1], { bins: 3, min: 0, max: 3 })}\n`,
        "legacy",
        ", line 3: duplicate histogram for run 315257 ls 2 of chargeInner_PXLayer_2",
      ],
      [
        "a binning unlike the stored monitor element's",
        "csv",
        "binning.csv",
        `${LEGACY_CSV_HEADER}\n${legacyCsvRow(315300, 1, "chargeInner_PXLayer_2", 3, [0, 1, 2, 0], { bins: 2, min: 0, max: 3 })}\n`,
        "legacy",
        ", line 2: monitor element chargeInner_PXLayer_2 has binning 1D 2 bins [0, 3], but 1D 3 bins [0, 3] elsewhere in this data set",
      ],
      [
        "a duplicate DIALS row (reported by row, not line)",
        "json",
        "dials-duplicate.json",
        `[${dialsRow(1, [1, 2, 3])},\n${dialsRow(1, [1, 2, 3])}]`,
        "new-dataset",
        ": row 2: duplicate histogram for run 1 ls 1 of m",
      ],
      [
        "a golden range with first > last",
        "golden",
        "golden-backwards.json",
        '{"315257": [[1, 1]],\n "315259": [[5, 2]]}\n',
        "legacy",
        ", line 2: run 315259, range 1: [5, 2] has first > last",
      ],
      [
        "OMS without lumisection numbers",
        "oms",
        "oms-no-ls.json",
        '{"run_number": [315257, 315257], "fill_number": [6617, 6617]}',
        "legacy",
        ": missing column lumisection_number",
      ],
    ];

    it.each(cases)("%s", async (_what, format, name, content, dataset, message) => {
      const files = blockFiles(blocks);
      const file = input(name, content);
      expectFailure(
        await runCli(["ingest", format, file, "--dataset", dataset], opts()),
        `${file}${message}`,
      );
      // No block file was added and no temporary file is left behind.
      expect(blockFiles(blocks)).toEqual(files);
      expect(tmpEntries(blocks)).toEqual([]);
    });

    it("a missing file and an unknown format", async () => {
      const missing = path.join(inputs, "nope.csv");
      expectFailure(
        await runCli(["ingest", "csv", missing, "-d", "legacy"], opts()),
        `${missing}: no such file`,
      );
      expectFailure(
        await runCli(["ingest", "xml", fixture("legacy-1d.csv"), "-d", "legacy"], opts()),
        "unknown format 'xml', expected one of csv, parquet, json, root, golden, dcs, oms, flags",
      );
    });

    it("stored nothing; a failing file stops the command, the files before it stay ingested", async () => {
      const before = last;
      const ok = input("more.csv", `${LEGACY_CSV_HEADER}\n${good(10)}\n`);
      const bad = path.join(inputs, "duplicate.csv");
      const never = input("never.csv", `${LEGACY_CSV_HEADER}\n${good(11)}\n`);
      expectFailure(
        await runCli(["ingest", "csv", ok, bad, never, "-d", "legacy"], opts()),
        `${bad}, line 4: duplicate histogram for run 315300 ls 1 of chargeInner_PXLayer_2`,
        `ingested ${ok} into legacy: 1 records, 1 lumisections, 1 monitor elements\n`,
      );
      // Exactly the first file's ingest is new: none of the failed ones above left anything.
      const view = await inspect();
      expect(view.datasets.map((d) => d.name)).not.toContain("new-dataset");
      expect(view.counts).toEqual({
        ...before.counts,
        runs: before.counts.runs + 1,
        lumisections: before.counts.lumisections + 1,
        ingests: before.counts.ingests + 1,
        histogram_blocks: before.counts.histogram_blocks + 1,
      });
      expect(view.referenced.filter((f) => !before.referenced.includes(f))).toHaveLength(2);
      expect(datasetOf(view, "legacy")).toEqual({
        ...datasetOf(before, "legacy"),
        runs: 3,
        lumisections: 5,
      });
    });
  });

  describe("a killed ingest", () => {
    it("leaves nothing visible, and the next command removes its files", async () => {
      const before = last;
      const files = blockFiles(blocks);
      const big = path.join(inputs, "big.csv");
      writeLargeCsv(big, 100_000);

      const child = startCli(["ingest", "csv", big, "--dataset", "big"], opts());
      const done = finished(child, 120_000);
      let exited = false;
      void done.then(() => (exited = true));
      // The ingest writes its block files in blocks/tmp/<host>-<pid>-<random>/ while it reads: kill it
      // once a record batch is on disk there (a file has grown past its schema message).
      const tmpDir = await waitFor(
        "the ingest's temporary block files",
        () => {
          if (exited) throw new Error("the ingest finished before it could be killed: make the file larger");
          for (const name of tmpEntries(blocks)) {
            if (!name.includes(`-${child.pid}-`)) continue;
            const dir = path.join(blocks, "tmp", name);
            if (fs.readdirSync(dir).some((f) => fs.statSync(path.join(dir, f)).size > 10_000)) return dir;
          }
          return null;
        },
        60_000,
        20,
      );
      child.kill("SIGKILL");
      const r = await done;
      expect(r.signal).toBe("SIGKILL");
      expect(r.stdout).toBe("");
      // What the killed process left: its temporary folder and its lock file, no block file in place.
      expect(fs.existsSync(tmpDir)).toBe(true);
      expect(fs.readFileSync(path.join(home, "db.lock"), "utf8")).toBe(String(child.pid));
      expect(blockFiles(blocks)).toEqual(files);

      // The next command takes over the stale lock, shows no trace of the ingest and removes its files.
      const listed = await cliJson<StoreView["datasets"]>(["datasets"], opts());
      expect(listed).toEqual(JSON.parse(JSON.stringify(before.datasets)));
      expect(listed.map((d) => d.name)).not.toContain("big");
      expect(fs.existsSync(tmpDir)).toBe(false);
      expect(fs.existsSync(path.join(home, "db.lock"))).toBe(false);
      expect(await inspect()).toEqual(before);
    }, 120_000);

    it("removes unreferenced block files, but not while another host's ingest is in flight", async () => {
      const files = blockFiles(blocks);
      // A file renamed into place by an ingest killed just before its commit: no index row names it.
      const orphan = "ee".padEnd(64, "0");
      fs.mkdirSync(path.join(blocks, "ee"), { recursive: true });
      fs.writeFileSync(path.join(blocks, "ee", `${orphan}.arrow`), "not referenced");
      // An ingest in flight on another machine sharing the blocks folder: its files may not be committed yet.
      const foreign = path.join(blocks, "tmp", "other-host.example-4242-0a1b2c3d");
      fs.mkdirSync(foreign, { recursive: true });

      expectSuccess(await runCli(["datasets"], opts()));
      expect(blockFiles(blocks)).toEqual([...files, orphan].sort());
      expect(fs.existsSync(foreign)).toBe(true);

      fs.rmSync(foreign, { recursive: true });
      const row = legacyCsvRow(1, 1, "x", 3, [0, 1, 0], { bins: 1, min: 0, max: 1 });
      const small = input("after-kill.csv", `${LEGACY_CSV_HEADER}\n${row}\n`);
      expect(await ingest(["csv", small, "-d", "after-kill"])).toBe(
        `ingested ${small} into after-kill: 1 records, 1 lumisections, 1 monitor elements\n`,
      );
      const now = blockFiles(blocks);
      expect(now).not.toContain(orphan);
      expect(now).toHaveLength(files.length + 2); // the new data and under/overflow files
      await inspect();
    });
  });

  it("serves the ingested histograms with and without under/overflow", async () => {
    const server = await startServer(opts());
    try {
      const token = homeToken(home);
      const get = async (dataset: string, me: string, run: number, flow: boolean) =>
        api<{ items: Array<{ lumisection: number; x_bin: number; data: unknown }>; message: string }>(
          server.url,
          token,
          `datasets/${dataset}/histograms?me=${encodeURIComponent(me)}&run=${run}${flow ? "&include_flow=true" : ""}`,
        );
      const oneD = await get("legacy", "chargeInner_PXLayer_2", 315257, false);
      expect(oneD.body.items.map((h) => [h.lumisection, h.x_bin, h.data])).toEqual([
        [1, 3, [2, 3, 4]],
        [2, 3, [10.5, 0, 1]],
      ]);
      const oneDFlow = await get("legacy", "chargeInner_PXLayer_2", 315257, true);
      expect(oneDFlow.body.items.map((h) => [h.lumisection, h.x_bin, h.data])).toEqual([
        [1, 5, [1, 2, 3, 4, 5]],
        [2, 5, [0, 10.5, 0, 1, 0]],
      ]);
      const twoD = await get("legacy", "clusterposition_zphi_ontrack_PXLayer_1", 315257, false);
      expect(twoD.body.items.map((h) => h.data)).toEqual([
        [
          [6, 7, 8],
          [11, 12, 13],
        ],
      ]);
      const twoDFlow = await get("legacy", "clusterposition_zphi_ontrack_PXLayer_1", 315257, true);
      expect(twoDFlow.body.items.map((h) => h.data)).toEqual([
        [
          [0, 1, 2, 3, 4],
          [5, 6, 7, 8, 9],
          [10, 11, 12, 13, 14],
          [15, 16, 17, 18, 19],
        ],
      ]);
      const dials = await get("dials", "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1", 378981, true);
      expect(dials.status).toBe(400);
      expect(dials.body.message).toMatch(/was ingested without under\/overflow bins/);
    } finally {
      expect((await server.stop()).code).toBe(0);
    }
  });

  it("an OMS file that changes one value is ingested; the same file again is not", async () => {
    const row = (pileup: number) => [
      { run_number: 315400, lumisection_number: 1, fill_number: 6700, pileup: 30, beams_stable: true },
      { run_number: 315400, lumisection_number: 2, fill_number: 6700, pileup, beams_stable: true },
    ];
    const first = input("oms-first.json", JSON.stringify(row(31)));
    const second = input("oms-second.json", JSON.stringify(row(35)));
    expect(await ingest(["oms", first, "-d", "oms-changes"])).toBe(
      `ingested ${first} into oms-changes: 2 records, 2 lumisections\n`,
    );
    expect(await ingest(["oms", second, "-d", "oms-changes"])).toBe(
      `ingested ${second} into oms-changes: 2 records, 2 lumisections\n`,
    );
    expect(await ingest(["oms", second, "-d", "oms-changes"])).toBe(
      `already ingested, unchanged: ${second} into oms-changes (2 records)\n`,
    );
    // and the first file's value comes back when it is ingested again
    expect(await ingest(["oms", first, "-d", "oms-changes"])).toBe(
      `ingested ${first} into oms-changes: 2 records, 2 lumisections\n`,
    );
  });
});
