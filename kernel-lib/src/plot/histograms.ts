/** Spec builders for score distributions, histograms against a reference, and per-run heatmaps. */
import type { Binning } from "../data/binning";
import type { ScoreDistributions } from "../evaluate/distributions";
import type { WorstLumisection } from "../evaluate/worst";
import { num, spec, VEGA_LITE_SCHEMA, type Row, type VegaLiteSpec } from "./spec";

/** Score histograms of good and bad lumisections, each normalised to its class size. */
export function scoreDistributions(
  d: ScoreDistributions,
  opts: { title?: string; density?: boolean } = {},
): VegaLiteSpec {
  const density = opts.density ?? d.series.length > 1;
  const values: Row[] = [];
  for (const s of d.series)
    for (let k = 0; k < s.counts.length; k++) {
      if (s.counts[k] === 0) continue;
      values.push({
        lo: d.edges[k],
        hi: d.edges[k + 1],
        value: density ? s.counts[k] / Math.max(1, s.total) : s.counts[k],
        class: `${s.name} (${s.total})`,
      });
    }
  const x = d.log ? "log10(score)" : "score";
  return spec(opts.title ?? "Score distributions", {
    data: { values },
    mark: { type: "rect", opacity: 0.55 },
    encoding: {
      x: { field: "lo", type: "quantitative", title: x },
      x2: { field: "hi" },
      y: {
        field: "value",
        type: "quantitative",
        title: density ? "fraction of the class" : "lumisections",
        stack: null,
      },
      y2: { datum: 0 },
      color: {
        field: "class",
        type: "nominal",
        title: null,
        scale: d.series.length > 1 ? { range: ["#4c78a8", "#e45756"] } : { range: ["#4c78a8"] },
      },
    },
  });
}

function binAxis(
  binning: Pick<Binning, "dim" | "xmin" | "xmax" | "xbins"> | null | undefined,
  width: number,
) {
  if (!binning || binning.dim !== 1 || binning.xbins !== width) return { at: (i: number) => i, title: "bin" };
  const w = (binning.xmax - binning.xmin) / binning.xbins;
  return { at: (i: number) => binning.xmin + (i + 0.5) * w, title: "x (bin centre)" };
}

export interface OverlaySeries {
  name: string;
  values: ArrayLike<number>;
}

/** Histograms drawn as steps over the same bins: a lumisection against a reference, for example. */
export function histogramOverlay(
  series: OverlaySeries[],
  opts: { title?: string; binning?: Binning | null; logY?: boolean } = {},
): VegaLiteSpec {
  const width = series[0]?.values.length ?? 0;
  const axis = binAxis(opts.binning, width);
  const values: Row[] = [];
  for (const s of series)
    for (let i = 0; i < s.values.length; i++)
      values.push({ x: axis.at(i), value: num(s.values[i]), series: s.name });
  return spec(opts.title ?? "Histogram", {
    data: { values },
    mark: { type: "line", interpolate: "step" },
    encoding: {
      x: { field: "x", type: "quantitative", title: axis.title },
      y: {
        field: "value",
        type: "quantitative",
        title: "content",
        scale: { type: opts.logY ? "symlog" : "linear" },
      },
      color: { field: "series", type: "nominal", title: null, sort: series.map((s) => s.name) },
      strokeDash: { field: "series", type: "nominal", legend: null, sort: series.map((s) => s.name) },
    },
  });
}

/** The worst lumisections, one panel each, over the reference (same columns as their block). */
export function worstLumisections(
  worst: readonly WorstLumisection[],
  reference: ArrayLike<number>,
  opts: { title?: string; binning?: Binning | null; columns?: number } = {},
): VegaLiteSpec {
  const values: Row[] = [];
  for (const w of worst) {
    const panel = `#${w.rank} run ${w.run} ls ${w.lumisection} (score ${w.score.toPrecision(3)}${w.label === null ? "" : w.label ? ", bad" : ", good"})`;
    const axis = binAxis(opts.binning, w.histogram.length);
    for (let i = 0; i < w.histogram.length; i++) {
      values.push({ x: axis.at(i), value: num(w.histogram[i]), series: "lumisection", panel });
      values.push({ x: axis.at(i), value: num(reference[i]), series: "reference", panel });
    }
  }
  const axis = binAxis(opts.binning, worst[0]?.histogram.length ?? 0);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: opts.title ?? "Most anomalous lumisections against the reference",
    data: { values },
    facet: { field: "panel", type: "nominal", title: null, sort: null },
    columns: opts.columns ?? 2,
    spec: {
      width: 260,
      height: 150,
      mark: { type: "line", interpolate: "step" },
      encoding: {
        x: { field: "x", type: "quantitative", title: axis.title },
        y: { field: "value", type: "quantitative", title: "content" },
        color: { field: "series", type: "nominal", title: null, scale: { range: ["#e45756", "#4c78a8"] } },
      },
    },
    resolve: { scale: { y: "independent" } },
  };
}

/** Lumisection-by-bin heatmap of one run: rows are lumisections, columns bins, colour the content. */
export function heatmap(
  rows: { lumisections: ArrayLike<number>; values: Float32Array; width: number },
  opts: { title?: string; binning?: Binning | null; run?: number; logColor?: boolean } = {},
): VegaLiteSpec {
  const axis = binAxis(opts.binning, rows.width);
  const values: Row[] = [];
  for (let r = 0; r < rows.lumisections.length; r++)
    for (let i = 0; i < rows.width; i++)
      values.push({
        ls: rows.lumisections[r],
        bin: i,
        x: axis.at(i),
        value: num(rows.values[r * rows.width + i]),
      });
  return spec(
    opts.title ?? `Run ${opts.run ?? ""}: lumisections by bin`.trim(),
    {
      data: { values },
      mark: { type: "rect" },
      encoding: {
        x: {
          field: "bin",
          type: "ordinal",
          title: axis.title === "bin" ? "bin" : "bin (low to high x)",
          axis: { labels: false, ticks: false },
        },
        y: { field: "ls", type: "ordinal", title: "lumisection", axis: { labelOverlap: true } },
        color: {
          field: "value",
          type: "quantitative",
          title: "content",
          scale: { scheme: "viridis", type: opts.logColor ? "symlog" : "linear" },
        },
        tooltip: [
          { field: "ls", type: "ordinal" },
          { field: "x", type: "quantitative", title: axis.title },
          { field: "value", type: "quantitative" },
        ],
      },
    },
    { width: 420, height: Math.min(600, Math.max(120, rows.lumisections.length * 2)) },
  );
}
