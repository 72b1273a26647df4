/**
 * Reference submissions made when the demo is created, so a leaderboard is never empty and newcomers
 * see what "good" means: random scores, and a statistical score (chi-square distance of each
 * lumisection's normalised histograms to the mean normalised histogram of the good train lumisections).
 */
import fs from "node:fs";
import { tableFromIPC, type Table } from "apache-arrow";
import type { Store } from "../store/store";
import { blockPath } from "../store/block-files";
import { createUser, userByName, newToken, type User } from "../store/users";
import { Random } from "../demo/random";
import { taskRow, taskSpec } from "./task-store";
import { submit, type SubmissionView } from "./submissions";

export const BASELINE_USER = "baseline";

function readSplit(store: Store, sha256: string): Table {
  return tableFromIPC(fs.readFileSync(blockPath(store.blocksDir, sha256)));
}

/** Bins of one feature column as rows of a contiguous Float32Array (batches concatenated). */
function featureMatrix(table: Table, name: string): { values: Float32Array; width: number } {
  const column = table.getChild(name);
  if (!column) throw new Error(`split lacks feature column ${name}`);
  const chunks = column.data.map((d) => d.children[0].values as Float32Array);
  const width = (column.type as { listSize: number }).listSize;
  const values = new Float32Array(table.numRows * width);
  let at = 0;
  for (const c of chunks) {
    values.set(c.subarray(0, c.length), at);
    at += c.length;
  }
  return { values, width };
}

function normalise(values: Float32Array, width: number, row: number, out: Float64Array): void {
  let sum = 0;
  for (let j = 0; j < width; j++) sum += values[row * width + j];
  for (let j = 0; j < width; j++) out[j] = sum > 0 ? values[row * width + j] / sum : 0;
}

/** Sum over features of the chi-square distance to the mean good train histogram. */
export function chiSquareScores(train: Table, test: Table, features: string[]): Float64Array {
  const labels = train.getChild("label")!.toArray() as Int8Array;
  const scores = new Float64Array(test.numRows);
  for (const name of features) {
    const tr = featureMatrix(train, name);
    const te = featureMatrix(test, name);
    const mean = new Float64Array(tr.width);
    const row = new Float64Array(tr.width);
    let good = 0;
    for (let i = 0; i < train.numRows; i++) {
      if (labels[i] !== 0) continue;
      normalise(tr.values, tr.width, i, row);
      for (let j = 0; j < tr.width; j++) mean[j] += row[j];
      good++;
    }
    for (let j = 0; j < tr.width; j++) mean[j] /= Math.max(1, good);
    for (let i = 0; i < test.numRows; i++) {
      normalise(te.values, te.width, i, row);
      let chi2 = 0;
      for (let j = 0; j < te.width; j++) {
        const d = row[j] - mean[j];
        chi2 += (d * d) / (mean[j] + row[j] + 1e-12);
      }
      scores[i] += chi2;
    }
  }
  return scores;
}

async function baselineUser(store: Store): Promise<User> {
  // Nobody logs in as the baseline user: its token is random and never written anywhere.
  return (
    (await userByName(store.db, BASELINE_USER)) ??
    (await createUser(store.db, BASELINE_USER, "participant", newToken())).user
  );
}

export async function submitBaselines(store: Store, taskName: string, seed = 1): Promise<SubmissionView[]> {
  const task = await taskRow(store.db, taskName);
  const spec = taskSpec(task);
  const train = readSplit(store, task.train_sha256);
  const test = readSplit(store, task.test_sha256);
  const user = await baselineUser(store);
  const rows = {
    runs: test.getChild("run")!.toArray() as Int32Array,
    lumisections: test.getChild("lumisection")!.toArray() as Int32Array,
  };
  const rng = new Random(seed);
  const baselines = [
    {
      method: "Random scores (baseline)",
      description: "Uniform random scores: what no information gives (ROC AUC about 0.5).",
      scores: Float64Array.from({ length: test.numRows }, () => rng.uniform()),
    },
    {
      method: "Chi-square to mean good histogram (baseline)",
      description:
        "Each lumisection's histograms are normalised to unit area; the score is the sum over monitor elements of the chi-square distance to the mean normalised histogram of the good train lumisections.",
      scores: chiSquareScores(train, test, spec.features),
    },
  ];
  const out: SubmissionView[] = [];
  for (const b of baselines) {
    const { submission } = await submit(
      store,
      taskName,
      user,
      {
        ...rows,
        method: b.method,
        description: b.description,
        splitSha256: task.test_sha256,
        scores: b.scores,
        idempotencyKey: b.method,
      },
      { baseline: true },
    );
    out.push(submission);
  }
  return out;
}
