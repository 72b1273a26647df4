/** Times `scoreAll` (every leaderboard metric) on random predictions. */
import fs from "node:fs";
import os from "node:os";
import { scoreAll, type Metrics } from "@dqm-playground/scoring";
import { Random } from "../util/seeded-random";
import { median } from "./stats";

export interface ScoringInputs {
  scores: Float64Array;
  labels: Uint8Array;
  bad: number;
}

/** `n` scores, 5 % of them bad lumisections scored a little higher (so the ROC AUC is about 0.7). */
export function scoringInputs(n: number, seed = 42): ScoringInputs {
  const rng = new Random(seed);
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    labels[i] = rng.chance(0.05) ? 1 : 0;
    bad += labels[i];
    scores[i] = rng.uniform() + 0.2 * labels[i];
  }
  return { scores, labels, bad };
}

/** Writes the inputs as raw little-endian files (float64 scores, uint8 labels) for the Python reference. */
export function writeScoringInputs(inputs: ScoringInputs, scoresFile: string, labelsFile: string): void {
  if (os.endianness() !== "LE") throw new Error("the Python scoring reference reads little-endian float64");
  const s = inputs.scores;
  fs.writeFileSync(scoresFile, new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
  fs.writeFileSync(labelsFile, inputs.labels);
}

export interface ScoringResult {
  predictions: number;
  bad: number;
  /** Every timed run, after one untimed warm-up. */
  runsMs: number[];
  medianMs: number;
  metrics: Pick<Metrics, "rocAuc" | "averagePrecision" | "recallAtFpr">;
}

/** `scoreAll` on the inputs, `repeat` times after a warm-up. */
export function benchScoring(inputs: ScoringInputs, repeat: number): ScoringResult {
  let metrics = scoreAll(inputs.scores, inputs.labels);
  const runsMs: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    metrics = scoreAll(inputs.scores, inputs.labels);
    runsMs.push(performance.now() - start);
  }
  return {
    predictions: inputs.scores.length,
    bad: inputs.bad,
    runsMs,
    medianMs: median(runsMs),
    metrics: {
      rocAuc: metrics.rocAuc,
      averagePrecision: metrics.averagePrecision,
      recallAtFpr: metrics.recallAtFpr,
    },
  };
}
