import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Field, Int32, Schema, tableFromIPC } from "apache-arrow";
import { BlockFileWriter } from "../../src/store/block-files";
import { freshStoreEachTest, testEngines } from "../helpers/stores";
import { record1d, record2d, BINNING_1D } from "../helpers/records";
import { histogramBatches, histogramStream } from "../../src/store/histogram-read";
import { fullSize } from "../../src/histograms/record";
import type { TestStore as Store } from "../helpers/stores";

async function streamToBuffer(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function source(name: string, sha = name) {
  return { format: "csv", source: name, sha256: sha };
}

describe.each(testEngines())("histogram store on %s", (engine) => {
  const storeOf = freshStoreEachTest(engine);
  let store: Store;
  beforeEach(() => {
    store = storeOf();
  });

  const records = () => [
    ...[1, 2, 3].map((ls) => record1d(100, ls)),
    ...[1, 2].map((ls) => record1d(101, ls)),
    ...[1, 2, 3].map((ls) => record2d(100, ls)),
  ];

  it("stores records as one batch per run and serves them back as an Arrow stream", async () => {
    const result = await store.ingestHistograms({ name: "ds", era: "2018" }, source("a.csv"), records());
    expect(result).toMatchObject({ records: 8, runs: 2, lumisections: 5, skipped: false });
    expect(result.monitorElements.sort()).toEqual(["charge", "occupancy"]);

    const { query } = await store.histogramQuery("ds", "charge", { runs: {}, includeFlow: false });
    expect(query.blocks.map((b) => [b.run_min, b.run_max, b.rows])).toEqual([
      [100, 100, 3],
      [101, 101, 2],
    ]);
    const table = tableFromIPC(await streamToBuffer(histogramStream(query, new Map([["me", "charge"]]))));
    expect(table.numRows).toBe(5);
    expect(table.schema.metadata.get("me")).toBe("charge");
    expect(Array.from(table.getChild("lumisection")!.toArray() as Int32Array)).toEqual([1, 2, 3, 1, 2]);
    // interior bins only: [(run%7)+ls, 1, 2, 3]
    expect(Array.from(table.getChild("data")!.get(3)!.toArray() as Float32Array)).toEqual([3 + 1, 1, 2, 3]);
  });

  it("gives the under/overflow bins back in their places with include_flow", async () => {
    await store.ingestHistograms({ name: "ds" }, source("a.csv"), records());
    const { query } = await store.histogramQuery("ds", "charge", {
      runs: { min: 101, max: 101 },
      includeFlow: true,
    });
    const batches = [];
    for await (const b of histogramBatches(query)) batches.push(b);
    const rows = batches.flatMap((b) =>
      Array.from({ length: b.numRows }, (_, i) =>
        Array.from(b.getChild("data")!.get(i)!.toArray() as Float32Array),
      ),
    );
    expect(rows).toEqual([
      [1, (101 % 7) + 1, 1, 2, 3, 1],
      [2, (101 % 7) + 2, 1, 2, 3, 2],
    ]);
    expect(rows[0].length).toBe(fullSize(BINNING_1D));
  });

  it("re-running the same ingest changes nothing", async () => {
    await store.ingestHistograms({ name: "ds" }, source("a.csv", "same"), records());
    const again = await store.ingestHistograms({ name: "ds" }, source("a.csv", "same"), records());
    expect(again.skipped).toBe(true);
    const { query } = await store.histogramQuery("ds", "charge", { runs: {}, includeFlow: false });
    expect(query.blocks).toHaveLength(2);
  });

  it("rejects a duplicate (run, ls, me) already stored by another ingest, and stores nothing of it", async () => {
    await store.ingestHistograms({ name: "ds" }, source("a.csv"), records());
    const filesBefore = countFiles(store.blocksDir);
    await expect(
      store.ingestHistograms({ name: "ds" }, source("b.csv"), [record1d(102, 1), record1d(100, 2)]),
    ).rejects.toThrow("synthetic.csv, line 3: duplicate histogram for run 100 ls 2 of charge");
    const runs = await store.runs("ds", {}, { limit: 100 });
    expect(runs.items.map((r) => r.run)).toEqual([100, 101]);
    expect(countFiles(store.blocksDir)).toBe(filesBefore);
  });

  it("rejects a binning that differs from the stored one, naming both", async () => {
    await store.ingestHistograms({ name: "ds" }, source("a.csv"), records());
    const other = record1d(200, 1);
    other.binning = { ...BINNING_1D, xmax: 20 };
    await expect(store.ingestHistograms({ name: "ds" }, source("c.csv"), [other])).rejects.toThrow(
      "synthetic.csv, line 2: monitor element charge has binning 1D 4 bins [0, 20], but 1D 4 bins [0, 10] elsewhere in this data set",
    );
  });

  it("a failure mid-way leaves no data set behind and no files", async () => {
    function* failing() {
      yield record1d(300, 1);
      yield record1d(300, 2);
      throw new Error("disk on fire");
    }
    await expect(store.ingestHistograms({ name: "fresh" }, source("f.csv"), failing())).rejects.toThrow(
      "disk on fire",
    );
    expect(await store.hasDataset("fresh")).toBe(false);
    expect(countFiles(store.blocksDir)).toBe(0);
  });
});

function countFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    n += e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1;
  }
  return n;
}

describe("BlockFileWriter", () => {
  it("never closes its descriptor twice: after finish() the number may belong to another file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-block-writer-"));
    try {
      const schema = new Schema([new Field("x", new Int32(), false)]);
      const writer = new BlockFileWriter(dir, "a.arrow", schema);
      await writer.finish(dir);
      // The lowest free descriptor is reused: this file gets the number finish() just closed.
      const other = fs.openSync(path.join(dir, "other"), "w");
      try {
        writer.close(); // as the ingest's `finally` does
        expect(fs.writeSync(other, "still open")).toBe(10);
      } finally {
        fs.closeSync(other);
      }
      // close() without finish() (a failed ingest) closes the file once.
      const failed = new BlockFileWriter(dir, "b.arrow", schema);
      failed.close();
      expect(() => failed.close()).not.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
