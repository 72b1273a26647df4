/** Inputs shared by the metric tests. */
import { rankByScore } from "../src/ranking";

/**
 * The worked example of docs/metrics.md. Groups (descending): 0.9 {1 bad}, 0.8 {1 bad, 1 good},
 * 0.5 {1 bad, 2 good}, 0.1 {1 good}.
 */
export const tinyScores = () => Float64Array.from([0.5, 0.9, 0.1, 0.8, 0.5, 0.8, 0.5]);
export const tinyLabels = () => Uint8Array.from([1, 1, 0, 1, 0, 0, 0]);
export const tiny = () => rankByScore(tinyScores(), tinyLabels());

/** The grey zone of `tiny()` at alpha = beta = 0.01 (docs/metrics.md): only the unanimous ends decided. */
export const TINY_STRICT_GREY_ZONE = {
  savedEffort: 2 / 7,
  lowCut: 0.1,
  highCut: 0.9,
  autoGood: 1,
  autoBad: 1,
  pollution: 0,
  rejectedGoodFraction: 0,
};

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
