/**
 * What the playground service answers (docs/api.md), as the panels use it: the service's wire types,
 * shared with the kernel library and checked against the server's own (@dqm-playground/api-types).
 */
export type {
  Binning,
  CoarseCurves,
  Dataset,
  GreyZone,
  Health,
  HistogramRow,
  Label,
  Leaderboard,
  LeaderboardRow,
  Lumisection,
  Metrics,
  MonitorElement,
  Page,
  ReferenceRun,
  RunSummary,
  ScoreSet,
  Submission,
  SubmissionStatus,
  Task,
  TaskMetricSettings,
} from "@dqm-playground/api-types";
