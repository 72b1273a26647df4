/** Agreement with scikit-learn on random submissions with ties; fixtures/make_reference.py regenerates them. */
import fs from "node:fs";
import path from "node:path";
import { scoreAll } from "../src/metrics";

interface ReferenceCase {
  name: string;
  float32: boolean;
  scores: number[];
  labels: number[];
  rocAuc: number;
  averagePrecision: number;
  recallAtFpr: Record<string, number>;
}

const file = path.join(__dirname, "fixtures/sklearn-reference.json");
const reference = JSON.parse(fs.readFileSync(file, "utf8")) as { cases: ReferenceCase[] };

describe.each(reference.cases.map((c) => [c.name, c] as const))("sklearn reference: %s", (_name, c) => {
  const scores = c.float32 ? Float32Array.from(c.scores) : Float64Array.from(c.scores);
  const fprTargets = Object.keys(c.recallAtFpr).map(Number);
  const m = scoreAll(scores, Uint8Array.from(c.labels), { fprTargets });

  it("has ties to exercise", () => {
    expect(new Set(c.scores).size).toBeLessThan(c.scores.length);
  });

  it("roc_auc_score", () => {
    expect(Math.abs(m.rocAuc - c.rocAuc)).toBeLessThanOrEqual(1e-12);
  });

  it("average_precision_score", () => {
    expect(Math.abs(m.averagePrecision - c.averagePrecision)).toBeLessThanOrEqual(1e-12);
  });

  it("largest roc_curve TPR with FPR <= target", () => {
    expect(m.recallAtFpr).toEqual(c.recallAtFpr);
  });
});
