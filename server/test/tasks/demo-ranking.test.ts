/**
 * The demo's tasks must order methods the way an expert expects, on the public AND the private part:
 * random scores near 0.5 ROC AUC, every statistical baseline clearly above random and never inverted.
 * (A plain chi-square to the mean good histogram once scored 0.02 on a private part: it ranked runs
 * by the detector's drift instead of lumisections by their anomalies.)
 */
import { openTestStore } from "../helpers/stores";
import { createDemo, demoTaskSpecs } from "../../src/demo/create-demo";
import { leaderboard } from "../../src/tasks/leaderboard";
import { newToken } from "../../src/store/users";
import { RANDOM_METHOD, REFERENCE_RUN_METHOD, RUN_MEDIAN_METHOD } from "../../src/tasks/baselines";

describe("demo ranking", () => {
  it("has random at 0.5 +- 0.05 and every other baseline at least 0.1 above it, on both parts of every small task", async () => {
    const { store, close } = await openTestStore("pglite");
    try {
      await createDemo(store, { size: "small" });
      const { user: admin } = await store.users.create("ranking-admin", "admin", newToken());
      const seen: string[] = [];
      for (const spec of demoTaskSpecs("small", "demo-2018-small"))
        for (const scores of ["public", "private"] as const) {
          const board = await leaderboard(store, spec.name, admin, { scores });
          const auc = new Map(board.rows.map((r) => [r.method, r.rocAuc]));
          expect([...auc.keys()].sort()).toEqual(
            [RANDOM_METHOD, REFERENCE_RUN_METHOD, RUN_MEDIAN_METHOD].sort(),
          );
          const random = auc.get(RANDOM_METHOD)!;
          expect(Math.abs(random - 0.5)).toBeLessThanOrEqual(0.05);
          for (const method of [RUN_MEDIAN_METHOD, REFERENCE_RUN_METHOD]) {
            seen.push(
              `${spec.name} ${scores} ${method}: ${auc.get(method)!.toFixed(3)} (random ${random.toFixed(3)})`,
            );
            expect(auc.get(method)!).toBeGreaterThanOrEqual(random + 0.1);
          }
        }
      expect(seen).toHaveLength(8);
    } finally {
      await close();
    }
  }, 300_000);
});
