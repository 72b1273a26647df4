/**
 * Chi-square to the reference run: what a DQM shifter does. Each lumisection is compared with the
 * mean good histogram of the reference run that precedes it in time (the first reference run for the
 * lumisections before it), so the comparison follows the detector's slow drift through the year.
 * Reference runs are certified good, so only those in the task's train split are used (their labels
 * are public there); when none is, every train run with good lumisections serves as a reference.
 */
import type { Table } from "apache-arrow";
import type { Store } from "../../store/store";
import { taskSpec } from "../task-view";
import { chiSquare, goodTrainRunMeans, latestNotAfter, row, sumOfScaledDistances } from "./split-histograms";
import type { BaselineScores } from "./baseline";

export const REFERENCE_RUN_METHOD = "Chi-square to the reference run (baseline)";

/** Reference runs of `referenceRuns` that have good lumisections in the train split, ascending. */
export function usableReferenceRuns(train: Table, referenceRuns: readonly number[]): number[] {
  const trainRuns = train.getChild("run")!.toArray() as Int32Array;
  const labels = train.getChild("label")!.toArray() as ArrayLike<number>;
  const good = new Set<number>();
  for (let i = 0; i < trainRuns.length; i++) if (labels[i] === 0) good.add(trainRuns[i]);
  const wanted = referenceRuns.filter((r) => good.has(r));
  return [...new Set(wanted.length > 0 ? wanted : good)].sort((a, b) => a - b);
}

export function referenceRunScores(
  train: Table,
  test: Table,
  features: readonly string[],
  referenceRuns: readonly number[],
): Float64Array {
  const references = usableReferenceRuns(train, referenceRuns);
  if (references.length === 0) throw new Error("the train split has no good lumisection to compare with");
  return sumOfScaledDistances(train, test, features, (v) => {
    const means = goodTrainRunMeans(train, v.train);
    // The typical distance of a good lumisection to its reference run, from the other good train runs.
    const goodTrain: number[] = [];
    for (const [run, rows] of v.trainByRun) {
      const others = references.filter((r) => r !== run);
      if (others.length === 0) continue;
      const reference = means.get(latestNotAfter(others, run))!;
      for (const i of rows) if (v.trainLabels[i] === 0) goodTrain.push(chiSquare(row(v.train, i), reference));
    }
    const onTest = new Float64Array(v.test.rows);
    for (const [run, rows] of v.testByRun) {
      const reference = means.get(latestNotAfter(references, run))!;
      for (const i of rows) onTest[i] = chiSquare(row(v.test, i), reference);
    }
    return { goodTrain: Float64Array.from(goodTrain), test: onTest };
  });
}

/** The reference-run baseline of a task, ready to submit. */
export async function referenceRunBaseline(
  store: Store,
  taskName: string,
  referenceRuns: readonly number[],
): Promise<BaselineScores> {
  const task = await store.tasks.get(taskName);
  const spec = taskSpec(task);
  const train = store.splits.read(task.train_sha256);
  const test = store.splits.read(task.test_sha256);
  const used = usableReferenceRuns(train, referenceRuns);
  const designated = used.every((r) => referenceRuns.includes(r));
  return {
    method: REFERENCE_RUN_METHOD,
    description:
      "Each lumisection's histograms are normalised to unit area; the score is the sum over monitor elements of the " +
      "chi-square distance to the mean good histogram of the latest reference run before it in time, divided by the " +
      "median of that distance over the good train lumisections " +
      (designated
        ? `(reference runs in the train split: ${used.join(", ")}).`
        : "(no designated reference run is in the train split: every train run with good lumisections serves as one)."),
    scores: referenceRunScores(train, test, spec.features, referenceRuns),
  };
}
