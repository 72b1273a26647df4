import { evaluate } from "../src/index";

// docs/metrics.md worked example: groups 0.9 (1 bad), 0.8 (1 bad, 1 good), 0.5 (1 bad, 2 good), 0.1 (1 good).
const scores = [0.9, 0.8, 0.8, 0.5, 0.5, 0.5, 0.1];
const labels = [1, 1, 0, 1, 0, 0, 0];

describe("evaluate", () => {
  test("ranking: tie groups with cumulative counts, -0 and +0 one group", () => {
    const r = evaluate.rankByScore(Float64Array.from([0, -0, 1]), [1, 0, 0]);
    expect(r.groups).toBe(2);
    expect(Array.from(r.tp)).toEqual([0, 0, 1]);
    expect(Array.from(r.fp)).toEqual([0, 1, 2]);
    expect(() => evaluate.rankByScore([], [])).toThrow("no scores to evaluate: the input is empty");
    expect(() => evaluate.rankByScore([NaN], [1])).toThrow(
      "score at index 0 is NaN: every score must be a number",
    );
    expect(() => evaluate.rankByScore([1], [2])).toThrow(
      "label at index 0 is 2: labels must be 0 (good) or 1 (bad)",
    );
    expect(() => evaluate.rankByScore([1, 2], [1])).toThrow("got 2 scores but 1 labels");
  });

  test("ROC AUC with ties counted one half (9.5 / 12) and the ROC curve", () => {
    expect(evaluate.rocAuc(scores, labels)).toBeCloseTo(9.5 / 12, 15);
    const c = evaluate.rocCurve(scores, labels);
    expect(Array.from(c.fpr)).toEqual([0, 0, 0.25, 0.75, 1]);
    expect(Array.from(c.tpr)).toEqual([0, 1 / 3, 2 / 3, 1, 1]);
    expect(Array.from(c.thresholds)).toEqual([Infinity, 0.9, 0.8, 0.5, 0.1]);
    // all tied: 1/2
    expect(evaluate.rocAuc([1, 1, 1, 1], [1, 0, 1, 0])).toBe(0.5);
    expect(evaluate.rocAuc([1, 2], [1, 1])).toBeNaN();
  });

  test("average precision (13/18) and the precision-recall curve", () => {
    expect(evaluate.averagePrecision(scores, labels)).toBeCloseTo(13 / 18, 15);
    const c = evaluate.precisionRecall(scores, labels);
    expect(Array.from(c.recall)).toEqual([0, 1 / 3, 2 / 3, 1, 1]);
    expect(Array.from(c.precision)).toEqual([1, 1, 2 / 3, 0.5, 3 / 7]);
    expect(evaluate.averagePrecision([1, 2], [0, 0])).toBeNaN();
  });

  test("recall at a fixed FPR: no interpolation, flag-nothing included", () => {
    expect(evaluate.recallAtFpr(scores, labels, 0.01)).toBeCloseTo(1 / 3, 15);
    expect(evaluate.recallAtFpr(scores, labels, 0.25)).toBeCloseTo(2 / 3, 15);
    expect(evaluate.recallAtFpr([1, 1], [1, 0], 0.5)).toBe(0); // the top group already has too many good
    expect(() => evaluate.recallAtFpr(scores, labels, 2)).toThrow(
      "FPR target must be a number in [0, 1], got 2",
    );
  });

  test("grey zone: the documented example", () => {
    const a = evaluate.greyZone(scores, labels, { alpha: 0.01, beta: 0.01 });
    expect(a).toEqual({
      savedEffort: 2 / 7,
      lowCut: 0.1,
      highCut: 0.9,
      autoGood: 1,
      autoBad: 1,
      pollution: 0,
      rejectedGoodFraction: 0,
    });
    const b = evaluate.greyZone(scores, labels, { alpha: 0.3, beta: 0 });
    expect(b.savedEffort).toBeCloseTo(5 / 7, 15);
    expect(b).toMatchObject({ lowCut: 0.5, highCut: 0.9, autoGood: 4, autoBad: 1, pollution: 0.25 });
    const c = evaluate.greyZone(scores, labels, { alpha: 0.25, beta: 0.25 });
    expect(c).toMatchObject({
      savedEffort: 1,
      lowCut: 0.5,
      highCut: 0.8,
      pollution: 0.25,
      rejectedGoodFraction: 0.25,
    });
    const curve = evaluate.greyZoneCurve(scores, labels, { beta: 0.01 });
    expect(Array.from(curve.alpha)).toEqual([0, 0.25, 1 / 3]);
    expect(Array.from(curve.savedEffort)).toEqual([2 / 7, 5 / 7, 1]);
    expect(() => evaluate.greyZone(scores, labels, { alpha: -1 })).toThrow(
      "alpha must be a number in [0, 1], got -1",
    );
  });

  test("grey zone equals brute force over every cut pair on random data", () => {
    let seed = 3;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 40; trial++) {
      const n = 3 + Math.floor(rnd() * 12);
      const s = Array.from({ length: n }, () => Math.floor(rnd() * 6));
      const l = Array.from({ length: n }, () => (rnd() < 0.4 ? 1 : 0));
      const alpha = [0, 0.1, 0.3][trial % 3];
      const beta = [0, 0.2, 0.5][Math.floor(trial / 3) % 3];
      const nGood = l.filter((v) => v === 0).length;
      const cuts = [-Infinity, ...new Set(s)].sort((p, q) => p - q);
      let best = 0;
      for (const lo of cuts)
        for (const hi of [...cuts.slice(1), Infinity]) {
          if (hi !== Infinity && lo !== -Infinity && !(lo < hi)) continue;
          const good = s.map((v, i) => [v, l[i]]).filter(([v]) => v <= lo);
          const bad = s.map((v, i) => [v, l[i]]).filter(([v]) => v >= hi);
          if (good.some(([v]) => v >= hi)) continue;
          const pollution = good.length ? good.filter(([, y]) => y === 1).length / good.length : 0;
          const rejected = nGood && bad.length ? bad.filter(([, y]) => y === 0).length / nGood : 0;
          if (pollution <= alpha && rejected <= beta) best = Math.max(best, (good.length + bad.length) / n);
        }
      expect(evaluate.greyZone(s, l, { alpha, beta }).savedEffort).toBeCloseTo(best, 12);
    }
  });

  test("metrics: every field as the service reports them", () => {
    const m = evaluate.metrics(Float32Array.from(scores), Uint8Array.from(labels), { fprTargets: [0.25] });
    expect(m.rocAuc).toBeCloseTo(9.5 / 12, 15);
    expect(m.averagePrecision).toBeCloseTo(13 / 18, 15);
    expect(Object.keys(m.recallAtFpr)).toEqual(["0.25"]);
    expect(m).toMatchObject({ n: 7, nBad: 3 });
    expect(Object.keys(evaluate.metrics(scores, labels).recallAtFpr)).toEqual(["0.01", "0.001"]);
  });

  test("score distributions, worst lumisections and the reference histogram", () => {
    const d = evaluate.scoreDistributions([0, 1, 2, 3], [0, 0, 1, 1], { bins: 2 });
    expect(Array.from(d.edges)).toEqual([0, 1.5, 3]);
    expect(d.series.map((s) => [s.name, Array.from(s.counts), s.total])).toEqual([
      ["good", [2, 0], 2],
      ["bad", [0, 2], 2],
    ]);
    const lg = evaluate.scoreDistributions([0.01, 1, 100], null, { bins: 2, log: true });
    expect(Array.from(lg.edges)).toEqual([-2, 0, 2]);
    expect(Array.from(lg.series[0].counts)).toEqual([1, 2]);
  });
});
