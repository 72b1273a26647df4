/**
 * The DQM Playground wire contract (docs/api.md, docs/architecture.md): what the service, the kernel
 * library and the JupyterLab extension agree on, written once.
 */
export * from "./schemas";
export * from "./wire";
