import { DEFAULT_METRIC_SETTINGS, rankByScore, resolveSettings, scoreAll, scoreRanked } from "../src";
import { ScoringInputError } from "../src/errors";

import { TINY_STRICT_GREY_ZONE, tinyLabels as labels, tinyScores as scores } from "./helpers";

describe("scoreAll", () => {
  it("computes every metric with the default settings", () => {
    const m = scoreAll(scores(), labels());
    expect(m).toEqual({
      rocAuc: 9.5 / 12,
      averagePrecision: expect.closeTo(13 / 18, 15),
      greyZone: TINY_STRICT_GREY_ZONE,
      recallAtFpr: { "0.01": 1 / 3, "0.001": 1 / 3 },
      n: 7,
      nBad: 3,
    });
  });

  it("takes partial settings and agrees with scoreRanked on the same ranking", () => {
    const settings = { alpha: 0.25, beta: 0.25, fprTargets: [0.25] };
    const m = scoreAll(scores(), labels(), settings);
    expect(m.recallAtFpr).toEqual({ "0.25": 2 / 3 });
    expect(m.greyZone.savedEffort).toBe(1);
    expect(scoreRanked(rankByScore(scores(), labels()), settings)).toEqual(m);
    expect(scoreAll(scores(), labels(), { alpha: 0.3, beta: 0 }).recallAtFpr).toEqual({
      "0.01": 1 / 3,
      "0.001": 1 / 3,
    });
  });

  it("defaults are alpha = beta = 0.01 and FPR targets 1e-2, 1e-3", () => {
    expect(resolveSettings()).toEqual({ alpha: 0.01, beta: 0.01, fprTargets: [0.01, 0.001] });
    expect(Object.isFrozen(DEFAULT_METRIC_SETTINGS)).toBe(true);
  });

  it("refuses bad settings before sorting anything", () => {
    const run = () => scoreAll(scores(), labels(), { fprTargets: [0.01, 2] });
    expect(run).toThrow(ScoringInputError);
    expect(run).toThrow("fprTargets entry must be a number in [0, 1], got 2");
    expect(() => scoreAll(scores(), labels(), { alpha: -0.1 })).toThrow(
      "alpha must be a number in [0, 1], got -0.1",
    );
  });

  it("refuses an empty submission and NaN scores", () => {
    expect(() => scoreAll(new Float64Array(0), new Uint8Array(0))).toThrow(
      "no scores to evaluate: the input is empty",
    );
    expect(() => scoreAll(Float32Array.from([NaN]), Uint8Array.from([1]))).toThrow(
      "score at index 0 is NaN: every score must be a number",
    );
  });

  it("a single class gives NaN for the rank metrics but a defined grey zone", () => {
    const m = scoreAll(Float64Array.from([1, 2, 3]), Uint8Array.from([0, 0, 0]));
    expect(m.rocAuc).toBeNaN();
    expect(m.averagePrecision).toBeNaN();
    expect(m.recallAtFpr["0.01"]).toBeNaN();
    expect(m.greyZone).toMatchObject({ savedEffort: 1, lowCut: 3, autoGood: 3 });
    expect(m.nBad).toBe(0);
  });

  it("scores a million predictions with heavy ties and agrees with a counting AUC", () => {
    const n = 1_000_000;
    const s = new Float64Array(n);
    const l = new Uint8Array(n);
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < n; i++) {
      l[i] = next() < 0.02 ? 1 : 0;
      s[i] = Math.floor((next() + 0.5 * l[i]) * 1000);
    }
    const m = scoreAll(s, l);
    // Mann-Whitney U by counting per integer score level: independent of the sort.
    const bad = new Float64Array(1500);
    const good = new Float64Array(1500);
    for (let i = 0; i < n; i++) (l[i] ? bad : good)[s[i]]++;
    let u = 0;
    let goodBelow = 0;
    for (let v = 0; v < 1500; v++) {
      u += bad[v] * (goodBelow + good[v] / 2);
      goodBelow += good[v];
    }
    expect(Math.abs(m.rocAuc - u / (m.nBad * (n - m.nBad)))).toBeLessThan(1e-12);
    expect(m.n).toBe(n);
  });
});
