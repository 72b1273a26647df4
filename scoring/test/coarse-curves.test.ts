import { rankByScore } from "../src/ranking";
import { recallAtFpr, rocCurve } from "../src/roc";
import { greyZone, greyZoneCurve } from "../src/grey-zone";
import { coarseCurves, GREY_ZONE_ALPHA_GRID, ROC_FPR_GRID, savedEffortAt } from "../src/coarse-curves";
import { tiny, prng } from "./helpers";

describe("coarse curves", () => {
  it("uses the documented fixed grids", () => {
    expect(ROC_FPR_GRID).toEqual([
      0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
    ]);
    expect(GREY_ZONE_ALPHA_GRID).toEqual([
      0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1,
    ]);
    const c = coarseCurves(tiny(), 0.01);
    expect(c.roc.fpr).toEqual([...ROC_FPR_GRID]);
    expect(c.greyZone.alpha).toEqual([...GREY_ZONE_ALPHA_GRID]);
    expect(c.greyZone.beta).toBe(0.01);
  });

  it("hand-computed: the worked example of docs/metrics.md", () => {
    // FP = [0, 0, 1, 3, 4] of 4 good, TP = [0, 1, 2, 3, 3] of 3 bad: TPR 1/3 until FPR 1/4, 2/3 until 3/4.
    const c = coarseCurves(tiny(), 0.01);
    expect(c.roc.tpr).toEqual([
      ...Array<number>(10).fill(1 / 3), // FPR 0 .. 0.2
      ...Array<number>(5).fill(2 / 3), // 0.3 .. 0.7
      1, // 0.8
      1, // 0.9
      1, // 1
    ]);
    // Exact curve at beta = 0.01: alpha [0, 1/4, 1/3] -> saved [2/7, 5/7, 1].
    expect(c.greyZone.savedEffort).toEqual([
      ...Array<number>(12).fill(2 / 7), // alpha 0 .. 0.2
      5 / 7, // 0.3
      1, // 0.5
      1, // 1
    ]);
  });

  it("takes custom grids and evaluates the grey-zone steps at their left edges", () => {
    const c = coarseCurves(tiny(), 0.01, { fpr: [0.25, 0.75], alpha: [0.25, 1 / 3 - 1e-12, 1 / 3] });
    expect(c.roc).toEqual({ fpr: [0.25, 0.75], tpr: [2 / 3, 1] });
    expect(c.greyZone.savedEffort).toEqual([5 / 7, 5 / 7, 1]);
  });

  it("is the exact statistics at the grid points, on random inputs with ties", () => {
    const rand = prng(777);
    for (let trial = 0; trial < 100; trial++) {
      const n = 2 + Math.floor(rand() * 60);
      const levels = 1 + Math.floor(rand() * 15);
      const badRate = rand();
      const labels = Uint8Array.from({ length: n }, () => (rand() < badRate ? 1 : 0));
      const scores = Float64Array.from(labels, (l) => Math.floor((rand() + 0.4 * l) * levels));
      const beta = [0, 0.01, 0.2, 0.5, 1][trial % 5];
      const r = rankByScore(scores, labels);
      const c = coarseCurves(r, beta);
      const exactRoc = rocCurve(r);
      c.roc.fpr.forEach((f, k) => {
        expect(c.roc.tpr[k]).toBe(recallAtFpr(r, f));
        if (r.nBad > 0 && r.nGood > 0) {
          // The largest exact ROC point at or left of f.
          let best = 0;
          for (let j = 0; j < exactRoc.fpr.length; j++)
            if (exactRoc.fpr[j] <= f) best = Math.max(best, exactRoc.tpr[j]);
          expect(c.roc.tpr[k]).toBe(best);
        }
      });
      const exact = greyZoneCurve(r, beta);
      c.greyZone.alpha.forEach((a, k) => {
        expect(c.greyZone.savedEffort[k]).toBe(greyZone(r, a, beta).savedEffort);
        expect(c.greyZone.savedEffort[k]).toBe(savedEffortAt(exact, a));
      });
      for (let k = 1; k < c.roc.tpr.length; k++)
        if (r.nBad > 0 && r.nGood > 0) expect(c.roc.tpr[k]).toBeGreaterThanOrEqual(c.roc.tpr[k - 1]);
      for (let k = 1; k < c.greyZone.savedEffort.length; k++)
        expect(c.greyZone.savedEffort[k]).toBeGreaterThanOrEqual(c.greyZone.savedEffort[k - 1]);
      expect(c.greyZone.savedEffort[c.greyZone.savedEffort.length - 1]).toBe(1);
    }
  });

  it("steps of the exact grey-zone curve agree with the exact optimum at every step edge", () => {
    const r = tiny();
    const exact = greyZoneCurve(r, 0.01);
    for (const a of exact.alpha) expect(savedEffortAt(exact, a)).toBe(greyZone(r, a, 0.01).savedEffort);
  });

  it("ROC is NaN (JSON null) when a class is absent; the grey zone is still defined", () => {
    const r = rankByScore(Float64Array.from([3, 1, 2]), Uint8Array.from([0, 0, 0]));
    const c = coarseCurves(r, 0);
    expect(c.roc.tpr.every(Number.isNaN)).toBe(true);
    expect(c.greyZone.savedEffort.every((s) => s === 1)).toBe(true);
    expect(JSON.parse(JSON.stringify(c)).roc.tpr[0]).toBeNull();
  });

  it("refuses bad settings and grids", () => {
    expect(() => coarseCurves(tiny(), 2)).toThrow("beta must be a number in [0, 1], got 2");
    expect(() => coarseCurves(tiny(), 0.01, { fpr: [], alpha: [0] })).toThrow("the fpr grid is empty");
    expect(() => coarseCurves(tiny(), 0.01, { fpr: [0, 1.5], alpha: [0] })).toThrow(
      "fpr grid entry must be a number in [0, 1], got 1.5",
    );
    expect(() => coarseCurves(tiny(), 0.01, { fpr: [0], alpha: [0.1, 0.1] })).toThrow(
      "the alpha grid must increase: 0.1 is followed by 0.1",
    );
  });
});
