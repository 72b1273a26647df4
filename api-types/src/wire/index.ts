/**
 * The wire helpers, one copy for the service, the kernel library and the JupyterLab extension. All of
 * it runs in a browser; service discovery (files in the playground home) is Node-only and lives in
 * ./discovery.ts, which is not exported here.
 */
export * from "./constants";
export * from "./binning";
export * from "./arrow-metadata";
export * from "./errors";
export * from "./paging";
