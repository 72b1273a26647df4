/**
 * Reference submissions made when the demo is created, so a leaderboard is never empty and newcomers
 * see what "good" means: random scores, and statistical scores that a shifter would recognise, each
 * robust to the slow drift of the detector through the year (radiation damage, calibrations): the
 * distance of each lumisection to its own run's median histogram, and to its reference run.
 *
 * A plain distance to the mean good train histogram is not among them: on the pixel charge it ranks
 * whole runs by how far their calibration sits from the year's average rather than lumisections by
 * how anomalous they are (on the old small demo it scored a ROC AUC of 0.02 on a private part).
 */
import type { Store } from "../../store/store";
import { newToken, type User } from "../../store/users";
import { Random } from "../../util/seeded-random";
import { taskSpec } from "../task-view";
import { submit, type SubmissionView } from "../submissions";
import type { BaselineScores } from "./baseline";
import { RUN_MEDIAN_DESCRIPTION, RUN_MEDIAN_METHOD, runMedianScores } from "./run-median";
import { referenceRunBaseline } from "./reference-run";

export type { BaselineScores } from "./baseline";
export { runMedianScores, RUN_MEDIAN_METHOD } from "./run-median";
export {
  referenceRunBaseline,
  referenceRunScores,
  usableReferenceRuns,
  REFERENCE_RUN_METHOD,
} from "./reference-run";

export const BASELINE_USER = "baseline";
export const RANDOM_METHOD = "Random scores (baseline)";

async function baselineUser(store: Store): Promise<User> {
  // Nobody logs in as the baseline user: its token is random and never written anywhere.
  return (
    (await store.users.byName(BASELINE_USER)) ??
    (await store.users.create(BASELINE_USER, "participant", newToken())).user
  );
}

export function randomBaseline(rows: number, seed: number): BaselineScores {
  const rng = new Random(seed);
  return {
    method: RANDOM_METHOD,
    description: "Uniform random scores: what no information gives (ROC AUC about 0.5).",
    scores: Float64Array.from({ length: rows }, () => rng.uniform()),
  };
}

/** Computes every baseline of a task and submits each once (the method name is the idempotency key). */
export async function submitBaselines(
  store: Store,
  taskName: string,
  opts: { referenceRuns?: readonly number[]; seed?: number } = {},
): Promise<SubmissionView[]> {
  const task = await store.tasks.get(taskName);
  const spec = taskSpec(task);
  const train = store.splits.read(task.train_sha256);
  const test = store.splits.read(task.test_sha256);
  const user = await baselineUser(store);
  const rows = {
    runs: test.getChild("run")!.toArray() as Int32Array,
    lumisections: test.getChild("lumisection")!.toArray() as Int32Array,
  };
  const baselines: BaselineScores[] = [
    randomBaseline(test.numRows, opts.seed ?? 1),
    {
      method: RUN_MEDIAN_METHOD,
      description: RUN_MEDIAN_DESCRIPTION,
      scores: runMedianScores(train, test, spec.features),
    },
    await referenceRunBaseline(store, taskName, opts.referenceRuns ?? []),
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
