/**
 * The REST API under /api/v1: one Fastify plugin per resource, and the OpenAPI document generated from
 * the routes' schemas at /api/v1/openapi.json. The schemas are those of the wire contract
 * (@dqm-playground/api-types, TypeBox): every route plugin is typed through the TypeBox type provider
 * (FastifyPluginAsyncTypebox), so requests and replies have the schemas' types; validation is Ajv's
 * (validation.ts), serialization fast-json-stringify's, both from the same schemas.
 */
import Fastify, { type FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import cors from "@fastify/cors";
import type { Store } from "../store/store";
import { errorHandler } from "./errors";
import { authHook } from "./auth";
import { validatorCompiler } from "./validation";
import { datasetRoutes } from "./routes/datasets";
import { histogramRoutes } from "./routes/histograms";
import { healthRoutes } from "./routes/health";
import { taskRoutes } from "./routes/tasks";
import { SERVER_VERSION } from "../version";
import { corsOriginsFromEnv } from "../config";
import { SPLIT_SHA256_HEADER } from "@dqm-playground/api-types";
import { InputError } from "../errors";
import { MAX_JSON_DEPTH, tooDeepAt } from "../json-depth";

/**
 * Largest JSON body: a submission of 300,000 lumisections (more than a year of collisions) is about
 * 20 MB. Arrow submissions (binary, a third of the size) have their own limit on their route.
 */
export const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;

/**
 * JSON bodies: Fastify's own parser (which refuses `__proto__` and `constructor` poisoning) behind a
 * size limit and a nesting limit checked before parsing, so one hostile body cannot stall the event
 * loop. No other text parser: a `text/plain` body is a 415, not a string handed to a route.
 */
function registerBodyParsers(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    const text = body as string;
    if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES)
      return done(
        new InputError(
          `JSON body of ${Buffer.byteLength(text)} bytes, at most ${MAX_JSON_BODY_BYTES}`,
          {},
          413,
        ),
        undefined,
      );
    const deep = tooDeepAt(text, MAX_JSON_DEPTH);
    if (deep !== undefined)
      return done(
        new InputError(`JSON body nested deeper than ${MAX_JSON_DEPTH} levels (at character ${deep + 1})`),
        undefined,
      );
    json(req, text, done);
  });
}

export interface AppOptions {
  store: Store;
  logger?: boolean;
  /**
   * Web origins whose pages may call the API from a browser (`*`: any). Default: the comma-separated
   * `DQM_PLAYGROUND_CORS_ORIGINS`; empty or unset, no CORS headers at all.
   */
  corsOrigins?: string[];
  /**
   * Called with the new instance before any route is registered, so that what it adds (hooks) applies
   * to every route: tests use it to watch each response before and after serialization.
   */
  beforeRoutes?: (app: FastifyInstance) => void;
}

/** Request headers a browser page may send: the token, JSON or Arrow bodies, retry-safe submissions. */
export const CORS_ALLOWED_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key"];
/** Response headers a browser page may read (the split hash of a downloaded split). */
export const CORS_EXPOSED_HEADERS = [SPLIT_SHA256_HEADER];

/**
 * CORS for an allow-list of origins, registered before the token check so that preflights (which carry
 * no token) are answered first and that errors such as 401 still reach the page readable. A request
 * from any other origin, or with no Origin header, gets no CORS header at all.
 */
async function registerCors(app: FastifyInstance, origins: string[]): Promise<void> {
  if (origins.length === 0) return;
  const any = origins.includes("*");
  const allowed = new Set(origins);
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin !== undefined && (any || allowed.has(origin)) ? origin : false),
    methods: ["GET", "HEAD", "POST"],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  });
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
  });
  app.setErrorHandler(errorHandler);
  app.setValidatorCompiler(validatorCompiler);
  registerBodyParsers(app);
  app.decorateRequest("user", null);
  await registerCors(app, opts.corsOrigins ?? corsOriginsFromEnv());
  opts.beforeRoutes?.(app);
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
