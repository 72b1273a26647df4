/** Data sets, their monitor elements, runs, lumisections and designated reference runs. */
import { Type, type Static } from "@sinclair/typebox";
import { BinningSchema, LabelSchema, Nullable, PageQueryProperties, ParametersSchema } from "./common";

export const DatasetSchema = Type.Object({
  name: Type.String(),
  era: Nullable(Type.String()),
  primaryDataset: Nullable(Type.String()),
  description: Nullable(Type.String()),
  monitorElements: Type.Integer(),
  runs: Type.Integer(),
  lumisections: Type.Integer(),
});
export type Dataset = Static<typeof DatasetSchema>;

export const MonitorElementSchema = Type.Object({
  name: Type.String(),
  kind: Nullable(Type.String()),
  binning: BinningSchema,
  hasFlow: Type.Boolean({ description: "Whether under/overflow bins are stored (include_flow=true works)" }),
});
export type MonitorElement = Static<typeof MonitorElementSchema>;

export const RunSummarySchema = Type.Object({
  run: Type.Integer(),
  fill: Nullable(Type.Integer()),
  lumisections: Type.Integer(),
  golden: Nullable(Type.Integer(), { description: "Lumisections in the golden JSON" }),
  goldenFraction: Nullable(Type.Number()),
  bad: Nullable(Type.Integer(), { description: "DCS-on lumisections not in the golden JSON" }),
  labelsWithheld: Type.Boolean({
    description: "The run is in a task's test split: its certification is not sent",
  }),
  referenceRun: Nullable(Type.Integer(), {
    description:
      "The designated reference run to compare this run with: the nearest designated run before it, else after it (never the run itself); null when the data set has none",
  }),
  isReference: Type.Boolean({ description: "The run is one of the data set's designated reference runs" }),
});
export type RunSummary = Static<typeof RunSummarySchema>;

/** A designated reference run of a data set (GET/PUT /datasets/{dataset}/reference-runs). */
export const ReferenceRunSchema = Type.Object({
  run: Type.Integer(),
  note: Nullable(Type.String(), { description: "Why this run, or null" }),
  setBy: Nullable(Type.String(), {
    description: "Who designated it (user name), or null when set directly in the store (the demo)",
  }),
  setAt: Type.String({
    format: "date-time",
    description: "When it was designated or its note last changed (ISO 8601)",
  }),
});
export type ReferenceRun = Static<typeof ReferenceRunSchema>;

export const LumisectionSchema = Type.Object({
  run: Type.Integer(),
  lumisection: Type.Integer(),
  fill: Nullable(Type.Integer()),
  deliveredLumi: Nullable(Type.Number()),
  recordedLumi: Nullable(Type.Number()),
  pileup: Nullable(Type.Number()),
  physicsFlag: Nullable(Type.Boolean()),
  beamsStable: Nullable(Type.Boolean()),
  cmsActive: Nullable(Type.Boolean()),
  golden: Nullable(Type.Boolean()),
  dcs: Nullable(Type.Boolean()),
  flags: Type.Array(Type.String()),
  label: Nullable(LabelSchema),
  labelsWithheld: Type.Boolean({ description: "The run is in a task's test split: its labels are not sent" }),
});
export type Lumisection = Static<typeof LumisectionSchema>;

// ---- requests ----

export const DatasetParamsSchema = Type.Object({ dataset: Type.String({ minLength: 1 }) });
export type DatasetParams = Static<typeof DatasetParamsSchema>;

export const RunParamsSchema = Type.Object({ dataset: Type.String(), run: Type.Integer({ minimum: 0 }) });
export type RunParams = Static<typeof RunParamsSchema>;

export const RunsQuerySchema = ParametersSchema({
  ...PageQueryProperties,
  run_min: Type.Optional(Type.Integer({ minimum: 0 })),
  run_max: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type RunsQuery = Static<typeof RunsQuerySchema>;

export const LumisectionsQuerySchema = ParametersSchema({
  ...PageQueryProperties,
  label: Type.Optional(LabelSchema),
});
export type LumisectionsQuery = Static<typeof LumisectionsQuerySchema>;

/** Longest note of a designated reference run. */
export const MAX_REFERENCE_NOTE_LENGTH = 500;

/** One entry of PUT /datasets/{dataset}/reference-runs: a run number, or a run with a note. */
export const ReferenceRunInputSchema = Type.Union([
  Type.Integer({ minimum: 0 }),
  Type.Object(
    {
      run: Type.Integer({ minimum: 0 }),
      note: Type.Optional(Nullable(Type.String({ maxLength: MAX_REFERENCE_NOTE_LENGTH }))),
    },
    { additionalProperties: false },
  ),
]);

export const ReferenceRunsBodySchema = Type.Object(
  {
    runs: Type.Array(ReferenceRunInputSchema, {
      maxItems: 10000,
      description:
        "The new list (replaces the old one; [] clears it): run numbers, or {run, note}. A number alone keeps the note of a run already designated.",
    }),
  },
  { additionalProperties: false },
);
export type ReferenceRunsBody = Static<typeof ReferenceRunsBodySchema>;
