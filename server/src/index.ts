/** Public API of the playground service package, for embedding it (tests, benchmarks, other tools). */
export { resolveConfig, type PlaygroundConfig } from "./config";
export { Store } from "./store/store";
export { buildApp } from "./api/app";
export { serve, type RunningServer } from "./service/serve";
export { readServerInfo, findRunningServer, type ServerInfo } from "./service/server-info";
export {
  ingestFile,
  INGEST_FORMATS,
  type IngestFormat,
  type IngestReport,
} from "./ingest-service/ingest-file";
export { createDemo, DEMO_SIZES, type DemoSize } from "./demo/create-demo";
export { scoreAll, type Metrics, type MetricSettings } from "@dqm-playground/scoring";
export { InputError, NotFoundError, ConflictError } from "./errors";
