/** Liveness and identity: lets the CLI and the kernel library tell a playground server from anything else. */
import type { FastifyInstance } from "fastify";
import type { Store } from "../../store/store";
import { SERVER_VERSION } from "../../version";

export async function healthRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  app.get(
    "/health",
    {
      schema: {
        summary: "Service status",
        tags: ["service"],
        response: {
          200: {
            type: "object",
            properties: {
              service: { type: "string" },
              version: { type: "string" },
              engine: { type: "string" },
              pid: { type: "integer" },
            },
          },
        },
      },
    },
    async () => ({
      service: "dqm-playground",
      version: SERVER_VERSION,
      engine: opts.store.engine,
      pid: process.pid,
    }),
  );
}
