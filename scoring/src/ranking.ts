/**
 * The one sort every metric shares. All scoring metrics (ROC, PR, recall at FPR, grey zone) depend on a
 * submission only through how many bad and good lumisections sit at or above each distinct score, so the
 * sort is reduced to tie groups with cumulative counts and every metric is then an O(groups) scan.
 */
import { ScoringInputError } from "./errors";

/** Typed arrays on the service's path; any array of numbers works (the kernel library passes plain arrays). */
export type Scores = Float64Array | Float32Array | ArrayLike<number>;
/** 1 = bad (anomalous, the positive class), 0 = good; any other value is refused. */
export type Labels = Uint8Array | Int8Array | ArrayLike<number>;

/**
 * Scores grouped by distinct value, highest first. Group k holds every lumisection whose score equals
 * `scores[k]`; a tie group is never split. `tp[j]` / `fp[j]` count bad / good lumisections in the top j
 * groups, so index 0 is "nothing flagged" and index `groups` is "everything flagged".
 */
export interface RankedScores {
  n: number;
  nBad: number;
  nGood: number;
  groups: number;
  /** Distinct scores, strictly decreasing, length `groups`. */
  scores: Float64Array;
  /** Cumulative bad counts, length `groups + 1`, tp[0] = 0, tp[groups] = nBad. */
  tp: Uint32Array;
  /** Cumulative good counts, length `groups + 1`, fp[0] = 0, fp[groups] = nGood. */
  fp: Uint32Array;
}

/** Validates the inputs and sorts once: O(n log n), no per-element objects. */
export function rankByScore(scores: Scores, labels: Labels): RankedScores {
  const n = scores.length;
  if (n === 0) throw new ScoringInputError("no scores to evaluate: the input is empty");
  if (labels.length !== n) throw new RangeError(`got ${n} scores but ${labels.length} labels`);
  let nBad = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l !== 0 && l !== 1)
      throw new RangeError(`label at index ${i} is ${l}: labels must be 0 (good) or 1 (bad)`);
    nBad += l;
    // The caller validates submissions; NaN would silently corrupt the sort order, so refuse it here too.
    if (Number.isNaN(scores[i]))
      throw new ScoringInputError(`score at index ${i} is NaN: every score must be a number`);
  }
  // Labels are binary, so sorting each class's scores natively (no comparator: V8's fast path) and
  // merging them yields the tie groups without an argsort.
  const bad = new Float64Array(nBad);
  const good = new Float64Array(n - nBad);
  for (let i = 0, b = 0, g = 0; i < n; i++) {
    if (labels[i] === 1) bad[b++] = scores[i];
    else good[g++] = scores[i];
  }
  bad.sort();
  good.sort();
  return mergeDescending(bad, good);
}

/** Walks both ascending arrays from the top, one tie group per distinct value (-0 and +0 are one group). */
function mergeDescending(bad: Float64Array, good: Float64Array): RankedScores {
  const n = bad.length + good.length;
  const values = new Float64Array(n);
  const tp = new Uint32Array(n + 1);
  const fp = new Uint32Array(n + 1);
  let b = bad.length - 1;
  let g = good.length - 1;
  let k = 0;
  let cumBad = 0;
  let cumGood = 0;
  while (b >= 0 || g >= 0) {
    const v = b < 0 ? good[g] : g < 0 ? bad[b] : Math.max(bad[b], good[g]);
    while (b >= 0 && bad[b] === v) {
      cumBad++;
      b--;
    }
    while (g >= 0 && good[g] === v) {
      cumGood++;
      g--;
    }
    values[k] = v === 0 ? 0 : v;
    k++;
    tp[k] = cumBad;
    fp[k] = cumGood;
  }
  return {
    n,
    nBad: bad.length,
    nGood: good.length,
    groups: k,
    scores: values.slice(0, k),
    tp: tp.slice(0, k + 1),
    fp: fp.slice(0, k + 1),
  };
}

/** Rates in settings (alpha, beta, FPR targets) are fractions; anything else is a configuration mistake. */
export function checkRate(name: string, value: number): void {
  if (!(value >= 0 && value <= 1))
    throw new ScoringInputError(`${name} must be a number in [0, 1], got ${value}`);
}
