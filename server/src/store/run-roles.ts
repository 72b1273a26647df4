/**
 * What the existing tasks of a data set have fixed about its runs. Labels belong to the data set, not
 * to one task: a run in the test split of an open task must stay hidden everywhere (no train split may
 * carry its labels), and a run whose labels some task has published (a train split, or the test split
 * of a closed task) can never be a fair test run again. A designated reference run counts as
 * published too: designating it tells everyone that it is good.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema";

export type TestPart = "public" | "private";

/** Where a run's labels are hidden (open tasks' test splits) or published (everything else). */
export interface RunRole {
  /** Open tasks whose test split holds the run, with the part it is in there. */
  hiddenIn: Array<{ task: string; part: TestPart }>;
  /**
   * What published the run's labels: a task's train split, the test split of a closed task, or the
   * run's designation as a reference run of the data set (task null).
   */
  releasedBy: Array<{ task: string; split: "train" | "test" } | { task: null; split: "reference" }>;
}

/** Runs that no task uses are absent: they are free. */
export type RunRoles = Map<number, RunRole>;

type Db = Kysely<Database> | Transaction<Database>;

/** The role of every run of data set `datasetId` that some task uses or that is a designated reference run. */
export async function runRoles(db: Db, datasetId: number): Promise<RunRoles> {
  const rows = await db
    .selectFrom("task_lumisections as tl")
    .innerJoin("tasks as t", "t.id", "tl.task_id")
    .select(["t.name", "t.status", "tl.run", "tl.split", "tl.part"])
    .distinct()
    .where("t.dataset_id", "=", datasetId)
    .orderBy("tl.run")
    .orderBy("t.name")
    .orderBy("tl.split")
    .orderBy("tl.part")
    .execute();
  const roles: RunRoles = new Map();
  for (const r of rows) {
    let role = roles.get(r.run);
    if (!role) roles.set(r.run, (role = { hiddenIn: [], releasedBy: [] }));
    if (r.split === "test" && r.status === "open")
      role.hiddenIn.push({ task: r.name, part: r.part ?? "private" });
    else role.releasedBy.push({ task: r.name, split: r.split });
  }
  const references = await db
    .selectFrom("reference_runs")
    .select("run")
    .where("dataset_id", "=", datasetId)
    .execute();
  for (const { run } of references) {
    let role = roles.get(run);
    if (!role) roles.set(run, (role = { hiddenIn: [], releasedBy: [] }));
    role.releasedBy.push({ task: null, split: "reference" });
  }
  return roles;
}

/**
 * Runs whose labels must stay hidden: those in the test split of an open task of data set `datasetId`.
 * No train split, and no label served by the API, may reveal them.
 */
export async function hiddenRuns(db: Db, datasetId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom("task_lumisections as tl")
    .innerJoin("tasks as t", "t.id", "tl.task_id")
    .select("tl.run")
    .distinct()
    .where("t.dataset_id", "=", datasetId)
    .where("t.status", "=", "open")
    .where("tl.split", "=", "test")
    .execute();
  return new Set(rows.map((r) => r.run));
}
