/**
 * @dqm-playground/kernel: the DQM Playground library for notebooks (tslab or Deno kernels).
 *
 *   const pg = await dqm.connect();
 *   const task = await pg.task("pixel-2018-charge");
 *   const x = dqm.features(await task.load("train"), { select: "good", normalize: "l1" });
 *   const ae = dqm.models.autoencoder({ inputDim: x.shape[1], hidden: [64, 16] });
 *   await ae.fit(x, { epochs: 30 });
 *   const test = await task.load("test");
 *   await task.submit(ae.score(dqm.features(test, { normalize: "l1" })), { method: "AE 64-16" });
 */
import * as tf from "@tensorflow/tfjs";

export { tf };
export { VERSION, CLIENT_VERSION } from "./version";

// Service
export {
  connect,
  Playground,
  type HistogramQuery,
  type ReferenceHistogram,
  type ReferenceOptions,
} from "./client/playground";
export { type ConnectOptions, resolveHome } from "./client/connect";
export { Task, type SubmitOptions, type ScoreInput, type LeaderboardOptions } from "./client/task";
export { ServiceError } from "./client/http";
export { TaskList, Leaderboard, SubmissionResult } from "./client/views";
export type {
  TaskInfo,
  SubmissionInfo,
  LeaderboardInfo,
  LeaderboardRow,
  ServiceMetrics,
  Health,
  DatasetInfo,
  MonitorElementInfo,
  ReferenceRunInfo,
  RunSummaryInfo,
} from "./client/types";

// Data
export { features, type FeatureOptions } from "./data/features";
export { FeatureMatrix, type FeatureBlock, type MatrixLike, type MatrixRows } from "./data/matrix";
export { MinMaxScaler, type MinMaxScalerJSON } from "./data/scaler";
export { BlockScaler, type BlockScalerJSON } from "./data/block-scaler";
export {
  normalizeRows,
  selectRows,
  splitByRun,
  type Normalization,
  type LabelSelection,
  type RunSplit,
} from "./data/preprocessing";
export { holdout } from "./data/holdout";
export { runRelative, runReferences, type RunRelativeOptions, type RunReferences } from "./data/run-relative";
export {
  labels,
  hasLabels,
  monitorElements,
  meColumn,
  lumisectionColumns,
  type MeColumn,
} from "./data/arrow";
export { dropFlowBins, binCentres, interiorSize, fullSize, type Binning } from "./data/binning";
export { splitInfo, type SplitInfo } from "./data/split-info";

// Backend, models, evaluation, charts, display
export {
  backend,
  selectBackend,
  describeBackend,
  defaultCandidates,
  type BackendChoice,
  type BackendCandidate,
  type BackendKind,
  type SelectOptions,
} from "./backend";
export * as models from "./models/index";
export * as evaluate from "./evaluate/index";
export * as plot from "./plot/index";
export * as display from "./display/index";
export { show } from "./display/show";
