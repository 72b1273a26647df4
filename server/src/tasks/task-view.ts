/** Reading published tasks and their frozen lumisections. */
import type { Kysely, Selectable } from "kysely";
import type { Database, TasksTable } from "../store/schema";
import { NotFoundError } from "../errors";
import { taskSpecSchema, type TaskSpec } from "./task-spec";
import type { User } from "../store/users";
import type * as api from "@dqm-playground/api-types";

export type TaskRow = Selectable<TasksTable>;

export type TaskView = api.Task;

export async function taskRow(db: Kysely<Database>, name: string): Promise<TaskRow> {
  const row = await db.selectFrom("tasks").selectAll().where("name", "=", name).executeTakeFirst();
  if (!row) throw new NotFoundError(`no task named '${name}'`);
  return row;
}

/**
 * A task as `viewer` sees it. The split seeds are shown only to admins and after the task closes: with
 * the public/private seed anyone could recompute which test runs are in the public part.
 */
export async function taskView(db: Kysely<Database>, row: TaskRow, viewer: User): Promise<TaskView> {
  const spec = taskSpec(row);
  const showSeed = row.status === "closed" || viewer.role === "admin";
  return {
    name: row.name,
    title: row.title,
    description: row.description,
    dataset: spec.dataset,
    features: spec.features,
    status: row.status,
    labelling: spec.labelling,
    preprocessing: spec.preprocessing,
    metrics: spec.metrics,
    split: {
      ...spec.split,
      seed: showSeed ? spec.split.seed : null,
      public_seed: showSeed ? (spec.split.public_seed ?? null) : null,
    },
    dailyLimit: row.daily_limit,
    splits: {
      train: { size: row.train_size, sha256: row.train_sha256 },
      test: { size: row.test_size, sha256: row.test_sha256 },
    },
    createdAt: new Date(row.created_at).toISOString(),
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
  };
}

export async function listTasks(db: Kysely<Database>, viewer: User): Promise<TaskView[]> {
  const rows = await db.selectFrom("tasks").selectAll().orderBy("name").execute();
  return Promise.all(rows.map((r) => taskView(db, r, viewer)));
}

const metricDefaults = taskSpecSchema.properties.metrics.properties;

/** The stored specification, with the defaults of fields added since older tasks were published. */
export function taskSpec(row: Pick<TaskRow, "spec">): TaskSpec {
  const spec = JSON.parse(row.spec) as TaskSpec;
  spec.metrics = {
    ...spec.metrics,
    precision: spec.metrics.precision ?? metricDefaults.precision.default,
    publish_counts: spec.metrics.publish_counts ?? metricDefaults.publish_counts.default,
  };
  return spec;
}

export async function closeTask(db: Kysely<Database>, name: string): Promise<TaskRow> {
  const row = await taskRow(db, name);
  if (row.status === "closed") return row;
  await db
    .updateTable("tasks")
    .set({ status: "closed", closed_at: new Date() })
    .where("id", "=", row.id)
    .execute();
  return taskRow(db, name);
}

/** The test lumisections with their part and hidden label, sorted by (run, lumisection). Server-only. */
export async function testLumisections(db: Kysely<Database>, taskId: number) {
  return db
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
export async function trainRunsWithheld(
  db: Kysely<Database>,
  task: Pick<TaskRow, "id" | "dataset_id">,
): Promise<Array<{ run: number; task: string }>> {
  return db
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
