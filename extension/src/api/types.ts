/**
 * What the playground service answers (docs/api.md), as the panels use it. Metrics that are undefined
 * for the labels (a class missing) arrive as null.
 */

export type Label = "good" | "bad" | "dcs-off";

export interface Page<T> {
  items: T[];
  total: number;
  next: string | null;
}

export interface Health {
  service: string;
  version: string;
  engine: string;
  pid: number;
}

export interface Dataset {
  name: string;
  era: string | null;
  primaryDataset: string | null;
  description: string | null;
  monitorElements: number;
  runs: number;
  lumisections: number;
}

export interface Binning {
  dim: 1 | 2;
  xmin: number;
  xmax: number;
  xbins: number;
  ymin: number;
  ymax: number;
  ybins: number;
}

export interface MonitorElement {
  name: string;
  kind: string | null;
  binning: Binning;
  hasFlow: boolean;
}

export interface RunSummary {
  run: number;
  fill: number | null;
  lumisections: number;
  golden: number | null;
  goldenFraction: number | null;
  bad: number | null;
  /** The run is in a task's test split: its certification is not sent. */
  labelsWithheld: boolean;
}

export interface Lumisection {
  run: number;
  lumisection: number;
  fill: number | null;
  deliveredLumi: number | null;
  recordedLumi: number | null;
  pileup: number | null;
  physicsFlag: boolean | null;
  beamsStable: boolean | null;
  cmsActive: boolean | null;
  golden: boolean | null;
  dcs: boolean | null;
  flags: string[];
  label: Label | null;
  labelsWithheld: boolean;
}

/** One JSON row of GET /datasets/{dataset}/histograms (DIALS-like; 2D data is data[y][x]). */
export interface HistogramRow {
  run: number;
  lumisection: number;
  me: string;
  entries: number;
  x_min: number;
  x_max: number;
  x_bin: number;
  y_min?: number;
  y_max?: number;
  y_bin?: number;
  data: number[] | number[][];
}

export interface TaskMetricSettings {
  alpha: number;
  beta: number;
  fpr_targets: number[];
}

export interface Task {
  name: string;
  title: string;
  description: string;
  dataset: string;
  features: string[];
  status: "open" | "closed";
  labelling: string;
  preprocessing: { include_flow: boolean; min_entries: number };
  metrics: TaskMetricSettings;
  split: { test_fraction: number; public_fraction: number; seed: number };
  dailyLimit: number;
  splits: { train: { size: number; sha256: string }; test: { size: number; sha256: string } };
  createdAt: string;
  closedAt: string | null;
}

export type ScoreSet = "public" | "private";

/**
 * Coarse curves of one score set (docs/metrics.md): recall at fixed false-positive rates and grey-zone
 * saved effort at fixed alphas. The service never sends exact curves (they would reveal test labels).
 */
export interface CoarseCurves {
  roc: { fpr: number[]; tpr: Array<number | null> };
  greyZone: { beta: number; alpha: number[]; savedEffort: Array<number | null> };
}

export interface LeaderboardRow {
  rank: number;
  submission: number;
  user: string;
  method: string;
  description: string;
  link: string | null;
  baseline: boolean;
  mine: boolean;
  submittedAt: string;
  rocAuc: number | null;
  averagePrecision: number | null;
  savedEffort: number | null;
  recallAtFpr: Record<string, number | null>;
  /** Curves of the score set shown; null (or absent, from an older service) when scored before curves existed. */
  curves?: CoarseCurves | null;
}

export interface Leaderboard {
  task: string;
  status: "open" | "closed";
  scores: ScoreSet;
  bestPerUser: boolean;
  rows: LeaderboardRow[];
}

export interface GreyZone {
  savedEffort: number | null;
  lowCut: number | null;
  highCut: number | null;
  autoGood: number;
  autoBad: number;
  pollution: number | null;
  rejectedGoodFraction: number | null;
}

export interface Metrics {
  rocAuc: number | null;
  averagePrecision: number | null;
  greyZone: GreyZone;
  recallAtFpr: Record<string, number | null>;
  n: number;
  nBad: number;
  /** Null (or absent, from an older service) when scored before curves existed. */
  curves?: CoarseCurves | null;
}

export type SubmissionStatus = "accepted" | "scored" | "failed";

export interface Submission {
  id: number;
  task: string;
  user: string;
  method: string;
  description: string;
  link: string | null;
  clientVersion: string | null;
  splitSha256: string;
  status: SubmissionStatus;
  failure: string | null;
  baseline: boolean;
  createdAt: string;
  scoredAt: string | null;
  publicMetrics: Metrics | null;
  privateMetrics: Metrics | null;
}
