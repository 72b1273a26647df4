/**
 * Inline charts. `plot.specs.*` are pure Vega-Lite spec builders; the other functions compute what
 * they need (curves, bins) and show the chart in the cell output.
 */
import type { Table } from "apache-arrow";
import { hasLabels, labels as tableLabels } from "../data/arrow";
import type { Binning } from "../data/binning";
import type { FeatureMatrix } from "../data/matrix";
import { scoreDistributions } from "../evaluate/distributions";
import { greyZoneCurve, precisionRecall as prCurve, rocCurve } from "../evaluate/metrics";
import type { LabelArray, ScoreArray } from "../evaluate/ranking";
import type { WorstLumisection } from "../evaluate/worst";
import * as curves from "./curves";
import * as histograms from "./histograms";
import { Chart, type VegaLiteSpec } from "./spec";

export { Chart, VEGA_LITE_SCHEMA, type VegaLiteSpec, type Json } from "./spec";
export type { LossHistory } from "./curves";
export type { OverlaySeries } from "./histograms";

/** The pure spec builders. */
export const specs = {
  lossCurve: curves.lossCurve,
  roc: curves.roc,
  precisionRecall: curves.precisionRecall,
  greyZone: curves.greyZone,
  scoreDistributions: histograms.scoreDistributions,
  histogramOverlay: histograms.histogramOverlay,
  worstLumisections: histograms.worstLumisections,
  heatmap: histograms.heatmap,
};

/** Shows a spec (or a Chart) in the cell output. */
export function show(spec: VegaLiteSpec | Chart): void {
  (spec instanceof Chart ? spec : new Chart(spec)).show();
}

/** Training loss per epoch (the `history` returned by `fit`). */
export function loss(history: curves.LossHistory, opts: { title?: string; logY?: boolean } = {}): void {
  show(curves.lossCurve(history, opts));
}

function labelsOf(source: Table | LabelArray | null | undefined): LabelArray | null {
  if (!source) return null;
  if ("schema" in source && "numRows" in source) return hasLabels(source) ? tableLabels(source) : null;
  return source as LabelArray;
}

/**
 * Score distribution; split into good and bad when labels are known (a labelled table or a label
 * array). `log` bins log10(score) (reconstruction errors span decades).
 */
export function scores(
  s: ScoreArray,
  labelsOrTable?: Table | LabelArray | null,
  opts: { bins?: number; log?: boolean; title?: string } = {},
): void {
  const d = scoreDistributions(s, labelsOf(labelsOrTable), { bins: opts.bins, log: opts.log ?? true });
  show(histograms.scoreDistributions(d, { title: opts.title }));
}

export function roc(
  s: ScoreArray,
  labels: LabelArray,
  opts: { title?: string; logX?: boolean; name?: string } = {},
): void {
  show(curves.roc({ [opts.name ?? "model"]: rocCurve(s, labels) }, opts));
}

export function pr(s: ScoreArray, labels: LabelArray, opts: { title?: string; name?: string } = {}): void {
  show(curves.precisionRecall({ [opts.name ?? "model"]: prCurve(s, labels) }, opts));
}

export function greyZone(
  s: ScoreArray,
  labels: LabelArray,
  opts: { beta?: number; title?: string; name?: string } = {},
): void {
  show(curves.greyZone({ [opts.name ?? "model"]: greyZoneCurve(s, labels, { beta: opts.beta }) }, opts));
}

/** One histogram over a reference histogram. */
export function histogram(
  values: ArrayLike<number>,
  reference: ArrayLike<number> | null,
  opts: { title?: string; binning?: Binning | null; names?: [string, string]; logY?: boolean } = {},
): void {
  const [a, b] = opts.names ?? ["lumisection", "reference"];
  const series = [{ name: a, values }];
  if (reference) series.push({ name: b, values: reference });
  show(histograms.histogramOverlay(series, opts));
}

/**
 * The worst lumisections (from `evaluate.worst`) over a reference: a whole matrix row (e.g.
 * `evaluate.reference(trainGood)`; the monitor element's columns are taken) or just those columns.
 */
export function worst(
  list: readonly WorstLumisection[],
  reference: ArrayLike<number>,
  opts: { title?: string; binning?: Binning | null; columns?: number } = {},
): void {
  const block = list[0]?.block;
  const ref =
    block && reference.length > block.width
      ? Array.prototype.slice.call(reference, block.offset, block.offset + block.width)
      : reference;
  const binning = opts.binning !== undefined ? opts.binning : block && !block.flow ? block.binning : null;
  show(histograms.worstLumisections(list, ref as ArrayLike<number>, { ...opts, binning }));
}

/** Heatmap of one run of a feature matrix: lumisections by bins of one monitor element. */
export function heatmap(
  x: FeatureMatrix,
  run: number,
  opts: { me?: string; title?: string; logColor?: boolean } = {},
): void {
  const block = x.block(opts.me);
  const rows: number[] = [];
  for (let i = 0; i < x.rows; i++) if (x.index.runs[i] === run) rows.push(i);
  if (rows.length === 0) throw new Error(`run ${run} is not in this matrix`);
  rows.sort((p, q) => x.index.lumisections[p] - x.index.lumisections[q]);
  const values = new Float32Array(rows.length * block.width);
  rows.forEach((r, k) => values.set(x.histogram(r, block.me), k * block.width));
  show(
    histograms.heatmap(
      { lumisections: rows.map((r) => x.index.lumisections[r]), values, width: block.width },
      {
        title: opts.title ?? `Run ${run}: ${block.me}`,
        binning: block.flow ? null : block.binning,
        run,
        logColor: opts.logColor,
      },
    ),
  );
}
