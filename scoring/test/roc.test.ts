import { rankByScore } from "../src/ranking";
import { rocAuc, rocCurve, recallAtFpr } from "../src/roc";
import { tiny } from "./helpers";

describe("ROC", () => {
  it("has one point per tie group after the 'flag nothing' point", () => {
    const c = rocCurve(tiny());
    expect(Array.from(c.thresholds)).toEqual([Infinity, 0.9, 0.8, 0.5, 0.1]);
    expect(Array.from(c.fpr)).toEqual([0, 0, 0.25, 0.75, 1]);
    expect(Array.from(c.tpr)).toEqual([0, 1 / 3, 2 / 3, 1, 1]);
  });

  it("AUC is Mann-Whitney U with ties counted 1/2", () => {
    // Of 12 (bad, good) pairs: bad 0.9 beats 4; bad 0.8 beats 3 and ties 1; bad 0.5 beats 1 and ties 2.
    expect(rocAuc(tiny())).toBe(9.5 / 12);
  });

  it("AUC is 0.5 when everything ties, 1 and 0 for perfect and reversed rankings", () => {
    const labels = Uint8Array.from([1, 0, 1, 0]);
    expect(rocAuc(rankByScore(Float64Array.from([3, 3, 3, 3]), labels))).toBe(0.5);
    expect(rocAuc(rankByScore(Float64Array.from([4, 1, 3, 2]), labels))).toBe(1);
    expect(rocAuc(rankByScore(Float64Array.from([1, 4, 2, 3]), labels))).toBe(0);
  });

  it("recall at FPR is the largest TPR whose FPR <= target", () => {
    const r = tiny();
    expect(recallAtFpr(r, 0)).toBe(1 / 3);
    expect(recallAtFpr(r, 0.2)).toBe(1 / 3);
    expect(recallAtFpr(r, 0.25)).toBe(2 / 3);
    expect(recallAtFpr(r, 0.5)).toBe(2 / 3);
    expect(recallAtFpr(r, 0.75)).toBe(1);
    expect(recallAtFpr(r, 1)).toBe(1);
  });

  it("recall at FPR is 0 when the top tie group already holds a good lumisection", () => {
    const r = rankByScore(Float64Array.from([2, 2, 1]), Uint8Array.from([1, 0, 0]));
    expect(recallAtFpr(r, 0.01)).toBe(0);
  });

  it("is NaN when a class is absent", () => {
    const noBad = rankByScore(Float64Array.from([1, 2]), Uint8Array.from([0, 0]));
    const noGood = rankByScore(Float64Array.from([1, 2]), Uint8Array.from([1, 1]));
    for (const r of [noBad, noGood]) {
      expect(rocAuc(r)).toBeNaN();
      expect(recallAtFpr(r, 0.01)).toBeNaN();
    }
    expect(Array.from(rocCurve(noGood).fpr).every(Number.isNaN)).toBe(true);
  });
});
