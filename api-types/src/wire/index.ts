/**
 * The wire helpers, one copy for the service, the kernel library and the JupyterLab extension. All of
 * it runs in a browser (test/browser-safety.test.ts checks that nothing here imports a Node module).
 * The package root exports it with the TypeBox schemas; `@dqm-playground/api-types/wire` is the
 * helpers alone, without loading TypeBox (the kernel library imports it so). Service discovery (files
 * in the playground home) is Node-only: `@dqm-playground/api-types/discovery`, not exported
 * here.
 */
export * from "./constants";
export * from "./binning";
export * from "./arrow-metadata";
export * from "./errors";
export * from "./paging";
export * from "./json";
