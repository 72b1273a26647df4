/**
 * What a viewer gets back of the stored metrics of one part of the test split: the one function through
 * which the submission responses and the leaderboard pass. The database keeps exact values; only this
 * view reduces them.
 *
 * While a task is open a participant's public-part metrics are an oracle on the hidden labels (every
 * exact number about a score set they chose can be decoded), so they get no more than the leaderboard
 * must show: values rounded to the task's `metrics.precision`, the grey zone's saved effort without its
 * cuts, region counts, pollution or rejected fraction, and `n` / `nBad` only if the task publishes them.
 * Admins, and everyone once the task is closed (its labels are released then), get the exact metrics.
 * See docs/metrics.md, "What a participant gets back".
 */
import type { CoarseCurves, GreyZone, Metrics } from "@dqm-playground/scoring";
import type { User } from "../store/users";
import { taskSpec, type TaskRow } from "./task-view";

/**
 * The metrics of one part of the test split with its coarse ROC and grey-zone curves (recall and saved
 * effort at fixed grids, never the exact curves: see scoring/src/coarse-curves.ts). `curves` is null for
 * submissions scored before the service computed them.
 */
export interface PartMetrics extends Metrics {
  curves: CoarseCurves | null;
}

/** Metrics JSON as stored in public_metrics / private_metrics (NaN stored as null), curves filled in. */
export function parseMetrics(json: string | null): PartMetrics | null {
  if (!json) return null;
  const m = JSON.parse(json) as (Metrics & { curves?: CoarseCurves | null }) | null;
  return m ? { ...m, curves: m.curves ?? null } : null;
}

/** How a participant's metrics are reduced. */
export interface MetricsPolicy {
  /** Decimal places of every value (metrics and curve values; the fixed grids stay as they are). */
  precision: number;
  /** Whether `n` and `nBad` are sent. */
  publishCounts: boolean;
}

/** The metrics a viewer gets (the wire `Metrics`, with NaN where a metric is undefined). */
export type MetricsView = Omit<PartMetrics, "greyZone" | "n" | "nBad"> & {
  greyZone: Pick<GreyZone, "savedEffort"> & Partial<Omit<GreyZone, "savedEffort">>;
  n?: number;
  nBad?: number;
  /** Decimal places the values were rounded to; null when exact. */
  precision: number | null;
};

/** The reduction for `viewer`, or null when they get exact metrics (an admin, or the task is closed). */
export function viewerPolicy(task: Pick<TaskRow, "status" | "spec">, viewer: User): MetricsPolicy | null {
  if (task.status === "closed" || viewer.role === "admin") return null;
  const m = taskSpec(task).metrics;
  return { precision: m.precision, publishCounts: m.publish_counts };
}

/** `value` rounded to `places` decimals; NaN (or a stored null) is left as it is. */
export function roundTo(value: number, places: number): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** places;
  // An integer divided by a power of ten is the double nearest the decimal, so it prints with <= places.
  return Math.round(value * f) / f;
}

/** The view of one part's stored metrics under `policy` (null: exact). */
export function metricsView(m: PartMetrics | null, policy: MetricsPolicy | null): MetricsView | null {
  if (!m) return null;
  if (!policy) return { ...m, precision: null };
  const r = (v: number) => roundTo(v, policy.precision);
  return {
    rocAuc: r(m.rocAuc),
    averagePrecision: r(m.averagePrecision),
    greyZone: { savedEffort: r(m.greyZone.savedEffort) },
    recallAtFpr: Object.fromEntries(Object.entries(m.recallAtFpr).map(([k, v]) => [k, r(v)])),
    ...(policy.publishCounts ? { n: m.n, nBad: m.nBad } : {}),
    curves: m.curves && {
      roc: { fpr: m.curves.roc.fpr, tpr: m.curves.roc.tpr.map(r) },
      greyZone: {
        beta: m.curves.greyZone.beta,
        alpha: m.curves.greyZone.alpha,
        savedEffort: m.curves.greyZone.savedEffort.map(r),
      },
    },
    precision: policy.precision,
  };
}
