/**
 * The task specification: what a task freezes, as an admin writes it (the body of POST /tasks and the
 * JSON/YAML file of `dqm-playground task create`). One schema validates both and documents the format
 * in the OpenAPI document; fields with a `default` may be left out (the validator fills them in). The
 * server resolves the rest (title and description default to the name and "", public_seed is drawn at
 * publication) and checks what JSON Schema cannot say (runs.min <= runs.max) in task-spec.ts.
 */
import { Type, type Static } from "@sinclair/typebox";
import { StringEnum } from "./common";

/** How lumisections get their labels. */
export const TASK_LABELLING_RULES = ["golden-among-dcs"] as const;
export type TaskLabellingRule = (typeof TASK_LABELLING_RULES)[number];

/** How the runs are split into train and test. */
export const TASK_SPLIT_STRATEGIES = ["random", "chronological"] as const;
export type TaskSplitStrategy = (typeof TASK_SPLIT_STRATEGIES)[number];

/** A fraction strictly between 0 and 1. */
const fraction = (fallback?: number) =>
  Type.Number({
    exclusiveMinimum: 0,
    exclusiveMaximum: 1,
    ...(fallback === undefined ? {} : { default: fallback }),
  });

export const TaskSpecInputSchema = Type.Object(
  {
    name: Type.String({ pattern: "^[a-z0-9][a-z0-9-]{1,62}$", description: "URL-safe task id" }),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 20000 })),
    dataset: Type.String({ minLength: 1 }),
    features: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      maxItems: 64,
      uniqueItems: true,
      description: "Monitor elements whose histograms are the features",
    }),
    labelling: Type.Optional(
      StringEnum(TASK_LABELLING_RULES, {
        default: "golden-among-dcs",
        description: "golden-among-dcs: among DCS-on lumisections, good = in the golden JSON, bad = not",
      }),
    ),
    runs: Type.Optional(
      Type.Object(
        {
          min: Type.Optional(Type.Integer({ minimum: 0 })),
          max: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    split: Type.Optional(
      Type.Object(
        {
          strategy: Type.Optional(
            StringEnum(TASK_SPLIT_STRATEGIES, {
              default: "random",
              description:
                "random: runs shuffled with the seed, stratified (runs with bad lumisections dealt apart from clean ones); chronological: train on earlier runs, test on the latest",
            }),
          ),
          test_fraction: Type.Optional(fraction(0.5)),
          public_fraction: Type.Optional(fraction(0.5)),
          seed: Type.Optional(Type.Integer({ minimum: 0, default: 1 })),
          public_seed: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 2147483647,
              description:
                "seed of the public/private division of the test runs; when absent the server draws a secret one at publication (shown to participants only after the task closes)",
            }),
          ),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
    preprocessing: Type.Optional(
      Type.Object(
        {
          include_flow: Type.Optional(
            Type.Boolean({ default: false, description: "keep the under/overflow bins" }),
          ),
          min_entries: Type.Optional(
            Type.Number({
              minimum: 0,
              default: 0,
              description: "lumisections with fewer entries in any feature are left out",
            }),
          ),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
    metrics: Type.Optional(
      Type.Object(
        {
          alpha: Type.Optional(fraction(0.01)),
          beta: Type.Optional(fraction(0.01)),
          fpr_targets: Type.Optional(Type.Array(fraction(), { minItems: 1, default: [0.01, 0.001] })),
          precision: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 6,
              default: 3,
              description:
                "decimal places of the metrics participants get back while the task is open (stored exact)",
            }),
          ),
          publish_counts: Type.Optional(
            Type.Boolean({
              default: false,
              description: "send n and nBad of the public part to participants while the task is open",
            }),
          ),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
    daily_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 5 })),
  },
  { additionalProperties: false },
);
/** A task specification as written: the fields with defaults may be absent. */
export type TaskSpecInput = Static<typeof TaskSpecInputSchema>;
