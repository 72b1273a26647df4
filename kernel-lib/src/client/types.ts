/** What the service's REST API returns (docs/api.md), as the kernel library reads it. */
import type { Metrics } from "../evaluate/metrics";

export interface Health {
  service: string;
  version: string;
  engine?: string;
  pid?: number;
  [key: string]: unknown;
}

export interface SplitSummary {
  size: number;
  sha256: string;
}

export interface TaskInfo {
  name: string;
  title: string;
  description: string;
  dataset: string;
  features: string[];
  status: "open" | "closed";
  labelling: string;
  preprocessing: { include_flow: boolean; min_entries: number; [key: string]: unknown };
  metrics: { alpha: number; beta: number; fpr_targets: number[] };
  split: { test_fraction: number; public_fraction: number; seed: number };
  dailyLimit: number;
  splits: { train: SplitSummary; test: SplitSummary };
  createdAt: string;
  closedAt: string | null;
}

/** Metrics as JSON: NaN comes back as null. */
export type ServiceMetrics = { [K in keyof Metrics]: Metrics[K] extends number ? number | null : Metrics[K] };

export interface SubmissionInfo {
  id: number;
  task: string;
  user: string;
  method: string;
  description: string;
  link: string | null;
  clientVersion: string | null;
  splitSha256: string;
  status: "accepted" | "scored" | "failed";
  failure: string | null;
  baseline: boolean;
  createdAt: string;
  scoredAt: string | null;
  publicMetrics: ServiceMetrics | null;
  privateMetrics: ServiceMetrics | null;
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
}

export interface LeaderboardInfo {
  task: string;
  status: "open" | "closed";
  scores: "public" | "private";
  bestPerUser: boolean;
  rows: LeaderboardRow[];
}

export interface DatasetInfo {
  name: string;
  [key: string]: unknown;
}

export interface MonitorElementInfo {
  name: string;
  kind: string | null;
  binning: {
    dim: 1 | 2;
    xmin: number;
    xmax: number;
    xbins: number;
    ymin: number;
    ymax: number;
    ybins: number;
  };
  hasFlow: boolean;
}
