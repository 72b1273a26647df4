import { rankByScore } from "../src/ranking";
import { greyZone, greyZoneCurve, type GreyZone, type GreyZoneCurve } from "../src/grey-zone";
import { tiny, prng, TINY_STRICT_GREY_ZONE } from "./helpers";

/** Every (low, high) cut pair straight from the definition, recounting the raw arrays: O(groups^2 n). */
function bruteForce(scores: Float64Array, labels: Uint8Array, alpha: number, beta: number): GreyZone {
  const n = scores.length;
  const nGood = labels.filter((l) => l === 0).length;
  const cuts: (number | null)[] = [null, ...new Set(scores)];
  let best: GreyZone | null = null;
  for (const low of cuts)
    for (const high of cuts) {
      if (low !== null && high !== null && !(low < high)) continue;
      let autoGood = 0;
      let badInGood = 0;
      let autoBad = 0;
      let goodInBad = 0;
      for (let i = 0; i < n; i++) {
        if (low !== null && scores[i] <= low) {
          autoGood++;
          badInGood += labels[i];
        } else if (high !== null && scores[i] >= high) {
          autoBad++;
          goodInBad += 1 - labels[i];
        }
      }
      const pollution = autoGood === 0 ? 0 : badInGood / autoGood;
      const rejectedGoodFraction = nGood === 0 ? 0 : goodInBad / nGood;
      if (pollution > alpha || rejectedGoodFraction > beta) continue;
      const zone = { savedEffort: (autoGood + autoBad) / n, lowCut: low, highCut: high };
      if (best === null || zone.savedEffort > best.savedEffort)
        best = { ...zone, autoGood, autoBad, pollution, rejectedGoodFraction };
    }
  if (best === null) throw new Error("no cuts at all is always valid");
  return best;
}

function recount(scores: Float64Array, labels: Uint8Array, z: GreyZone) {
  let autoGood = 0;
  let autoBad = 0;
  for (let i = 0; i < scores.length; i++) {
    if (z.lowCut !== null && scores[i] <= z.lowCut) autoGood++;
    else if (z.highCut !== null && scores[i] >= z.highCut) autoBad++;
  }
  expect(labels.length).toBe(scores.length);
  return { autoGood, autoBad };
}

function curveAt(c: GreyZoneCurve, alpha: number): number {
  let k = -1;
  while (k + 1 < c.alpha.length && c.alpha[k + 1] <= alpha) k++;
  return c.savedEffort[k];
}

describe("grey zone", () => {
  it("strict settings: only the unanimous ends are decided", () => {
    expect(greyZone(tiny(), 0.01, 0.01)).toEqual(TINY_STRICT_GREY_ZONE);
  });

  it("loose settings meet in the middle without splitting a tie group", () => {
    // Auto-GOOD {0.1, 0.5 x3}: 1 bad of 4; auto-BAD {0.9, 0.8 x2}: 1 of 4 good ones.
    expect(greyZone(tiny(), 0.25, 0.25)).toEqual({
      savedEffort: 1,
      lowCut: 0.5,
      highCut: 0.8,
      autoGood: 4,
      autoBad: 3,
      pollution: 0.25,
      rejectedGoodFraction: 0.25,
    });
    expect(greyZone(tiny(), 0.3, 0)).toMatchObject({ savedEffort: 5 / 7, lowCut: 0.5, highCut: 0.9 });
  });

  it("prefers the most auto-GOOD among equally good cuts", () => {
    expect(greyZone(tiny(), 1, 1)).toMatchObject({ savedEffort: 1, lowCut: 0.9, highCut: null, autoBad: 0 });
  });

  it("all tied: one group, decided as a whole or not at all", () => {
    const r = rankByScore(Float64Array.from([2, 2, 2, 2]), Uint8Array.from([1, 0, 0, 0]));
    expect(greyZone(r, 0.01, 0.01)).toEqual({
      savedEffort: 0,
      lowCut: null,
      highCut: null,
      autoGood: 0,
      autoBad: 0,
      pollution: 0,
      rejectedGoodFraction: 0,
    });
    expect(greyZone(r, 0.25, 0)).toMatchObject({ savedEffort: 1, lowCut: 2, highCut: null, autoGood: 4 });
  });

  it("no bad lumisections: everything is certified GOOD", () => {
    const r = rankByScore(Float64Array.from([3, 1, 2]), Uint8Array.from([0, 0, 0]));
    expect(greyZone(r, 0, 0)).toMatchObject({ savedEffort: 1, lowCut: 3, highCut: null, autoGood: 3 });
  });

  it("no good lumisections: everything is flagged BAD", () => {
    const r = rankByScore(Float64Array.from([3, 1, 2]), Uint8Array.from([1, 1, 1]));
    expect(greyZone(r, 0.5, 0)).toMatchObject({ savedEffort: 1, lowCut: null, highCut: 1, autoBad: 3 });
  });

  it("refuses rates outside [0, 1]", () => {
    expect(() => greyZone(tiny(), 1.5, 0.01)).toThrow("alpha must be a number in [0, 1], got 1.5");
    expect(() => greyZone(tiny(), 0.01, NaN)).toThrow("beta must be a number in [0, 1], got NaN");
    expect(() => greyZoneCurve(tiny(), -1)).toThrow("beta must be a number in [0, 1], got -1");
  });

  it("curve: the Pareto steps of (pollution, saved effort)", () => {
    const c = greyZoneCurve(tiny(), 0.01);
    expect(Array.from(c.alpha)).toEqual([0, 0.25, 1 / 3]);
    expect(Array.from(c.savedEffort)).toEqual([2 / 7, 5 / 7, 1]);
  });

  it("matches brute-force enumeration of all cut pairs on random inputs with ties", () => {
    const rand = prng(12345);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rand() * 40);
      const levels = 1 + Math.floor(rand() * 12);
      const badRate = rand();
      const labels = Uint8Array.from({ length: n }, () => (rand() < badRate ? 1 : 0));
      const scores = Float64Array.from(labels, (l) => Math.floor((rand() + 0.4 * l) * levels));
      const alpha = [0, 0.01, 0.1, 0.3, 1][trial % 5];
      const beta = [0, 0.01, 0.2, 0.5, 1][Math.floor(trial / 5) % 5];
      const r = rankByScore(scores, labels);
      const got = greyZone(r, alpha, beta);
      const want = bruteForce(scores, labels, alpha, beta);
      expect(got.savedEffort).toBe(want.savedEffort);
      expect(got.pollution).toBeLessThanOrEqual(alpha);
      expect(got.rejectedGoodFraction).toBeLessThanOrEqual(beta);
      expect(recount(scores, labels, got)).toEqual({ autoGood: got.autoGood, autoBad: got.autoBad });
      if (got.lowCut !== null && got.highCut !== null) expect(got.lowCut).toBeLessThan(got.highCut);
      const curve = greyZoneCurve(r, beta);
      expect(curveAt(curve, alpha)).toBe(got.savedEffort);
      for (const a of curve.alpha) expect(curveAt(curve, a)).toBe(greyZone(r, a, beta).savedEffort);
    }
  });
});
