/**
 * Submissions with their metrics, and leaderboards (docs/metrics.md).
 *
 * Numbers that can be undefined for the labels at hand (a metric when a class is missing) are NaN on
 * the server and arrive as null. The generic `...Of<N>` types are these shapes with `N` in place of
 * `number | null`, for the server's views (plain numbers, NaN included); each is tied to its schema by
 * a compile-time check at the end of this file.
 */
import { Type, type Static } from "@sinclair/typebox";
import {
  Dictionary,
  Nullable,
  NullableNumberSchema,
  ParametersSchema,
  StringEnum,
  type Assert,
  type Same,
} from "./common";
import { TaskStatusSchema } from "./tasks";

export const ScoreSetSchema = StringEnum(["public", "private"]);
export type ScoreSet = Static<typeof ScoreSetSchema>;

/**
 * Coarse curves of one score set (docs/metrics.md): recall at fixed false-positive rates and grey-zone
 * saved effort at fixed alphas. The service never sends exact curves (they would reveal test labels).
 */
export const CoarseCurvesSchema = Type.Object(
  {
    roc: Type.Object({
      fpr: Type.Array(Type.Number(), { description: "the fixed false-positive rates" }),
      tpr: Type.Array(NullableNumberSchema, {
        description: "recall at each FPR: the largest TPR whose FPR <= fpr[k] (null if a class is absent)",
      }),
    }),
    greyZone: Type.Object({
      beta: Type.Number({ description: "the task's beta" }),
      alpha: Type.Array(Type.Number(), { description: "the fixed allowed pollutions" }),
      savedEffort: Type.Array(NullableNumberSchema, {
        description: "the exact grey-zone saved effort at each alpha and beta",
      }),
    }),
  },
  { description: "Coarse ROC and grey-zone curves at fixed grids" },
);
export type CoarseCurves = Static<typeof CoarseCurvesSchema>;
/** `N`: `number | null` on the wire, `number` (NaN) in the server. */
export interface CoarseCurvesOf<N> {
  roc: { fpr: number[]; tpr: N[] };
  greyZone: { beta: number; alpha: number[]; savedEffort: N[] };
}

/**
 * The grey zone of one part. While a task is open participants get `savedEffort` only: the exact cuts
 * and region counts of a score set they chose would give away individual labels (docs/metrics.md).
 */
export const GreyZoneSchema = Type.Object(
  {
    savedEffort: NullableNumberSchema,
    lowCut: Type.Optional(NullableNumberSchema),
    highCut: Type.Optional(NullableNumberSchema),
    autoGood: Type.Optional(Type.Integer()),
    autoBad: Type.Optional(Type.Integer()),
    pollution: Type.Optional(NullableNumberSchema),
    rejectedGoodFraction: Type.Optional(NullableNumberSchema),
  },
  {
    description:
      "Grey zone; participants get savedEffort only while the task is open (the cuts and counts would give labels away)",
  },
);
export type GreyZone = Static<typeof GreyZoneSchema>;

/**
 * The metrics of one part of the test split. While a task is open a participant gets them reduced:
 * values (curves included) rounded to the task's `metrics.precision` decimal places, the grey zone
 * without cuts and counts, and `n` / `nBad` only when the task's `metrics.publish_counts` is true.
 */
export const MetricsSchema = Type.Object({
  rocAuc: NullableNumberSchema,
  averagePrecision: NullableNumberSchema,
  greyZone: GreyZoneSchema,
  recallAtFpr: Dictionary(NullableNumberSchema, {
    description: 'Recall at each of the task\'s FPR targets, keyed "0.01"',
  }),
  n: Type.Optional(
    Type.Integer({
      description: "Lumisections of the part (participants: only if the task publishes counts)",
    }),
  ),
  nBad: Type.Optional(Type.Integer({ description: "Bad lumisections of the part (as n)" })),
  curves: Nullable(CoarseCurvesSchema, {
    description: "Coarse curves; null for submissions scored before the service computed curves",
  }),
  precision: Nullable(Type.Integer(), {
    description: "Decimal places the values were rounded to (the task's metrics.precision); null when exact",
  }),
});
export type Metrics = Static<typeof MetricsSchema>;

export const SubmissionStatusSchema = StringEnum(["accepted", "scored", "failed"]);
export type SubmissionStatus = Static<typeof SubmissionStatusSchema>;

export const SubmissionSchema = Type.Object({
  id: Type.Integer(),
  task: Type.String(),
  user: Type.String(),
  method: Type.String(),
  description: Type.String(),
  link: Nullable(Type.String()),
  clientVersion: Nullable(Type.String()),
  splitSha256: Type.String({ description: "sha256 of the test split the scores were computed on" }),
  status: SubmissionStatusSchema,
  failure: Nullable(Type.String()),
  baseline: Type.Boolean(),
  createdAt: Type.String({ format: "date-time" }),
  scoredAt: Nullable(Type.String({ format: "date-time" })),
  publicMetrics: Nullable(MetricsSchema, { description: "Metrics of the public part of the test split" }),
  privateMetrics: Nullable(MetricsSchema, {
    description: "Metrics of the private part; null while the task is open, unless the viewer is an admin",
  }),
});
export type Submission = Static<typeof SubmissionSchema>;
/** `M`: the metrics of one part of the test split (`Metrics` on the wire). */
export type SubmissionOf<M> = Omit<Submission, "publicMetrics" | "privateMetrics"> & {
  publicMetrics: M | null;
  privateMetrics: M | null;
};

export const LeaderboardRowSchema = Type.Object({
  rank: Type.Integer(),
  submission: Type.Integer({ description: "The submission's id" }),
  user: Type.String(),
  method: Type.String(),
  description: Type.String(),
  link: Nullable(Type.String()),
  baseline: Type.Boolean(),
  mine: Type.Boolean({ description: "The viewer's own submission" }),
  submittedAt: Type.String({ format: "date-time" }),
  rocAuc: NullableNumberSchema,
  averagePrecision: NullableNumberSchema,
  savedEffort: NullableNumberSchema,
  recallAtFpr: Dictionary(NullableNumberSchema),
  curves: Nullable(CoarseCurvesSchema, {
    description: "Curves of the score set shown; null when scored before the service computed curves",
  }),
});
export type LeaderboardRow = Static<typeof LeaderboardRowSchema>;
type RowMetricKeys = "rocAuc" | "averagePrecision" | "savedEffort" | "recallAtFpr" | "curves";
export type LeaderboardRowOf<N> = Omit<LeaderboardRow, RowMetricKeys> & {
  rocAuc: N;
  averagePrecision: N;
  savedEffort: N;
  recallAtFpr: Record<string, N>;
  curves: CoarseCurvesOf<N> | null;
};

export const LeaderboardSchema = Type.Object({
  task: Type.String(),
  status: TaskStatusSchema,
  scores: ScoreSetSchema,
  bestPerUser: Type.Boolean(),
  precision: Nullable(Type.Integer(), {
    description: "Decimal places the metrics were rounded to and ranked on; null when exact",
  }),
  rows: Type.Array(LeaderboardRowSchema),
});
export type Leaderboard = Static<typeof LeaderboardSchema>;
export type LeaderboardOf<N> = Omit<Leaderboard, "rows"> & { rows: Array<LeaderboardRowOf<N>> };

// ---- requests ----

export const SubmissionParamsSchema = Type.Object({ task: Type.String(), id: Type.Integer() });
export type SubmissionParams = Static<typeof SubmissionParamsSchema>;

/**
 * The limits of a submission (docs/data-formats.md, "Submissions"), the same for JSON and Arrow: the
 * service checks them in one place for both encodings (so the messages are the same), which is why
 * the request schemas below state them in descriptions rather than as `maxLength`.
 */
export const SUBMISSION_LIMITS = {
  /** Characters of `method` (required, not blank). */
  method: 200,
  description: 20000,
  link: 2000,
  client_version: 100,
  /** Largest run and lumisection number (both integers from 0). */
  maxRun: 2147483647,
  maxLumisection: 2147483647,
} as const;

const metadataProperties = {
  method: Type.String({
    description: `Name of the method, shown on the leaderboard: required, not blank, at most ${SUBMISSION_LIMITS.method} characters`,
  }),
  description: Type.String({ description: `At most ${SUBMISSION_LIMITS.description} characters` }),
  link: Type.String({
    description: `Link to the code or notebook, at most ${SUBMISSION_LIMITS.link} characters`,
  }),
  client_version: Type.String({ description: `At most ${SUBMISSION_LIMITS.client_version} characters` }),
  split_sha256: Type.String({ description: "sha256 of the test split the scores were computed on" }),
};

/**
 * One row of a JSON submission. `run` and `lumisection` are integers from 0 to 2147483647 and
 * `score` a finite number; the ranges are checked by the service with the row named (as for Arrow).
 */
export const SubmissionRowSchema = Type.Object({
  run: Type.Integer({ description: `0 to ${SUBMISSION_LIMITS.maxRun}` }),
  lumisection: Type.Integer({ description: `0 to ${SUBMISSION_LIMITS.maxLumisection}` }),
  score: Type.Number({ description: "A finite number (higher = more anomalous)" }),
});

/** POST /tasks/{task}/submissions as JSON: one score per lumisection of the test split. */
export const SubmissionBodySchema = Type.Object({
  method: metadataProperties.method,
  description: Type.Optional(metadataProperties.description),
  link: Type.Optional(metadataProperties.link),
  client_version: Type.Optional(metadataProperties.client_version),
  split_sha256: metadataProperties.split_sha256,
  scores: Type.Array(SubmissionRowSchema),
});
export type SubmissionBody = Static<typeof SubmissionBodySchema>;

/**
 * The metadata of a submission sent as an Arrow stream (columns run, lumisection, score: integer or
 * floating-point columns without nulls): the JSON body's fields, with the same limits and messages.
 */
export const SubmissionQuerySchema = ParametersSchema({
  method: Type.Optional(metadataProperties.method),
  description: Type.Optional(metadataProperties.description),
  link: Type.Optional(metadataProperties.link),
  client_version: Type.Optional(metadataProperties.client_version),
  split_sha256: Type.Optional(metadataProperties.split_sha256),
});
export type SubmissionQuery = Static<typeof SubmissionQuerySchema>;

export const SubmissionHeadersSchema = ParametersSchema({
  "idempotency-key": Type.Optional(
    Type.String({ maxLength: 200, description: "Retrying with the same key answers the first submission" }),
  ),
});

export const SubmissionsQuerySchema = ParametersSchema({
  all: Type.Boolean({ default: false, description: "Everyone's submissions (admins only)" }),
});
export type SubmissionsQuery = Static<typeof SubmissionsQuerySchema>;

export const LeaderboardQuerySchema = ParametersSchema({
  scores: Type.Optional(ScoreSetSchema),
  best_per_user: Type.Boolean({ default: false }),
  format: StringEnum(["json", "csv"], { default: "json" }),
});
export type LeaderboardQuery = Static<typeof LeaderboardQuerySchema>;

/** Compile-time: each generic type, at `number | null`, is its schema's type. */
export type SubmissionChecks = [
  Assert<Same<CoarseCurvesOf<number | null>, CoarseCurves>>,
  Assert<Same<SubmissionOf<Metrics>, Submission>>,
  Assert<Same<LeaderboardRowOf<number | null>, LeaderboardRow>>,
  Assert<Same<LeaderboardOf<number | null>, Leaderboard>>,
];
