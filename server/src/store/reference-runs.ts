/**
 * Designated reference runs of a data set: the certified runs shifters compare other runs with. An
 * admin designates them; the run view, the kernel library and a baseline use, for each run, the
 * designated run nearest before it (else nearest after it).
 *
 * A reference run's certification is public by designation (it is the "good" run others are compared
 * with), so a run in the hidden test split of an open task cannot be designated.
 */
import { MAX_REFERENCE_NOTE_LENGTH } from "@dqm-playground/api-types";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema";
import { ConflictError, InputError } from "../errors";
import { runRoles } from "./run-roles";
import type * as api from "@dqm-playground/api-types";

type Db = Kysely<Database> | Transaction<Database>;

export type ReferenceRun = api.ReferenceRun;

/** A run to designate; `note` undefined keeps the note of a run already designated (null clears it). */
export interface ReferenceRunInput {
  run: number;
  note?: string | null;
}

/** Longest note kept (a sentence or two: why this run). */
export const MAX_NOTE_LENGTH = MAX_REFERENCE_NOTE_LENGTH;

/**
 * The designated run nearest before `run` (runs are numbered in time order), else the nearest after;
 * never `run` itself; null when there is none. `designated` must be sorted ascending.
 */
export function nearestReference(designated: readonly number[], run: number): number | null {
  let before: number | null = null;
  for (const r of designated) {
    if (r < run) before = r;
    else if (r > run) return before ?? r;
  }
  return before;
}

/** The designated runs of a data set, ascending. */
export async function referenceRunNumbers(db: Db, datasetId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("reference_runs")
    .select("run")
    .where("dataset_id", "=", datasetId)
    .orderBy("run")
    .execute();
  return rows.map((r) => r.run);
}

export async function listReferenceRuns(db: Db, datasetId: number): Promise<ReferenceRun[]> {
  const rows = await db
    .selectFrom("reference_runs")
    .select(["run", "note", "set_by", "set_at"])
    .where("dataset_id", "=", datasetId)
    .orderBy("run")
    .execute();
  return rows.map((r) => ({
    run: r.run,
    note: r.note,
    setBy: r.set_by,
    setAt: new Date(r.set_at).toISOString(),
  }));
}

/**
 * Checks a new list of reference runs: no run twice, every run in the data set, notes not too long,
 * and no run in the test split of an open task (its labels are hidden; a designation would reveal
 * that it is good).
 */
async function checkReferenceRuns(
  db: Db,
  datasetId: number,
  dataset: string,
  runs: readonly ReferenceRunInput[],
): Promise<void> {
  const seen = new Set<number>();
  for (const r of runs) {
    if (seen.has(r.run)) throw new InputError(`run ${r.run} is listed twice`);
    seen.add(r.run);
    if (r.note != null && r.note.length > MAX_NOTE_LENGTH)
      throw new InputError(
        `the note of run ${r.run} has ${r.note.length} characters; at most ${MAX_NOTE_LENGTH} are kept`,
      );
  }
  if (runs.length === 0) return;
  const numbers = [...seen];
  const existing = new Set(
    (
      await db
        .selectFrom("runs")
        .select("run")
        .where("dataset_id", "=", datasetId)
        .where("run", "in", numbers)
        .execute()
    ).map((r) => r.run),
  );
  const missing = numbers.find((n) => !existing.has(n));
  if (missing !== undefined) throw new InputError(`data set '${dataset}' has no run ${missing}`);
  // The splits' own account of which runs are hidden (test splits of open tasks).
  const roles = await runRoles(db, datasetId);
  for (const n of numbers.sort((a, b) => a - b)) {
    const hiddenIn = roles.get(n)?.hiddenIn[0];
    if (hiddenIn)
      throw new ConflictError(
        `run ${n} is in the hidden test split of open task ${hiddenIn.task}: designating it as reference would reveal that it is good`,
      );
  }
}

/**
 * Replaces the reference runs of a data set by `runs` (an empty list clears them). Runs that stay keep
 * their designation time and author unless their note changes.
 */
export async function replaceReferenceRuns(
  trx: Transaction<Database>,
  datasetId: number,
  dataset: string,
  runs: readonly ReferenceRunInput[],
  setBy: string | null,
): Promise<void> {
  await checkReferenceRuns(trx, datasetId, dataset, runs);
  let remove = trx.deleteFrom("reference_runs").where("dataset_id", "=", datasetId);
  if (runs.length > 0)
    remove = remove.where(
      "run",
      "not in",
      runs.map((r) => r.run),
    );
  await remove.execute();
  const current = new Map(
    (
      await trx
        .selectFrom("reference_runs")
        .select(["run", "note"])
        .where("dataset_id", "=", datasetId)
        .execute()
    ).map((r) => [r.run, r.note]),
  );
  for (const r of runs) {
    if (!current.has(r.run)) {
      await trx
        .insertInto("reference_runs")
        .values({ dataset_id: datasetId, run: r.run, note: r.note ?? null, set_by: setBy })
        .execute();
    } else if (r.note !== undefined && r.note !== current.get(r.run)) {
      await trx
        .updateTable("reference_runs")
        .set({ note: r.note, set_by: setBy, set_at: new Date() })
        .where("dataset_id", "=", datasetId)
        .where("run", "=", r.run)
        .execute();
    }
  }
}
