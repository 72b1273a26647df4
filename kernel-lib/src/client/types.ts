/**
 * What the service's REST API returns (docs/api.md), as the kernel library reads it: the service's wire
 * types (@dqm-playground/api-types, shared with the JupyterLab extension and checked against the
 * server's own), under the names this library has always used.
 */
import type * as api from "@dqm-playground/api-types";

export type Health = api.Health;
export type SplitSummary = api.SplitSummary;
export type TaskInfo = api.Task;
/** Metrics as JSON: NaN comes back as null. */
export type ServiceMetrics = api.Metrics;
export type SubmissionInfo = api.Submission;
export type LeaderboardRow = api.LeaderboardRow;
export type LeaderboardInfo = api.Leaderboard;
export type DatasetInfo = api.Dataset;
export type MonitorElementInfo = api.MonitorElement;
export type RunSummaryInfo = api.RunSummary;
export type ReferenceRunInfo = api.ReferenceRun;
