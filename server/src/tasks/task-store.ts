/** Reading published tasks and their frozen lumisections. */
import type { Kysely, Selectable } from "kysely";
import type { Database, TasksTable } from "../store/schema";
import { NotFoundError } from "../errors";
import type { TaskSpec } from "./task-spec";
import type * as api from "@dqm-playground/api-types";

export type TaskRow = Selectable<TasksTable>;

export type TaskView = api.Task;

export async function taskRow(db: Kysely<Database>, name: string): Promise<TaskRow> {
  const row = await db.selectFrom("tasks").selectAll().where("name", "=", name).executeTakeFirst();
  if (!row) throw new NotFoundError(`no task named '${name}'`);
  return row;
}

export async function taskView(db: Kysely<Database>, row: TaskRow): Promise<TaskView> {
  const spec = JSON.parse(row.spec) as TaskSpec;
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
    split: spec.split,
    dailyLimit: row.daily_limit,
    splits: {
      train: { size: row.train_size, sha256: row.train_sha256 },
      test: { size: row.test_size, sha256: row.test_sha256 },
    },
    createdAt: new Date(row.created_at).toISOString(),
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
  };
}

export async function listTasks(db: Kysely<Database>): Promise<TaskView[]> {
  const rows = await db.selectFrom("tasks").selectAll().orderBy("name").execute();
  return Promise.all(rows.map((r) => taskView(db, r)));
}

export function taskSpec(row: TaskRow): TaskSpec {
  return JSON.parse(row.spec) as TaskSpec;
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
