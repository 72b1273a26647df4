/**
 * The REST API's schemas (docs/api.md), written once with TypeBox: they are the Fastify route schemas
 * of the service (validation, serialization, the OpenAPI document at /api/v1/openapi.json), and the TypeScript
 * types derived from them are what the kernel library and the JupyterLab extension read.
 */
export * from "./common";
export * from "./health";
export * from "./datasets";
export * from "./histograms";
export * from "./tasks";
export * from "./task-spec";
export * from "./submissions";
