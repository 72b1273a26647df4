/** A labelled table divided by run into rows to train on and rows held out for local evaluation. */
import type { Table } from "apache-arrow";
import { lumisectionColumns } from "./arrow";
import { splitByRun, type RunSplit } from "./preprocessing";

/**
 * Holds out whole runs (shuffled with `seed`) until `fraction` of the rows are held out, as the
 * service does for the test split, so evaluation never sees a run the model trained on.
 */
export function holdout(table: Table, opts: { fraction?: number; seed?: number } = {}): RunSplit {
  return splitByRun(lumisectionColumns(table).runs, opts.fraction ?? 0.3, opts.seed ?? 0);
}
