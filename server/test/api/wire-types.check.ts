/**
 * The server's view types are the wire types of @dqm-playground/api-types (what the kernel library and
 * the JupyterLab extension read), instantiated with plain numbers where the wire has `number | null`
 * (NaN is sent as null). The metrics are the exception: they come from @dqm-playground/scoring, which
 * depends on nothing, so this file checks that they fit the wire types. Not a jest test: the check is
 * the type-check of this file (`npm run typecheck`, part of `npm test`), which fails when they drift.
 */
import type * as api from "@dqm-playground/api-types";
import type { SubmissionView, PartMetrics } from "../../src/tasks/submissions";
import type { MetricsView } from "../../src/tasks/metrics-view";

/** true when every value of type S is a valid T: the server's S serialises to what clients read as T. */
type Fits<S, T> = [S] extends [T] ? true : false;

export const fits: Record<string, true> = {
  // Stored metrics become the wire metrics through metrics-view.ts (exact or reduced).
  metrics: true satisfies Fits<MetricsView, api.Metrics>,
  exact: true satisfies Fits<PartMetrics & { precision: null }, api.Metrics>,
  curves: true satisfies Fits<PartMetrics["curves"], api.Metrics["curves"]>,
  submission: true satisfies Fits<SubmissionView, api.Submission>,
};
