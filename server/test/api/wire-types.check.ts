/**
 * The server's view types are the wire types of @dqm-playground/api-types (what the kernel library and
 * the JupyterLab extension read), instantiated with plain numbers where the wire has `number | null`
 * (NaN is sent as null). The metrics are the exception: they come from @dqm-playground/scoring, which
 * depends on nothing, so this file checks that they fit the wire types. Not a jest test: the check is
 * the type-check of this file (`npm run typecheck`, part of `npm test`), which fails when they drift.
 */
import type * as api from "@dqm-playground/api-types";
import type { SubmissionView, PartMetrics } from "../../src/tasks/submissions";

/** true when every value of type S is a valid T: the server's S serialises to what clients read as T. */
type Fits<S, T> = [S] extends [T] ? true : false;

export const fits: Record<string, true> = {
  metrics: true satisfies Fits<PartMetrics, api.Metrics>,
  curves: true satisfies Fits<PartMetrics["curves"], api.Metrics["curves"]>,
  submission: true satisfies Fits<SubmissionView, api.Submission>,
};
