/**
 * The tasks repository: published tasks, their frozen lumisections with labels, and what the tasks of
 * a data set fixed about its runs (run-roles.ts). What a task is and how it is split lives in
 * server/src/tasks/; this file only stores and finds it.
 */
import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import type { Database, TasksTable } from "./schema";
import { datasetId } from "./datasets";
import { inChunks } from "./chunks";
import { hiddenRuns, runRoles, type RunRoles, type TestPart } from "./run-roles";
import { ConflictError, NotFoundError } from "../errors";

export type TaskRow = Selectable<TasksTable>;

/** A lumisection frozen into a split with its label (1 = bad); test lumisections carry their part. */
export interface FrozenLumisection {
  run: number;
  lumisection: number;
  bad: number;
  part: TestPart | null;
}

export interface NewTask {
  name: string;
  title: string;
  description: string;
  dataset: string;
  /** The specification as published, stored as JSON. */
  spec: object;
  dailyLimit: number;
  train: { sha256: string; lumisections: FrozenLumisection[] };
  test: { sha256: string; lumisections: FrozenLumisection[] };
}

/** Base of the per-data-set lock's key (one bigint key: a space apart from the submissions' two int keys). */
const TASK_CREATE_LOCK = 7_461_736_000_000_000;

export class TaskRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(name: string): Promise<TaskRow> {
    const row = await this.find(name);
    if (!row) throw new NotFoundError(`no task named '${name}'`);
    return row;
  }

  async find(name: string): Promise<TaskRow | null> {
    return (
      (await this.db.selectFrom("tasks").selectAll().where("name", "=", name).executeTakeFirst()) ?? null
    );
  }

  /** Every task, by name. */
  list(): Promise<TaskRow[]> {
    return this.db.selectFrom("tasks").selectAll().orderBy("name").execute();
  }

  /** Closes the task (no-op when closed already) and returns it. */
  async close(name: string): Promise<TaskRow> {
    const row = await this.get(name);
    if (row.status === "closed") return row;
    await this.db
      .updateTable("tasks")
      .set({ status: "closed", closed_at: new Date() })
      .where("id", "=", row.id)
      .execute();
    return this.get(name);
  }

  /** The test lumisections with their part and hidden label, sorted by (run, lumisection). Server-only. */
  testLumisections(taskId: number) {
    return this.db
      .selectFrom("task_lumisections")
      .select(["run", "lumisection", "part", "bad"])
      .where("task_id", "=", taskId)
      .where("split", "=", "test")
      .orderBy("run")
      .orderBy("lumisection")
      .execute();
  }

  /**
   * Runs of this task's train split (which carries labels) that are in the test split of another task
   * that is open, with that task's name: while there are any, the train split is not sent.
   */
  trainRunsWithheld(task: Pick<TaskRow, "id" | "dataset_id">): Promise<Array<{ run: number; task: string }>> {
    return this.db
      .selectFrom("task_lumisections as tl")
      .innerJoin("tasks as t", "t.id", "tl.task_id")
      .select(["tl.run", "t.name as task"])
      .distinct()
      .where("t.status", "=", "open")
      .where("t.dataset_id", "=", task.dataset_id)
      .where("t.id", "!=", task.id)
      .where("tl.split", "=", "test")
      .where("tl.run", "in", (eb) =>
        eb
          .selectFrom("task_lumisections")
          .select("run")
          .where("task_id", "=", task.id)
          .where("split", "=", "train"),
      )
      .orderBy("tl.run")
      .orderBy("t.name")
      .execute();
  }

  /** The role of every run of the data set that some task uses or that is a designated reference run. */
  async runRoles(dataset: string): Promise<RunRoles> {
    return runRoles(this.db, await datasetId(this.db, dataset));
  }

  /** Runs in the test split of an open task of the data set: their labels stay hidden everywhere. */
  async hiddenRuns(dataset: string): Promise<Set<number>> {
    return hiddenRuns(this.db, await datasetId(this.db, dataset));
  }

  /**
   * Stores a task with its frozen lumisections in one transaction, provided the data set's run roles
   * are still `rolesBefore` (what its split was made from): another task published or closed meanwhile
   * could have hidden or released runs the split relies on. A per-data-set advisory lock serialises the
   * check and the insert across server processes; on a change nothing is stored and the caller may
   * simply retry.
   */
  async publish(task: NewTask, rolesBefore: RunRoles): Promise<void> {
    const dsId = await datasetId(this.db, task.dataset);
    await this.db.transaction().execute(async (trx) => {
      await checkRolesUnchanged(trx, dsId, rolesBefore);
      const { id } = await trx
        .insertInto("tasks")
        .values({
          name: task.name,
          title: task.title,
          description: task.description,
          dataset_id: dsId,
          spec: JSON.stringify(task.spec),
          status: "open",
          train_sha256: task.train.sha256,
          test_sha256: task.test.sha256,
          train_size: task.train.lumisections.length,
          test_size: task.test.lumisections.length,
          daily_limit: task.dailyLimit,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const rows = [
        ...task.train.lumisections.map((c) => ({ ...c, task_id: id, split: "train" as const })),
        ...task.test.lumisections.map((c) => ({ ...c, task_id: id, split: "test" as const })),
      ].map((r) => ({
        task_id: r.task_id,
        run: r.run,
        lumisection: r.lumisection,
        split: r.split,
        part: r.part,
        bad: r.bad,
      }));
      await inChunks(rows, (chunk) => trx.insertInto("task_lumisections").values(chunk).execute());
    });
  }
}

async function checkRolesUnchanged(trx: Transaction<Database>, dsId: number, before: RunRoles) {
  await sql`select pg_advisory_xact_lock(${TASK_CREATE_LOCK + dsId}::bigint)`.execute(trx);
  const now = await runRoles(trx, dsId);
  if (JSON.stringify([...now]) !== JSON.stringify([...before]))
    throw new ConflictError(
      "another task of this data set was published or closed while this one was being created: create it again",
    );
}
