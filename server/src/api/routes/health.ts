/** Liveness and identity: lets the CLI and the kernel library tell a playground server from anything else. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { HealthSchema, SERVICE_NAME } from "@dqm-playground/api-types";
import type { Store } from "../../store/store";
import { SERVER_VERSION } from "../../version";
import { errorResponses } from "../schemas";

export const healthRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, opts) => {
  app.get(
    "/health",
    {
      schema: {
        summary: "Service status",
        tags: ["service"],
        response: { 200: HealthSchema, ...errorResponses(500) },
      },
    },
    async () => ({
      service: SERVICE_NAME,
      version: SERVER_VERSION,
      engine: opts.store.engine,
      pid: process.pid,
    }),
  );
};
