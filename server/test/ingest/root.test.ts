/**
 * `ingest root`: nanoDQMIO files (and the simple one-histogram-per-key layout) read through JSROOT,
 * checked against what ROOT itself read back when it wrote the fixtures (nanodqmio.expected.json).
 */
import fs from "node:fs";
import path from "node:path";
import { ingestFile } from "../../src/ingest-service/ingest-file";
import { emptySkipCounts, meSelector, readRootHistograms } from "../../src/ingest/nanodqmio";
import { joinFlow, fullSize, type HistogramRecord } from "../../src/histograms/record";
import type { Store } from "../../src/store/store";
import { freshStoreEachTest, testEngines } from "../helpers/stores";
import { collect, inputError, storedHistograms, tempDir, writeFile } from "./ingest-helpers";

const ROOT_FIXTURES = path.join(__dirname, "../fixtures/root");
const fixture = (name: string): string => path.join(ROOT_FIXTURES, name);

interface Expected {
  run: number;
  lumisection: number;
  me: string;
  kind: string;
  binning?: HistogramRecord["binning"];
  entries: number;
  full: number[];
}
const EXPECTED = JSON.parse(fs.readFileSync(fixture("nanodqmio.expected.json"), "utf8")) as {
  histograms: Expected[];
  skipped: { perRun: number; scalar: number; unsupported: number };
  simpleKeys: Expected[];
};

function full(r: HistogramRecord): number[] {
  return Array.from(joinFlow(r.data, r.flow ?? [], r.binning, new Float32Array(fullSize(r.binning))));
}

function asExpected(r: HistogramRecord): Expected {
  return {
    run: r.run,
    lumisection: r.lumisection,
    me: r.me,
    kind: r.kind ?? "",
    binning: r.binning,
    entries: r.entries,
    full: full(r),
  };
}

/** Float32 as stored: the expected values (doubles from ROOT) rounded the same way. */
function f32(e: Expected): Expected {
  return { ...e, full: Array.from(Float32Array.from(e.full)) };
}

/** Sorted by run, lumisection and name. */
function byKey(list: Expected[]): Expected[] {
  const key = (e: Expected) => `${String(e.run).padStart(10)}:${String(e.lumisection).padStart(10)}:${e.me}`;
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const dir = tempDir();

describe("readRootHistograms, nanoDQMIO layout", () => {
  test("reads every per-lumisection TH1/TH2 exactly: bins with flow, entries, binning, names, kinds", async () => {
    const skipped = emptySkipCounts();
    const records = await collect(readRootHistograms(fixture("nanodqmio.root"), { skipped }));
    // Tree by tree, not in the index's order: the order is not part of the contract.
    expect(byKey(records.map(asExpected))).toEqual(byKey(EXPECTED.histograms.map(f32)));
    expect(new Set(records.map((r) => r.kind))).toEqual(new Set(["TH1F", "TH1S", "TH1D", "TH2F", "TH2D"]));
    expect(new Set(records.map((r) => `${r.run}:${r.lumisection}`)).size).toBe(5);
    expect(records.every((r) => r.flow !== null)).toBe(true);
    expect(skipped).toEqual({ ...EXPECTED.skipped, unselected: 0, otherKeys: 0 });
    // Counts written by the script: 3 scalars per lumisection, a TH3F and a TProfile, 6 per-run entries.
    expect(skipped).toMatchObject({ scalar: 15, unsupported: 10, perRun: 6 });
  });

  test("2D bins are row-major over y with x fastest, as the CSV's", async () => {
    const records = await collect(
      readRootHistograms(fixture("nanodqmio.root"), { me: ["PixelPhase1/Tracks/PXBarrel/clusterposition"] }),
    );
    const r = records[0];
    expect(r.binning).toMatchObject({ dim: 2, xbins: 4, ybins: 3 });
    expect(r.data).toHaveLength(12);
    expect(r.flow).toHaveLength(6 * 5 - 12);
  });

  test("--me by prefix and by glob", async () => {
    const byPrefix = emptySkipCounts();
    const a = await collect(
      readRootHistograms(fixture("nanodqmio.root"), { me: ["PixelPhase1/Tracks/"], skipped: byPrefix }),
    );
    expect(new Set(a.map((r) => r.me))).toEqual(
      new Set([
        "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1",
        "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2",
        "PixelPhase1/Tracks/PXBarrel/clusterposition_zphi_ontrack_PXLayer_1",
      ]),
    );
    expect(a).toHaveLength(15);
    expect(byPrefix.unselected).toBe(EXPECTED.histograms.length - 15);

    const b = await collect(
      readRootHistograms(fixture("nanodqmio.root"), { me: ["*/*/PXBarrel/charge_*", "SiStrip/**"] }),
    );
    expect(new Set(b.map((r) => r.me))).toEqual(
      new Set([
        "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1",
        "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2",
        "SiStrip/MechanicalView/TIB/layer_1/Summary_ClusterStoNCorr__OnTrack__TIB__layer__1",
      ]),
    );
  });

  test("meSelector: prefix, * within a path component, ** across, ?, [...]", () => {
    const s = meSelector(["A/b", "X/*/z", "P/**", "q?", "c[12]"]);
    expect(["A/b", "A/bc/d", "X/y/z", "P/a/b/c", "q1", "c2"].map(s)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["A/", "X/y/w/z", "Q/a", "q12", "c3"].map(s)).toEqual([false, false, false, false, false]);
    expect(meSelector(undefined)("anything")).toBe(true);
  });

  test("refuses a truncated file", async () => {
    const file = fixture("nanodqmio-truncated.root");
    const e = await inputError(collect(readRootHistograms(file)));
    expect(e.message).toBe(
      `${file}: truncated ROOT file: ${fs.statSync(file).size} bytes, its header says 25368`,
    );
  });

  test("refuses a missing tree, naming the Indices entry that needs it", async () => {
    const file = fixture("nanodqmio-missing-tree.root");
    const e = await inputError(collect(readRootHistograms(file)));
    expect(e.message).toBe(
      `${file}: tree TH1Fs is missing (named by Indices entry 3, run 1001, lumisection 1)`,
    );
  });

  test("refuses an index range past the end of its tree", async () => {
    const file = fixture("nanodqmio-bad-range.root");
    const e = await inputError(collect(readRootHistograms(file)));
    expect(e.message).toBe(
      `${file}: tree TH1Fs, entry 53: Indices entry 13, run 1001, lumisection 2 has entries 2..53, but the tree has 12 (0..11)`,
    );
  });

  test("refuses two index ranges that share an entry", async () => {
    const file = fixture("nanodqmio-overlap.root");
    const e = await inputError(collect(readRootHistograms(file)));
    expect(e.message).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: tree TH1Fs, entry \\d+: named by both Indices entry \\d+, run 1001, lumisection 1 and Indices entry \\d+, run 1001, lumisection 2$`,
      ),
    );
  });

  test("reads many baskets exactly, in chunks of any size, compressed with zlib or LZ4", async () => {
    const want = (
      JSON.parse(fs.readFileSync(fixture("baskets.expected.json"), "utf8")) as Array<Omit<Expected, "kind">>
    ).map((e) => ({ ...e, kind: "" }));
    const read = async (name: string, chunkEntries?: number) =>
      byKey(
        (await collect(readRootHistograms(fixture(name), { chunkEntries }))).map((r) => ({
          ...asExpected(r),
          kind: "",
          binning: undefined,
        })),
      );
    const expected = byKey(want.map(f32)).map((e) => ({ ...e, binning: undefined }));
    expect(await read("baskets-zlib.root")).toEqual(expected);
    expect(await read("baskets-zlib.root", 7)).toEqual(expected);
    expect(await read("baskets-lz4.root", 13)).toEqual(expected);
  });

  test("refuses what is not a ROOT file, and a missing file", async () => {
    const file = writeFile(dir(), "not-root.root", "fromrun,fromlumi\n");
    expect((await inputError(collect(readRootHistograms(file)))).message).toBe(
      `${file}: not a ROOT file (no 'root' signature at the start)`,
    );
    const missing = path.join(dir(), "absent.root");
    expect((await inputError(collect(readRootHistograms(missing)))).message).toBe(`${missing}: no such file`);
  });
});

describe("readRootHistograms, one histogram per key", () => {
  test("reads run<RUN>_ls<LS>_<ME> keys exactly and counts other keys", async () => {
    const skipped = emptySkipCounts();
    const records = await collect(readRootHistograms(fixture("simple-keys.root"), { skipped }));
    expect(records.map((r) => ({ ...asExpected(r), binning: undefined }))).toEqual(
      EXPECTED.simpleKeys.map((e) => ({ ...f32(e), binning: undefined })),
    );
    expect(skipped.otherKeys).toBe(1);
    const sel = await collect(
      readRootHistograms(fixture("simple-keys.root"), { me: ["PixelPhase1_Tracks_PXBarrel_charge_*"] }),
    );
    expect(sel).toHaveLength(6);
  });
});

/** Every stored row of a monitor element, with under/overflow. */
const stored = async (store: Store, dataset: string, me: string) =>
  (await storedHistograms(store, dataset, me, true)).rows;

describe.each(testEngines())("ingestFile root on %s", (engine) => {
  const storeOf = freshStoreEachTest(engine);

  test("stores every histogram with its flow bins and reports the skips", async () => {
    const store = storeOf();
    const report = await ingestFile(store, {
      format: "root",
      file: fixture("nanodqmio.root"),
      dataset: { name: "d" },
    });
    expect(report).toMatchObject({
      changed: true,
      records: EXPECTED.histograms.length,
      runs: 2,
      lumisections: 5,
      skipped: { perRun: 6, scalar: 15, unsupported: 10, unselected: 0, otherKeys: 0 },
    });
    for (const me of new Set(EXPECTED.histograms.map((h) => h.me))) {
      const want = EXPECTED.histograms
        .filter((h) => h.me === me)
        .map((h) => [h.run, h.lumisection, h.entries, Array.from(Float32Array.from(h.full))]);
      expect(await stored(store, "d", me)).toEqual(want);
    }
    const again = await ingestFile(store, {
      format: "root",
      file: fixture("nanodqmio.root"),
      dataset: { name: "d" },
    });
    expect(again).toMatchObject({ changed: false });
    expect(again.skipped).toBeUndefined();
  });

  test("a --me selection is its own ingest of the same file", async () => {
    const store = storeOf();
    const file = fixture("nanodqmio.root");
    const a = await ingestFile(store, { format: "root", file, dataset: { name: "d" }, me: ["SiStrip/"] });
    expect(a).toMatchObject({ changed: true, records: 5 });
    expect(a.monitorElements).toEqual([
      "SiStrip/MechanicalView/TIB/layer_1/Summary_ClusterStoNCorr__OnTrack__TIB__layer__1",
    ]);
    const b = await ingestFile(store, { format: "root", file, dataset: { name: "d" }, me: ["Tracking/"] });
    expect(b).toMatchObject({ changed: true, records: 5 });
  });

  test.each([
    ["nanodqmio-truncated.root", "truncated ROOT file"],
    ["nanodqmio-missing-tree.root", "tree TH1Fs is missing"],
    ["nanodqmio-bad-range.root", "tree TH1Fs, entry 53"],
    ["nanodqmio-overlap.root", "named by both Indices entry"],
  ])("refuses %s and stores nothing", async (name, reason) => {
    const store = storeOf();
    const e = await inputError(
      ingestFile(store, { format: "root", file: fixture(name), dataset: { name: "d" } }),
    );
    expect(e.message).toContain(reason);
    expect(e.message.split("\n")).toHaveLength(1);
    expect((await store.hasDataset("d")) ? await store.monitorElements("d") : []).toEqual([]);
  });
});
