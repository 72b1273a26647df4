/** One baseline's submission: the method name (also its idempotency key), a description and the scores. */
export interface BaselineScores {
  method: string;
  description: string;
  /** One score per test lumisection, in the test split's row order; higher = more anomalous. */
  scores: Float64Array;
}
