/**
 * The REST API under /api/v1: one Fastify plugin per resource, JSON schemas on every route, and the
 * OpenAPI document generated from those schemas at /api/v1/openapi.json.
 */
import Fastify, { type FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import type { Store } from "../store/store";
import { errorHandler } from "./errors";
import { authHook } from "./auth";
import { validatorCompiler } from "./validation";
import { datasetRoutes } from "./routes/datasets";
import { histogramRoutes } from "./routes/histograms";
import { healthRoutes } from "./routes/health";
import { taskRoutes } from "./routes/tasks";
import { SERVER_VERSION } from "../version";

export interface AppOptions {
  store: Store;
  logger?: boolean;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
  });
  app.setErrorHandler(errorHandler);
  app.setValidatorCompiler(validatorCompiler);
  app.decorateRequest("user", null);
  app.addHook("onRequest", authHook(opts.store));
  app.setNotFoundHandler((req, reply) => {
    void reply
      .status(404)
      .send({ statusCode: 404, error: "Not Found", message: `no route ${req.method} ${req.url}` });
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "DQM Playground",
        version: SERVER_VERSION,
        description:
          "CMS DQM ML Playground: data sets, per-lumisection histograms, labels, tasks and leaderboards",
      },
    },
  });
  await app.register(
    async (api) => {
      await api.register(healthRoutes, { store: opts.store });
      await api.register(datasetRoutes, { store: opts.store });
      await api.register(histogramRoutes, { store: opts.store });
      await api.register(taskRoutes, { store: opts.store });
      api.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: "/api/v1" },
  );
  return app;
}
