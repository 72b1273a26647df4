/**
 * What the DQM Playground service's REST API returns as JSON (docs/api.md). Types only: the kernel
 * library and the JupyterLab extension read responses through them, and the server's view types are
 * these types (the generic ones with plain numbers where NaN can occur; its metrics, from
 * @dqm-playground/scoring, are checked to fit: server/test/api/wire-types.check.ts), so the three
 * cannot drift apart.
 *
 * Numbers that can be undefined for the labels at hand (a metric when a class is missing) are NaN on
 * the server and arrive as null.
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
  /**
   * The designated reference run to compare this run with: the nearest designated run before it,
   * else the nearest after it (never the run itself); null when the data set has none.
   */
  referenceRun: number | null;
  /** The run is one of the data set's designated reference runs. */
  isReference: boolean;
}

/** A designated reference run of a data set (GET/PUT /datasets/{dataset}/reference-runs). */
export interface ReferenceRun {
  run: number;
  /** Why this run, or null. */
  note: string | null;
  /** Who designated it (user name), or null when set directly in the store (the demo). */
  setBy: string | null;
  /** When it was designated or its note last changed (ISO 8601). */
  setAt: string;
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
  /** Decimal places of the metrics participants get back while the task is open (1 to 6). */
  precision: number;
  /** Whether participants get `n` and `nBad` of the public part while the task is open. */
  publish_counts: boolean;
}

export interface SplitSummary {
  size: number;
  sha256: string;
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
  /**
   * `seed` is null while the task is open (unless the viewer is an admin): with it anyone could
   * recompute which test runs are public and which private.
   */
  /** The seeds are null for participants while the task is open (admins and everyone after close see them). */
  split: {
    strategy: "random" | "chronological";
    test_fraction: number;
    public_fraction: number;
    seed: number | null;
    public_seed: number | null;
  };
  dailyLimit: number;
  splits: { train: SplitSummary; test: SplitSummary };
  createdAt: string;
  closedAt: string | null;
}

export type ScoreSet = "public" | "private";

/**
 * Coarse curves of one score set (docs/metrics.md): recall at fixed false-positive rates and grey-zone
 * saved effort at fixed alphas. The service never sends exact curves (they would reveal test labels).
 * `N` is the type of a value that can be undefined for the labels: `number | null` on the wire, `number`
 * (NaN) in the server; the same for the generic types below.
 */
export interface CoarseCurvesOf<N> {
  roc: { fpr: number[]; tpr: N[] };
  greyZone: { beta: number; alpha: number[]; savedEffort: N[] };
}
export type CoarseCurves = CoarseCurvesOf<number | null>;

export interface LeaderboardRowOf<N> {
  rank: number;
  submission: number;
  user: string;
  method: string;
  description: string;
  link: string | null;
  baseline: boolean;
  mine: boolean;
  submittedAt: string;
  rocAuc: N;
  averagePrecision: N;
  savedEffort: N;
  recallAtFpr: Record<string, N>;
  /** Curves of the score set shown; null when scored before the service computed curves. */
  curves: CoarseCurvesOf<N> | null;
}
export type LeaderboardRow = LeaderboardRowOf<number | null>;

export interface LeaderboardOf<N> {
  task: string;
  status: "open" | "closed";
  scores: ScoreSet;
  bestPerUser: boolean;
  /** Decimal places the metrics were rounded to (and ranked on); null when they are exact. */
  precision: number | null;
  rows: Array<LeaderboardRowOf<N>>;
}
export type Leaderboard = LeaderboardOf<number | null>;

/**
 * The grey zone of one part. While a task is open participants get `savedEffort` only: the exact cuts
 * and region counts of a score set they chose would give away individual labels (docs/metrics.md).
 */
export interface GreyZone {
  savedEffort: number | null;
  lowCut?: number | null;
  highCut?: number | null;
  autoGood?: number;
  autoBad?: number;
  pollution?: number | null;
  rejectedGoodFraction?: number | null;
}

/**
 * The metrics of one part of the test split. While a task is open a participant gets them reduced:
 * values (curves included) rounded to the task's `metrics.precision` decimal places, the grey zone
 * without cuts and counts, and `n` / `nBad` only when the task's `metrics.publish_counts` is true.
 */
export interface Metrics {
  rocAuc: number | null;
  averagePrecision: number | null;
  greyZone: GreyZone;
  recallAtFpr: Record<string, number | null>;
  n?: number;
  nBad?: number;
  /** Null when scored before the service computed curves. */
  curves: CoarseCurves | null;
  /** Decimal places the values were rounded to; null when they are exact. */
  precision: number | null;
}

export type SubmissionStatus = "accepted" | "scored" | "failed";

/** `M`: the metrics of one part of the test split (`Metrics` on the wire). */
export interface SubmissionOf<M> {
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
  publicMetrics: M | null;
  /** Null while the task is open, unless the viewer is an admin. */
  privateMetrics: M | null;
}
export type Submission = SubmissionOf<Metrics>;
