/**
 * Tasks: a data set's frozen train/test splits with their metric settings (GET/POST /tasks...); the
 * specification a task is published from (the body of POST /tasks) is in task-spec.ts.
 */
import { Type, type Static } from "@sinclair/typebox";
import { Nullable, StringEnum } from "./common";
import { TASK_SPLIT_STRATEGIES } from "./task-spec";

export const TaskMetricSettingsSchema = Type.Object({
  alpha: Type.Number({ description: "Grey zone: the largest pollution of auto-GOOD (bad among auto-GOOD)" }),
  beta: Type.Number({
    description: "Grey zone: the largest share of all lumisections that are good and auto-BAD",
  }),
  fpr_targets: Type.Array(Type.Number(), {
    description: "False-positive rates of the recall-at-FPR metrics",
  }),
  precision: Type.Integer({
    description: "Decimal places of the metrics participants get back while the task is open (1 to 6)",
  }),
  publish_counts: Type.Boolean({
    description: "Whether participants get `n` and `nBad` of the public part while the task is open",
  }),
});
export type TaskMetricSettings = Static<typeof TaskMetricSettingsSchema>;

export const SplitSummarySchema = Type.Object({
  size: Type.Integer({ description: "Lumisections" }),
  sha256: Type.String({ description: "sha256 of the split's Arrow stream" }),
});
export type SplitSummary = Static<typeof SplitSummarySchema>;

export const TaskStatusSchema = StringEnum(["open", "closed"]);

export const TaskSchema = Type.Object({
  name: Type.String(),
  title: Type.String(),
  description: Type.String(),
  dataset: Type.String(),
  features: Type.Array(Type.String(), { description: "Monitor elements whose histograms are the features" }),
  status: TaskStatusSchema,
  labelling: Type.String(),
  preprocessing: Type.Object({ include_flow: Type.Boolean(), min_entries: Type.Number() }),
  metrics: TaskMetricSettingsSchema,
  split: Type.Object(
    {
      strategy: StringEnum(TASK_SPLIT_STRATEGIES),
      test_fraction: Type.Number(),
      public_fraction: Type.Number(),
      seed: Nullable(Type.Integer()),
      public_seed: Nullable(Type.Integer()),
    },
    {
      description:
        "The seeds are null for participants while the task is open (admins and everyone after close see them): with them anyone could recompute which test runs are public and which private",
    },
  ),
  dailyLimit: Type.Integer({ description: "Submissions per user and day" }),
  splits: Type.Object({ train: SplitSummarySchema, test: SplitSummarySchema }),
  createdAt: Type.String({ format: "date-time" }),
  closedAt: Nullable(Type.String({ format: "date-time" })),
});
export type Task = Static<typeof TaskSchema>;

/** A labelled run a new task left out because of the data set's other tasks. */
export const ExcludedRunSchema = Type.Object({ run: Type.Integer(), reason: Type.String() });
export type ExcludedRun = Static<typeof ExcludedRunSchema>;

/** POST /tasks answers the new task (as its admin sees it) and the runs it left out, with why. */
export const CreatedTaskSchema = Type.Object({
  ...TaskSchema.properties,
  excludedRuns: Type.Array(ExcludedRunSchema, {
    description: "Labelled runs left out because of other tasks of the data set, with the reason",
  }),
});
export type CreatedTask = Static<typeof CreatedTaskSchema>;

// ---- requests ----

export const TaskParamsSchema = Type.Object({ task: Type.String() });
export type TaskParams = Static<typeof TaskParamsSchema>;

export const SplitNameSchema = StringEnum(["train", "test"]);
export type SplitName = Static<typeof SplitNameSchema>;

export const SplitParamsSchema = Type.Object({ task: Type.String(), split: SplitNameSchema });
export type SplitParams = Static<typeof SplitParamsSchema>;
