/** Data sets, their monitor elements, runs and lumisections. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  DatasetParamsSchema,
  DatasetSchema,
  LumisectionSchema,
  LumisectionsQuerySchema,
  MonitorElementSchema,
  PageQuerySchema,
  PageSchema,
  ReferenceRunSchema,
  ReferenceRunsBodySchema,
  RunParamsSchema,
  RunSummarySchema,
  RunsQuerySchema,
} from "@dqm-playground/api-types";
import type { Store } from "../../store/store";
import { paginate } from "../../store/paging";
import { requireAdmin } from "../auth";
import { AUTH_ERRORS, BODY_ERRORS, errorResponses } from "../schemas";

/** What every GET of a data set's lists can answer besides 200. */
const LIST_ERRORS = errorResponses(...AUTH_ERRORS, 400, 404);

export const datasetRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, opts) => {
  const { store } = opts;

  app.get(
    "/datasets",
    {
      schema: {
        summary: "List data sets",
        tags: ["datasets"],
        querystring: PageQuerySchema,
        response: { 200: PageSchema(DatasetSchema), ...errorResponses(...AUTH_ERRORS, 400) },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
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
        params: DatasetParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: PageSchema(MonitorElementSchema), ...LIST_ERRORS },
      },
    },
    async (req) => {
      const { dataset } = req.params;
      const { limit, cursor } = req.query;
      return paginate(await store.monitorElements(dataset), { limit, cursor });
    },
  );

  app.get(
    "/datasets/:dataset/runs",
    {
      schema: {
        summary: "Runs of a data set with lumisection counts and golden fraction",
        tags: ["datasets"],
        params: DatasetParamsSchema,
        querystring: RunsQuerySchema,
        response: { 200: PageSchema(RunSummarySchema), ...LIST_ERRORS },
      },
    },
    async (req) => {
      const q = req.query;
      return store.runs(req.params.dataset, { min: q.run_min, max: q.run_max }, q);
    },
  );

  app.get(
    "/datasets/:dataset/runs/:run/lumisections",
    {
      schema: {
        summary: "Lumisections of a run with OMS metadata and certification labels",
        tags: ["datasets"],
        params: RunParamsSchema,
        querystring: LumisectionsQuerySchema,
        response: { 200: PageSchema(LumisectionSchema), ...LIST_ERRORS },
      },
    },
    async (req) => {
      const { dataset, run } = req.params;
      const q = req.query;
      return store.lumisections(dataset, run, { label: q.label }, q);
    },
  );

  app.get(
    "/datasets/:dataset/reference-runs",
    {
      schema: {
        summary: "Designated reference runs of a data set",
        tags: ["datasets"],
        params: DatasetParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: PageSchema(ReferenceRunSchema), ...LIST_ERRORS },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
      return paginate(await store.referenceRuns(req.params.dataset), { limit, cursor });
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
        params: DatasetParamsSchema,
        body: ReferenceRunsBodySchema,
        response: {
          200: PageSchema(ReferenceRunSchema),
          ...errorResponses(...AUTH_ERRORS, ...BODY_ERRORS, 403, 404, 409),
        },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const items = await store.setReferenceRuns(req.params.dataset, req.body.runs, { setBy: admin.name });
      return { items, total: items.length, next: null };
    },
  );
};
