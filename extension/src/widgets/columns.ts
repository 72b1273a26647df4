/**
 * How the panels' tables look: each column's heading, width (a CSS grid track), alignment, text and
 * classes. The models say what a row is and what a column sorts by; this file says how it is shown.
 */
import type { LeaderboardRow, MonitorElement, Submission } from "../api/types";
import { ME_SORT_KEYS, RUN_SORT_KEYS, type RunRow } from "../models/browser-model";
import type { LumisectionRow } from "../models/run-model";
import { formatNumber, formatPercent, formatTime, type SortKey } from "../models/table";
import type { Column, ColumnLook } from "./virtual-table";

/** The columns of `keys` (in their order), each shown as `looks` says. */
function columnsOf<T>(keys: readonly SortKey<T>[], looks: Record<string, ColumnLook<T>>): Column<T>[] {
  return keys.map((k) => ({ ...k, ...looks[k.key] }));
}

export const RUN_COLUMNS: Column<RunRow>[] = columnsOf(RUN_SORT_KEYS, {
  run: { label: "Run", width: "minmax(4.5em, 1fr)" },
  lumisections: { label: "LS", align: "end", width: "3.5em" },
  goldenFraction: {
    label: "Golden",
    format: (r) => (r.labelsWithheld ? "withheld" : formatPercent(r.goldenFraction)),
    title: (r) =>
      r.labelsWithheld
        ? "In a task's test split: its certification is not shown"
        : `${r.golden ?? "?"} golden, ${r.bad ?? "?"} bad of ${r.lumisections}`,
    cellClass: (r) => (r.labelsWithheld ? "dqm-mod-withheld" : undefined),
    align: "end",
    width: "5em",
  },
  era: { label: "Era", width: "3.5em" },
  bad: { label: "Bad", align: "end", width: "3em" },
  fill: { label: "Fill", align: "end", width: "3.5em" },
});

export const ME_COLUMNS: Column<MonitorElement>[] = columnsOf(ME_SORT_KEYS, {
  name: { label: "Monitor element", width: "minmax(6em, 1fr)" },
  kind: { label: "Kind", width: "3.5em" },
  bins: {
    label: "Bins",
    format: (m) => (m.binning.dim === 2 ? `${m.binning.xbins}×${m.binning.ybins}` : String(m.binning.xbins)),
    align: "end",
    width: "4.5em",
  },
});

export const LUMISECTION_COLUMNS: Column<LumisectionRow>[] = [
  { key: "ls", label: "LS", value: (r) => r.ls, width: "3.5em" },
  {
    key: "label",
    label: "Label",
    value: (r) => r.label,
    cellClass: (r) => `dqm-label dqm-label-${r.label}`,
    width: "5.5em",
  },
  { key: "entries", label: "Entries", value: (r) => r.entries, align: "end", width: "minmax(5em, 1fr)" },
  {
    key: "pileup",
    label: "Pileup",
    value: (r) => r.pileup,
    format: (r) => formatNumber(r.pileup, 1),
    align: "end",
    width: "4em",
  },
  {
    key: "flags",
    label: "Flags",
    value: (r) => r.flags.join(" "),
    width: "minmax(3em, 1fr)",
    sortable: false,
  },
];

/** A metric column: right-aligned, formatted, sorted by the value (null when undefined for the labels). */
function metricColumn(
  key: string,
  label: string,
  width: string,
  get: (r: LeaderboardRow) => number | null,
): Column<LeaderboardRow> {
  return { key, label, value: get, format: (r) => formatNumber(get(r)), align: "end", width };
}

export function leaderboardColumns(fpr: readonly string[]): Column<LeaderboardRow>[] {
  return [
    { key: "rank", label: "#", value: (r) => r.rank, align: "end", width: "2.5em" },
    {
      key: "method",
      label: "Method",
      value: (r) => r.method,
      title: (r) => (r.description ? `${r.method}\n\n${r.description}` : r.method),
      width: "minmax(10em, 2fr)",
    },
    {
      key: "baseline",
      label: "Baseline",
      value: (r) => r.baseline,
      format: (r) => (r.baseline ? "baseline" : ""),
      cellClass: (r) => (r.baseline ? "dqm-baseline-mark" : undefined),
      width: "5.5em",
    },
    { key: "user", label: "Author", value: (r) => r.user, width: "minmax(5em, 1fr)" },
    metricColumn("rocAuc", "ROC AUC", "5.5em", (r) => r.rocAuc),
    metricColumn("averagePrecision", "AP", "5em", (r) => r.averagePrecision),
    metricColumn("savedEffort", "Saved effort", "6em", (r) => r.savedEffort),
    ...fpr.map((k) =>
      metricColumn(`recall@${k}`, `Recall@FPR ${k}`, "7.5em", (r) => r.recallAtFpr[k] ?? null),
    ),
    {
      key: "submittedAt",
      label: "Submitted",
      value: (r) => r.submittedAt,
      format: (r) => formatTime(r.submittedAt),
      width: "9.5em",
    },
  ];
}

export const SUBMISSION_COLUMNS: Column<Submission>[] = [
  { key: "id", label: "Id", value: (s) => s.id, align: "end", width: "3em" },
  { key: "method", label: "Method", value: (s) => s.method, width: "minmax(8em, 2fr)" },
  {
    key: "status",
    label: "Status",
    value: (s) => s.status,
    cellClass: (s) => `dqm-submission-status dqm-mod-${s.status}`,
    width: "5.5em",
  },
  {
    key: "failure",
    label: "Reason",
    value: (s) => s.failure ?? "",
    width: "minmax(8em, 3fr)",
  },
  {
    key: "rocAuc",
    label: "ROC AUC (public)",
    value: (s) => s.publicMetrics?.rocAuc ?? null,
    format: (s) => formatNumber(s.publicMetrics?.rocAuc ?? null),
    align: "end",
    width: "8em",
  },
  {
    key: "createdAt",
    label: "Submitted",
    value: (s) => s.createdAt,
    format: (s) => formatTime(s.createdAt),
    width: "9.5em",
  },
];
