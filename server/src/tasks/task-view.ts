/** A published task as a viewer sees it, and its stored specification. */
import type { Store } from "../store/store";
import type { TaskRow } from "../store/tasks";
import type { User } from "../store/users";
import { taskSpecSchema, type TaskSpec } from "./task-spec";
import type * as api from "@dqm-playground/api-types";

export type { TaskRow } from "../store/tasks";

export type TaskView = api.Task;

/**
 * A task as `viewer` sees it. The split seeds are shown only to admins and after the task closes: with
 * the public/private seed anyone could recompute which test runs are in the public part.
 */
export function taskView(row: TaskRow, viewer: User): TaskView {
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

/** Every task, by name, as `viewer` sees it. */
export async function listTasks(store: Store, viewer: User): Promise<TaskView[]> {
  return (await store.tasks.list()).map((r) => taskView(r, viewer));
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
