import { Table, makeVector, tableFromArrays } from "apache-arrow";
import { openTestStore } from "../helpers/stores";
import { createDemo } from "../../src/demo/create-demo";
import { leaderboard } from "../../src/tasks/leaderboard";
import {
  RANDOM_METHOD,
  REFERENCE_RUN_METHOD,
  RUN_MEDIAN_METHOD,
  referenceRunScores,
  runMedianScores,
} from "../../src/tasks/baselines";
import { binsData } from "../../src/histograms/arrow-layout";

describe("demo tasks and baselines", () => {
  it("creates the small demo with two tasks, each with a random, a run-median and a reference-run baseline; a rerun adds nothing", async () => {
    const { store, close } = await openTestStore("pglite");
    try {
      const first = await createDemo(store, { size: "small" });
      expect(first).toMatchObject({
        dataset: "demo-2018-small",
        created: true,
        lumisections: 1397,
        monitorElements: 10,
      });
      const again = await createDemo(store, { size: "small" });
      expect(again.created).toBe(false);
      const baseline = await store.users.byName("baseline");
      expect(baseline).not.toBeNull();
      for (const task of ["pixel-2018-charge", "tracker-2018-multi"]) {
        const board = await leaderboard(store, task, baseline!, {});
        expect(board.rows.map((r) => r.method).sort()).toEqual(
          [RANDOM_METHOD, REFERENCE_RUN_METHOD, RUN_MEDIAN_METHOD].sort(),
        );
        expect(board.rows.every((r) => r.baseline)).toBe(true);
      }
      // Across the tracker the statistical baseline must see the injected anomalies.
      const multi = await leaderboard(store, "tracker-2018-multi", baseline!, {});
      for (const method of [RUN_MEDIAN_METHOD, REFERENCE_RUN_METHOD])
        expect(multi.rows.find((r) => r.method === method)!.rocAuc).toBeGreaterThan(0.7);
    } finally {
      await close();
    }
  });

  const rows = (values: number[][]) => makeVector(binsData(Float32Array.from(values.flat()), 2));
  const chi2 = (p: number[], q: number[]) => p.reduce((a, v, j) => a + (v - q[j]) ** 2 / (v + q[j]), 0);
  // Train: run 1 good [1, 1] and [3, 1]; run 2 bad [0, 4] and good [1, 3]; run 3 good [1, 1].
  const train = new Table({
    run: makeVector(Int32Array.from([1, 1, 2, 2, 3])),
    h: rows([
      [1, 1],
      [3, 1],
      [0, 4],
      [1, 3],
      [1, 1],
    ]),
  }).assign(tableFromArrays({ label: Int8Array.from([0, 0, 1, 0, 0]) }));
  // Test: run 2 (after train run 2), three lumisections.
  const test = new Table({
    run: makeVector(Int32Array.from([2, 2, 2])),
    h: rows([
      [1, 1],
      [1, 1],
      [4, 0],
    ]),
  });

  it("scores the distance to the run's median plus the median's distance to the latest train run, scaled by good train lumisections", () => {
    const scores = runMedianScores(train, test, ["h"]);
    // The test run's median is [1, 1] / 2; train run 2's good mean is [0.25, 0.75].
    const absolute = chi2([0.5, 0.5], [0.25, 0.75]);
    const raw = [0, 0, chi2([1, 0], [0.5, 0.5])].map((d) => d + absolute);
    // Scores are divided by one positive scale (the typical score of good train lumisections): ratios hold.
    expect(scores[2] / scores[0]).toBeCloseTo(raw[2] / raw[0], 9);
    expect(scores[0]).toBe(scores[1]);
  });

  it("scores the distance to the latest reference run before each lumisection, and falls back to every train run", () => {
    // Reference run 1 (mean [0.625, 0.375]); run 3 is not before the test run, so run 1 is used.
    const withReference = referenceRunScores(train, test, ["h"], [1, 3]);
    const ref = [0.625, 0.375];
    const raw = [chi2([0.5, 0.5], ref), chi2([0.5, 0.5], ref), chi2([1, 0], ref)];
    expect(withReference[2] / withReference[0]).toBeCloseTo(raw[2] / raw[0], 9);
    // No designated run in the train split: every train run with good lumisections serves, run 2 the latest.
    const fallback = referenceRunScores(train, test, ["h"], [99]);
    const raw2 = [chi2([0.5, 0.5], [0.25, 0.75]), chi2([1, 0], [0.25, 0.75])];
    expect(fallback[2] / fallback[0]).toBeCloseTo(raw2[1] / raw2[0], 9);
  });
});
