import { tableFromIPC } from "apache-arrow";
import { histogramSet } from "../src/api/histogram-table";
import {
  FakeService,
  histogramMetadata,
  histogramRows,
  histogramStream,
  ME_1D,
  ME_2D,
  referenceRun,
} from "./fake-service";

describe("PlaygroundClient", () => {
  it("follows the pages of a list to the end", async () => {
    const fake = new FakeService();
    const runs = await fake.client().runs("demo");
    expect(runs.map((r) => r.run)).toEqual([100, 101, 102]);
    expect(fake.requests.map((r) => r.path)).toEqual([
      "datasets/demo/runs?limit=10000",
      "datasets/demo/runs?limit=10000&cursor=2",
    ]);
  });

  it("lists a data set's designated reference runs, page by page", async () => {
    const fake = new FakeService();
    fake.referenceRuns = [referenceRun(100, "clean"), referenceRun(102), referenceRun(104)];
    const refs = await fake.client().referenceRuns("my data");
    expect(refs.map((r) => [r.run, r.note])).toEqual([
      [100, "clean"],
      [102, null],
      [104, null],
    ]);
    expect(fake.requests.map((r) => r.path)).toEqual([
      "datasets/my%20data/reference-runs?limit=10000",
      "datasets/my%20data/reference-runs?limit=10000&cursor=2",
    ]);
  });

  it("loads 1D histograms as typed rows", async () => {
    const set = await new FakeService().client().histograms("demo", ME_1D, 100);
    expect(set.width).toBe(4);
    expect(Array.from(set.lumisections)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(set.values.subarray(8, 12))).toEqual([3, 1, 0, 1]);
    expect(Array.from(set.entries)).toEqual([3, 4, 5, 6, 7]);
  });

  it("asks for histograms as an Arrow stream", async () => {
    const fake = new FakeService();
    await fake.client().histograms("demo", ME_1D, 100);
    expect(fake.requests.map((r) => r.path)).toEqual(["datasets/demo/histograms?me=Pixel%2Fcharge&run=100"]);
    expect(fake.requests[0].headers.get("accept")).toBe("application/vnd.apache.arrow.stream");
  });

  it("refuses a histogram answer that is not an Arrow stream", async () => {
    const fake = new FakeService();
    fake.arrowHistograms = false;
    await expect(fake.client().histograms("demo", ME_1D, 100)).rejects.toThrow(
      "The service answered datasets/demo/histograms?me=Pixel%2Fcharge&run=100 with 'application/json' instead of an Arrow stream",
    );
  });

  it("flattens 2D histograms row-major", async () => {
    const set = await new FakeService().client().histograms("demo", ME_2D, 100);
    expect(set.binning).toEqual(ME_2D.binning);
    expect(set.width).toBe(6);
    expect(Array.from(set.values.subarray(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("asks for leaderboards with the chosen scores and best-per-user, and CSV", async () => {
    const fake = new FakeService();
    const client = fake.client();
    await client.leaderboard("pixel-task", { scores: "private", bestPerUser: true });
    const csv = await client.leaderboardCsv("pixel-task", { scores: "public" });
    expect(csv).toBe("rank,submission\n1,1\n");
    expect(fake.requests.map((r) => r.path)).toEqual([
      "tasks/pixel-task/leaderboard?scores=private&best_per_user=true",
      "tasks/pixel-task/leaderboard?scores=public&format=csv",
    ]);
  });

  it("encodes names in paths", async () => {
    const fake = new FakeService();
    await fake
      .client()
      .task("a b/c")
      .catch(() => undefined);
    expect(fake.requests[0].path).toBe("tasks/a%20b%2Fc");
  });
});

describe("histogramSet", () => {
  it("uses the monitor element's binning when there are no rows", () => {
    const set = histogramSet("demo", ME_2D.name, 1, ME_2D.binning, tableFromIPC(histogramStream([], 6)));
    expect(set.width).toBe(6);
    expect(set.values).toHaveLength(0);
  });

  it("refuses rows whose size does not match the binning", () => {
    const rows = [
      { run: 7, lumisection: 3, me: "me", entries: 1, x_min: 0, x_max: 4, x_bin: 4, data: [1, 2] },
    ];
    expect(() =>
      histogramSet("demo", "me", 7, ME_1D.binning, tableFromIPC(histogramStream(rows, 2))),
    ).toThrow("histogram of me run 7 ls 3 has 2 bins, expected 4");
  });

  it("reads the binning from the response's metadata and views a single record batch", () => {
    const bytes = histogramStream(histogramRows(ME_2D, 100), 6, histogramMetadata(ME_2D));
    const set = histogramSet("demo", ME_2D.name, 100, ME_1D.binning, tableFromIPC(bytes));
    expect(set.binning).toEqual(ME_2D.binning);
    expect(set.width).toBe(6);
    expect(set.values.buffer).toBe(bytes.buffer);
    expect(Array.from(set.values.subarray(6, 12))).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it("joins the bins of several record batches in row order", () => {
    const bytes = histogramStream(histogramRows(ME_1D, 100), 4, histogramMetadata(ME_1D), 2);
    const set = histogramSet("demo", ME_1D.name, 100, ME_1D.binning, tableFromIPC(bytes));
    expect(Array.from(set.lumisections)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(set.entries)).toEqual([3, 4, 5, 6, 7]);
    expect(Array.from(set.values.subarray(16, 20))).toEqual([5, 1, 0, 1]);
  });
});
