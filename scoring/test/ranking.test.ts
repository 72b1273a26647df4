import { rankByScore } from "../src/ranking";
import { ScoringInputError } from "../src/errors";

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

describe("rankByScore", () => {
  it("groups tied scores, highest first, with cumulative bad and good counts", () => {
    const r = rankByScore(f64([0.5, 0.9, 0.1, 0.8, 0.5, 0.8, 0.5]), u8([1, 1, 0, 1, 0, 0, 0]));
    expect(r).toMatchObject({ n: 7, nBad: 3, nGood: 4, groups: 4 });
    expect(Array.from(r.scores)).toEqual([0.9, 0.8, 0.5, 0.1]);
    expect(Array.from(r.tp)).toEqual([0, 1, 2, 3, 3]);
    expect(Array.from(r.fp)).toEqual([0, 0, 1, 3, 4]);
  });

  it("treats -0 and +0 as one tie group and accepts infinities", () => {
    const r = rankByScore(f64([-0, 0, Infinity, -Infinity]), u8([1, 0, 0, 1]));
    expect(Array.from(r.scores)).toEqual([Infinity, 0, -Infinity]);
    expect(Object.is(r.scores[1], 0)).toBe(true);
    expect(Array.from(r.tp)).toEqual([0, 0, 1, 2]);
    expect(Array.from(r.fp)).toEqual([0, 1, 2, 2]);
  });

  it("takes Float32Array scores", () => {
    const r = rankByScore(Float32Array.from([0.1, 0.1, 0.3]), u8([0, 1, 1]));
    expect(r.groups).toBe(2);
    expect(r.scores[1]).toBe(Math.fround(0.1));
  });

  it("refuses an empty submission", () => {
    const run = () => rankByScore(f64([]), u8([]));
    expect(run).toThrow(ScoringInputError);
    expect(run).toThrow("no scores to evaluate: the input is empty");
  });

  it("refuses NaN scores, naming the index", () => {
    const run = () => rankByScore(f64([0.1, NaN]), u8([0, 1]));
    expect(run).toThrow(ScoringInputError);
    expect(run).toThrow("score at index 1 is NaN: every score must be a number");
  });

  it("refuses mismatched lengths and labels other than 0 and 1", () => {
    expect(() => rankByScore(f64([1, 2]), u8([1]))).toThrow(new RangeError("got 2 scores but 1 labels"));
    expect(() => rankByScore(f64([1, 2]), u8([1, 2]))).toThrow(
      new RangeError("label at index 1 is 2: labels must be 0 (good) or 1 (bad)"),
    );
  });
});
