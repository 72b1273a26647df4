import { rankByScore } from "../src/ranking";
import { averagePrecision, precisionRecallCurve } from "../src/precision-recall";
import { tiny } from "./helpers";

describe("precision-recall", () => {
  it("curve: one point per tie group, starting at recall 0 and precision 1", () => {
    const c = precisionRecallCurve(tiny());
    expect(Array.from(c.thresholds)).toEqual([Infinity, 0.9, 0.8, 0.5, 0.1]);
    expect(Array.from(c.recall)).toEqual([0, 1 / 3, 2 / 3, 1, 1]);
    expect(Array.from(c.precision)).toEqual([1, 1, 2 / 3, 3 / 6, 3 / 7]);
  });

  it("AP sums (R_n - R_{n-1}) P_n with each tie group as one threshold", () => {
    // Recall steps of 1/3 at precisions 1, 2/3 (tie group {bad, good} at 0.8) and 3/6 (group at 0.5).
    expect(averagePrecision(tiny())).toBeCloseTo(13 / 18, 15);
  });

  it("AP of an all-tied submission is the fraction of bad lumisections", () => {
    const r = rankByScore(Float64Array.from([1, 1, 1, 1]), Uint8Array.from([1, 0, 0, 0]));
    expect(averagePrecision(r)).toBe(0.25);
  });

  it("AP is 1 without good lumisections and NaN without bad ones", () => {
    expect(averagePrecision(rankByScore(Float64Array.from([1, 2]), Uint8Array.from([1, 1])))).toBe(1);
    const noBad = rankByScore(Float64Array.from([1, 2]), Uint8Array.from([0, 0]));
    expect(averagePrecision(noBad)).toBeNaN();
    expect(Array.from(precisionRecallCurve(noBad).recall).every(Number.isNaN)).toBe(true);
  });
});
