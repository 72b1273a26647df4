/** Data sets, their monitor elements, runs and lumisections. */
import type { FastifyInstance } from "fastify";
import type { Store } from "../../store/store";
import { binningSchema, datasetParams, errorResponses, labelEnum, pageQuery, pageSchema } from "../schemas";
import type { Label } from "../../store/lumisections";
import { paginate } from "../../store/paging";
import { MAX_NOTE_LENGTH, type ReferenceRunInput } from "../../store/reference-runs";
import { requireAdmin } from "../auth";

const datasetSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    era: { type: ["string", "null"] },
    primaryDataset: { type: ["string", "null"] },
    description: { type: ["string", "null"] },
    monitorElements: { type: "integer" },
    runs: { type: "integer" },
    lumisections: { type: "integer" },
  },
} as const;

const meSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    kind: { type: ["string", "null"] },
    binning: binningSchema,
    hasFlow: {
      type: "boolean",
      description: "Whether under/overflow bins are stored (include_flow=true works)",
    },
  },
} as const;

const runSchema = {
  type: "object",
  properties: {
    run: { type: "integer" },
    fill: { type: ["integer", "null"] },
    lumisections: { type: "integer" },
    golden: { type: ["integer", "null"], description: "Lumisections in the golden JSON" },
    goldenFraction: { type: ["number", "null"] },
    bad: { type: ["integer", "null"], description: "DCS-on lumisections not in the golden JSON" },
    labelsWithheld: {
      type: "boolean",
      description: "The run is in a task's test split: its certification is not sent",
    },
    referenceRun: {
      type: ["integer", "null"],
      description:
        "The designated reference run to compare this run with: the nearest designated run before it, else after it; null when none",
    },
    isReference: { type: "boolean", description: "The run is a designated reference run of the data set" },
  },
} as const;

const referenceRunSchema = {
  type: "object",
  properties: {
    run: { type: "integer" },
    note: { type: ["string", "null"], description: "Why this run" },
    setBy: { type: ["string", "null"], description: "The admin who designated it (null: set in the store)" },
    setAt: { type: "string", format: "date-time" },
  },
  required: ["run", "note", "setBy", "setAt"],
} as const;

const referenceRunsBody = {
  type: "object",
  properties: {
    runs: {
      type: "array",
      maxItems: 10000,
      description:
        "The new list (replaces the old one; [] clears it): run numbers, or {run, note}. A number alone keeps the note of a run already designated.",
      items: {
        anyOf: [
          { type: "integer", minimum: 0 },
          {
            type: "object",
            properties: {
              run: { type: "integer", minimum: 0 },
              note: { type: ["string", "null"], maxLength: MAX_NOTE_LENGTH },
            },
            required: ["run"],
            additionalProperties: false,
          },
        ],
      },
    },
  },
  required: ["runs"],
  additionalProperties: false,
} as const;

const lumisectionSchema = {
  type: "object",
  properties: {
    run: { type: "integer" },
    lumisection: { type: "integer" },
    fill: { type: ["integer", "null"] },
    deliveredLumi: { type: ["number", "null"] },
    recordedLumi: { type: ["number", "null"] },
    pileup: { type: ["number", "null"] },
    physicsFlag: { type: ["boolean", "null"] },
    beamsStable: { type: ["boolean", "null"] },
    cmsActive: { type: ["boolean", "null"] },
    golden: { type: ["boolean", "null"] },
    dcs: { type: ["boolean", "null"] },
    flags: { type: "array", items: { type: "string" } },
    label: { type: ["string", "null"], enum: [...labelEnum, null] },
    labelsWithheld: {
      type: "boolean",
      description: "The run is in a task's test split: its labels are not sent",
    },
  },
} as const;

export async function datasetRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  const { store } = opts;

  app.get(
    "/datasets",
    {
      schema: {
        summary: "List data sets",
        tags: ["datasets"],
        querystring: { type: "object", properties: pageQuery },
        response: { 200: pageSchema(datasetSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query as { limit: number; cursor?: string };
      const all = await store.datasets();
      return paginate(all, { limit, cursor });
    },
  );

  app.get(
    "/datasets/:dataset/monitor-elements",
    {
      schema: {
        summary: "Monitor elements of a data set, with their binning",
        tags: ["datasets"],
        params: datasetParams,
        querystring: { type: "object", properties: pageQuery },
        response: { 200: pageSchema(meSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { dataset } = req.params as { dataset: string };
      const { limit, cursor } = req.query as { limit: number; cursor?: string };
      return paginate(await store.monitorElements(dataset), { limit, cursor });
    },
  );

  app.get(
    "/datasets/:dataset/runs",
    {
      schema: {
        summary: "Runs of a data set with lumisection counts and golden fraction",
        tags: ["datasets"],
        params: datasetParams,
        querystring: {
          type: "object",
          properties: {
            ...pageQuery,
            run_min: { type: "integer", minimum: 0 },
            run_max: { type: "integer", minimum: 0 },
          },
        },
        response: { 200: pageSchema(runSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { dataset } = req.params as { dataset: string };
      const q = req.query as { limit: number; cursor?: string; run_min?: number; run_max?: number };
      return store.runs(dataset, { min: q.run_min, max: q.run_max }, q);
    },
  );

  app.get(
    "/datasets/:dataset/runs/:run/lumisections",
    {
      schema: {
        summary: "Lumisections of a run with OMS metadata and certification labels",
        tags: ["datasets"],
        params: {
          type: "object",
          properties: { dataset: { type: "string" }, run: { type: "integer", minimum: 0 } },
          required: ["dataset", "run"],
        },
        querystring: {
          type: "object",
          properties: { ...pageQuery, label: { type: "string", enum: labelEnum } },
        },
        response: { 200: pageSchema(lumisectionSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { dataset, run } = req.params as { dataset: string; run: number };
      const q = req.query as { limit: number; cursor?: string; label?: Label };
      return store.lumisections(dataset, run, { label: q.label }, q);
    },
  );

  app.get(
    "/datasets/:dataset/reference-runs",
    {
      schema: {
        summary: "Designated reference runs of a data set",
        tags: ["datasets"],
        params: datasetParams,
        querystring: { type: "object", properties: pageQuery },
        response: { 200: pageSchema(referenceRunSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { dataset } = req.params as { dataset: string };
      const { limit, cursor } = req.query as { limit: number; cursor?: string };
      return paginate(await store.referenceRuns(dataset), { limit, cursor });
    },
  );

  app.put(
    "/datasets/:dataset/reference-runs",
    {
      schema: {
        summary: "Replace the designated reference runs of a data set (admin)",
        description:
          "Refused when a run is listed twice, is not in the data set, or is in the hidden test split of an open task (a reference run's certification is public by designation). Answers the new list.",
        tags: ["datasets"],
        params: datasetParams,
        body: referenceRunsBody,
        response: { 200: pageSchema(referenceRunSchema), ...errorResponses },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const { dataset } = req.params as { dataset: string };
      const { runs } = req.body as { runs: Array<number | ReferenceRunInput> };
      const items = await store.setReferenceRuns(dataset, runs, { setBy: admin.name });
      return { items, total: items.length, next: null };
    },
  );
}
