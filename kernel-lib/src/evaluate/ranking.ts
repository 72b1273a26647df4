/**
 * The one sort every metric shares, with the service's definitions (docs/metrics.md): scores are
 * grouped by distinct value from highest to lowest, and `tp[j]` / `fp[j]` count the bad / good
 * lumisections in the top j tie groups. A tie group is one threshold step and is never split.
 * Bad (label 1) is the positive class; higher scores are more anomalous.
 */

export type ScoreArray = Float32Array | Float64Array | ArrayLike<number>;
/** 1 = bad, 0 = good. */
export type LabelArray = Uint8Array | Int8Array | ArrayLike<number>;

export interface RankedScores {
  n: number;
  nBad: number;
  nGood: number;
  groups: number;
  /** Distinct scores, strictly decreasing. */
  scores: Float64Array;
  /** Cumulative bad counts, length groups + 1, tp[0] = 0. */
  tp: Uint32Array;
  /** Cumulative good counts, length groups + 1, fp[0] = 0. */
  fp: Uint32Array;
}

/** Sorts once: O(n log n). Refuses NaN scores, labels other than 0/1 and empty inputs. */
export function rankByScore(scores: ScoreArray, labels: LabelArray): RankedScores {
  const n = scores.length;
  if (n === 0) throw new Error("no scores to evaluate: the input is empty");
  if (labels.length !== n) throw new RangeError(`got ${n} scores but ${labels.length} labels`);
  let nBad = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l !== 0 && l !== 1)
      throw new RangeError(`label at index ${i} is ${l}: labels must be 0 (good) or 1 (bad)`);
    nBad += l;
    if (Number.isNaN(scores[i]))
      throw new RangeError(`score at index ${i} is NaN: every score must be a number`);
  }
  const bad = new Float64Array(nBad);
  const good = new Float64Array(n - nBad);
  for (let i = 0, b = 0, g = 0; i < n; i++) {
    if (labels[i] === 1) bad[b++] = scores[i];
    else good[g++] = scores[i];
  }
  bad.sort();
  good.sort();
  const values = new Float64Array(n);
  const tp = new Uint32Array(n + 1);
  const fp = new Uint32Array(n + 1);
  let b = bad.length - 1;
  let g = good.length - 1;
  let k = 0;
  while (b >= 0 || g >= 0) {
    const v = b < 0 ? good[g] : g < 0 ? bad[b] : Math.max(bad[b], good[g]);
    let db = 0;
    let dg = 0;
    for (; b >= 0 && bad[b] === v; b--) db++;
    for (; g >= 0 && good[g] === v; g--) dg++;
    values[k] = v === 0 ? 0 : v; // -0 and +0 are one group
    tp[k + 1] = tp[k] + db;
    fp[k + 1] = fp[k] + dg;
    k++;
  }
  return {
    n,
    nBad,
    nGood: n - nBad,
    groups: k,
    scores: values.slice(0, k),
    tp: tp.slice(0, k + 1),
    fp: fp.slice(0, k + 1),
  };
}

/** Rates (alpha, beta, FPR targets) are fractions in [0, 1]. */
export function checkRate(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be a number in [0, 1], got ${value}`);
}
