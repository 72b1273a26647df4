/** A local evaluation shown in the cell: the metrics table and the ROC, PR, grey-zone and score charts. */
import { formatCell, htmlTable, textTable, type TableData } from "../display/html";
import { show } from "../display/show";
import { Chart } from "../plot/spec";
import { greyZone as greyZoneSpec, precisionRecall as prSpec, roc as rocSpec } from "../plot/curves";
import { scoreDistributions as distSpec } from "../plot/histograms";
import { precisionRecallRanked, rocCurveRanked } from "./curves";
import { scoreDistributions } from "./distributions";
import { greyZoneCurveRanked } from "./grey-zone";
import { metrics, type MetricSettings, type Metrics } from "./metrics";
import { rankByScore, type LabelArray, type ScoreArray } from "./ranking";

export function metricsTable(m: Metrics, name = "model"): TableData {
  return {
    caption: `${name}: ${m.n} lumisections, ${m.nBad} bad`,
    columns: ["metric", "value"],
    rows: [
      ["ROC AUC", m.rocAuc],
      ["average precision", m.averagePrecision],
      ...Object.entries(m.recallAtFpr).map(([k, v]) => [`recall at FPR ${k}`, v]),
      ["grey-zone saved effort", m.greyZone.savedEffort],
      ["  auto-GOOD / auto-BAD", `${m.greyZone.autoGood} / ${m.greyZone.autoBad}`],
      ["  cuts (low, high)", `${formatCell(m.greyZone.lowCut)}, ${formatCell(m.greyZone.highCut)}`],
    ],
  };
}

/** Computes every metric, shows them with the charts (unless `charts: false`), returns the metrics. */
export function report(
  scores: ScoreArray,
  labels: LabelArray,
  opts: Partial<MetricSettings> & { name?: string; charts?: boolean } = {},
): Metrics {
  const m = metrics(scores, labels, opts);
  const t = metricsTable(m, opts.name);
  show({ "text/html": htmlTable(t), "text/plain": textTable(t) });
  if (opts.charts ?? true) {
    const name = opts.name ?? "model";
    const r = rankByScore(scores, labels);
    new Chart(distSpec(scoreDistributions(scores, labels, { log: true }))).show();
    new Chart(rocSpec({ [name]: rocCurveRanked(r) })).show();
    new Chart(prSpec({ [name]: precisionRecallRanked(r) })).show();
    new Chart(greyZoneSpec({ [name]: greyZoneCurveRanked(r, opts.beta ?? 0.01) })).show();
  }
  return m;
}
