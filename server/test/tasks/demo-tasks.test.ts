import { Table, makeVector, tableFromArrays } from "apache-arrow";
import { openTestStore } from "../helpers/stores";
import { createDemo } from "../../src/demo/create-demo";
import { leaderboard } from "../../src/tasks/leaderboard";
import { chiSquareScores } from "../../src/tasks/baselines";
import { userByName } from "../../src/store/users";
import { binsData } from "../../src/histograms/arrow-layout";

describe("demo tasks and baselines", () => {
  it("creates the small demo with two tasks, each with a random and a chi-square baseline; a rerun adds nothing", async () => {
    const { store, close } = await openTestStore("pglite");
    try {
      const first = await createDemo(store, { size: "small" });
      expect(first).toMatchObject({
        dataset: "demo-2018-small",
        created: true,
        lumisections: 1432,
        monitorElements: 10,
      });
      const again = await createDemo(store, { size: "small" });
      expect(again.created).toBe(false);
      const baseline = await userByName(store.db, "baseline");
      expect(baseline).not.toBeNull();
      for (const task of ["pixel-2018-charge", "tracker-2018-multi"]) {
        const board = await leaderboard(store.db, task, baseline!, {});
        expect(board.rows.map((r) => r.method).sort()).toEqual([
          "Chi-square to mean good histogram (baseline)",
          "Random scores (baseline)",
        ]);
        expect(board.rows.every((r) => r.baseline)).toBe(true);
      }
      // Across the tracker the statistical baseline must see the injected anomalies.
      const multi = await leaderboard(store.db, "tracker-2018-multi", baseline!, {});
      const chi2 = multi.rows.find((r) => r.method.startsWith("Chi-square"))!;
      const random = multi.rows.find((r) => r.method.startsWith("Random"))!;
      expect(chi2.rocAuc).toBeGreaterThan(0.7);
      expect(chi2.rocAuc).toBeGreaterThan(random.rocAuc);
    } finally {
      await close();
    }
  });

  it("computes the chi-square distance to the mean good train histogram", () => {
    const rows = (values: number[][]) => makeVector(binsData(Float32Array.from(values.flat()), 2));
    const train = new Table({
      h: rows([
        [1, 1],
        [3, 1],
        [0, 4],
      ]),
    });
    const labelled = tableFromArrays({ label: Int8Array.from([0, 0, 1]) });
    const trainTable = train.assign(labelled);
    const test = new Table({
      h: rows([
        [1, 0],
        [5, 5],
      ]),
    });
    // good train rows normalised: [0.5, 0.5] and [0.75, 0.25] -> mean [0.625, 0.375]
    const scores = chiSquareScores(trainTable, test, ["h"]);
    const chi2 = (p: number[]) =>
      p.reduce((a, v, j) => a + (v - [0.625, 0.375][j]) ** 2 / (v + [0.625, 0.375][j] + 1e-12), 0);
    expect(scores[0]).toBeCloseTo(chi2([1, 0]), 12);
    expect(scores[1]).toBeCloseTo(chi2([0.5, 0.5]), 12);
  });
});
