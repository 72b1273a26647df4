/**
 * Vega-Lite specifications of the panels' charts (pure functions: data in, spec out). Colours come in a
 * palette taken from JupyterLab's theme (charts/theme.ts), so the charts follow light and dark themes.
 */
import type { HistogramSet } from "../api/client";
import type { Binning } from "../api/types";
import { cells2d, heatmapCells, xEdges } from "../models/histograms";

export type ChartSpec = Record<string, unknown>;

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** Label of a lumisection as the run view shows it. */
export type LumiLabel = "good" | "bad" | "dcs-off" | "withheld" | "unknown";
export const LUMI_LABELS: readonly LumiLabel[] = ["good", "bad", "dcs-off", "withheld", "unknown"];

export interface Palette {
  text: string;
  grid: string;
  background: string;
  font: string;
  labels: Record<LumiLabel, string>;
  /** Colour scheme name of heatmaps. */
  scheme: string;
  /** Colours of overlaid series (selected lumisection first, then the reference). */
  series: string[];
  highlight: string;
}

export const DEFAULT_PALETTE: Palette = {
  text: "#212121",
  grid: "#e0e0e0",
  background: "transparent",
  font: "system-ui, sans-serif",
  labels: { good: "#388e3c", bad: "#d32f2f", "dcs-off": "#9e9e9e", withheld: "#7b1fa2", unknown: "#e0e0e0" },
  scheme: "viridis",
  series: ["#1976d2", "#f57c00", "#388e3c", "#d32f2f", "#7b1fa2", "#00838f", "#5d4037", "#c2185b"],
  highlight: "#f57c00",
};

/** The Vega-Lite `config` that makes a chart use the theme's text colour and font on a clear background. */
export function chartConfig(p: Palette): ChartSpec {
  const axis = {
    labelColor: p.text,
    titleColor: p.text,
    gridColor: p.grid,
    domainColor: p.grid,
    tickColor: p.grid,
  };
  return {
    background: p.background,
    font: p.font,
    axis,
    legend: { labelColor: p.text, titleColor: p.text },
    title: { color: p.text, subtitleColor: p.text },
    view: { stroke: p.grid },
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** The heatmap's parameter holding the selected lumisection (null: none). */
export const SELECTED_PARAM = "selected_ls";

export interface RunHeatmapInput {
  set: HistogramSet;
  /** Label of each lumisection of the run. */
  labels: Array<{ ls: number; label: LumiLabel }>;
  selected: number | null;
  palette?: Palette;
}

/**
 * Lumisections (rows) by bins (columns) of one run, each row normalised to unit sum, with a strip of
 * certification labels beside it and the selected lumisection outlined. Clicking a cell or a label
 * gives its `ls`.
 */
export function runHeatmapSpec({
  set,
  labels,
  selected,
  palette = DEFAULT_PALETTE,
}: RunHeatmapInput): ChartSpec {
  const b = set.binning;
  const dim2 = b.dim === 2;
  const lsMin = labels.length ? Math.min(...labels.map((l) => l.ls)) : 0;
  const lsMax = labels.length ? Math.max(...labels.map((l) => l.ls)) : 1;
  const height = clamp(labels.length * 3, 240, 720);
  const step = dim2 ? 1 : (b.xmax - b.xmin) / b.xbins;
  const x0 = dim2 ? 0 : b.xmin;
  const yScale = { domain: [lsMax + 0.5, lsMin - 0.5], nice: false, zero: false };
  const yEncoding = {
    y: { field: "y0", type: "quantitative", scale: yScale, axis: null },
    y2: { field: "y1" },
  };
  const lsCalc = [
    { calculate: "datum.ls - 0.5", as: "y0" },
    { calculate: "datum.ls + 0.5", as: "y1" },
  ];
  // The outline of the selected lumisection follows the `selected_ls` parameter, so that selecting
  // another lumisection updates one signal instead of drawing the whole heatmap again.
  const selectedLayer = [
    {
      data: { values: labels },
      transform: lsCalc,
      mark: { type: "rect", filled: false, stroke: palette.highlight, strokeWidth: 2 },
      encoding: {
        ...yEncoding,
        x: { value: 0 },
        x2: { value: "width" },
        strokeOpacity: { condition: { test: `datum.ls === ${SELECTED_PARAM}`, value: 1 }, value: 0 },
      },
    },
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: chartConfig(palette),
    title: { text: `${set.me} · run ${set.run}`, fontSize: 12, anchor: "start" },
    params: [{ name: SELECTED_PARAM, value: selected }],
    spacing: 4,
    hconcat: [
      {
        width: 16,
        height,
        data: { values: labels },
        transform: lsCalc,
        layer: [
          {
            mark: { type: "rect", cursor: "pointer" },
            encoding: {
              ...yEncoding,
              y: {
                ...yEncoding.y,
                axis: { title: "lumisection", tickMinStep: 1, format: "d", grid: false },
              },
              color: {
                field: "label",
                type: "nominal",
                scale: { domain: LUMI_LABELS, range: LUMI_LABELS.map((l) => palette.labels[l]) },
                // Left of the axis: a legend below the narrow strip would push the heatmap away from it.
                legend: { title: "label", orient: "left", direction: "vertical" },
              },
              tooltip: [
                { field: "ls", title: "lumisection" },
                { field: "label", title: "label" },
              ],
            },
          },
          ...selectedLayer,
        ],
      },
      {
        width: 480,
        height,
        layer: [
          {
            data: { values: heatmapCells(set) },
            transform: [
              ...lsCalc,
              { calculate: `${x0} + datum.bin * ${step}`, as: "x0" },
              { calculate: `${x0} + (datum.bin + 1) * ${step}`, as: "x1" },
            ],
            mark: { type: "rect", cursor: "pointer" },
            encoding: {
              ...yEncoding,
              x: {
                field: "x0",
                type: "quantitative",
                scale: { domain: dim2 ? [0, b.xbins * b.ybins] : [b.xmin, b.xmax], nice: false, zero: false },
                axis: { title: dim2 ? "bin (y · nx + x)" : "x", grid: false },
              },
              x2: { field: "x1" },
              color: {
                field: "value",
                type: "quantitative",
                scale: { type: "sqrt", scheme: palette.scheme },
                legend: { title: "fraction", orient: "bottom", gradientLength: 160 },
              },
              tooltip: [
                { field: "ls", title: "lumisection" },
                { field: "bin", title: "bin" },
                { field: "value", title: "fraction", format: ".4f" },
              ],
            },
          },
          ...selectedLayer,
        ],
      },
    ],
    resolve: { scale: { color: "independent", y: "shared" } },
  };
}

export interface OverlayInput {
  binning: Binning;
  series: Array<{ name: string; values: ArrayLike<number> }>;
  title: string;
  palette?: Palette;
}

/** Normalised 1D histograms drawn as steps over the bin edges, one colour per series. */
export function overlaySpec({ binning, series, title, palette = DEFAULT_PALETTE }: OverlayInput): ChartSpec {
  const edges = xEdges(binning);
  const values: Array<{ x: number; y: number; series: string }> = [];
  for (const s of series) {
    for (let i = 0; i < binning.xbins; i++)
      values.push({ x: edges[i], y: Number(s.values[i]), series: s.name });
    values.push({ x: edges[binning.xbins], y: Number(s.values[binning.xbins - 1] ?? 0), series: s.name });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: chartConfig(palette),
    title: { text: title, fontSize: 12, anchor: "start" },
    width: 520,
    height: 220,
    data: { values },
    mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        scale: { domain: [binning.xmin, binning.xmax], nice: false, zero: false },
      },
      y: { field: "y", type: "quantitative", title: "fraction of entries" },
      color: {
        field: "series",
        type: "nominal",
        sort: series.map((s) => s.name),
        scale: { domain: series.map((s) => s.name), range: palette.series.slice(0, series.length) },
        legend: { title: null, orient: "top" },
      },
      tooltip: [
        { field: "series", title: "histogram" },
        { field: "x", title: "bin low edge", format: ".4g" },
        { field: "y", title: "fraction", format: ".4f" },
      ],
    },
  };
}

export interface Heatmap2DInput {
  binning: Binning;
  panels: Array<{ name: string; values: ArrayLike<number> }>;
  title: string;
  palette?: Palette;
}

/** 2D histograms side by side (the selected lumisection and the reference mean), each normalised. */
export function heatmap2dSpec({
  binning,
  panels,
  title,
  palette = DEFAULT_PALETTE,
}: Heatmap2DInput): ChartSpec {
  const size = clamp(14 * Math.max(binning.xbins, binning.ybins), 180, 320);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: chartConfig(palette),
    title: { text: title, fontSize: 12, anchor: "start" },
    hconcat: panels.map((p) => ({
      title: { text: p.name, fontSize: 11 },
      width: size,
      height: size,
      data: { values: cells2d(binning, p.values) },
      mark: "rect",
      encoding: {
        x: {
          field: "x",
          type: "quantitative",
          scale: { domain: [binning.xmin, binning.xmax], nice: false, zero: false },
          axis: { title: "x" },
        },
        x2: { field: "x2" },
        y: {
          field: "y",
          type: "quantitative",
          scale: { domain: [binning.ymin, binning.ymax], nice: false, zero: false },
          axis: { title: "y" },
        },
        y2: { field: "y2" },
        color: {
          field: "value",
          type: "quantitative",
          scale: { scheme: palette.scheme },
          legend: { title: "fraction", orient: "bottom", gradientLength: 120 },
        },
        tooltip: [
          { field: "x", title: "x low edge", format: ".4g" },
          { field: "y", title: "y low edge", format: ".4g" },
          { field: "value", title: "fraction", format: ".4f" },
        ],
      },
    })),
    resolve: { scale: { color: "independent" } },
  };
}

export interface MetricsComparisonInput {
  /** One entry per selected submission: its label and metric values (null: undefined metric). */
  submissions: Array<{ name: string; metrics: Array<{ metric: string; value: number | null }> }>;
  palette?: Palette;
}

/** Grouped bars: each metric, one bar per selected submission (all metrics are in [0, 1]). */
export function metricsComparisonSpec({
  submissions,
  palette = DEFAULT_PALETTE,
}: MetricsComparisonInput): ChartSpec {
  const values = submissions.flatMap((s) =>
    s.metrics
      .filter((m) => m.value !== null)
      .map((m) => ({ submission: s.name, metric: m.metric, value: m.value })),
  );
  const metrics = [...new Set(submissions.flatMap((s) => s.metrics.map((m) => m.metric)))];
  const names = submissions.map((s) => s.name);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: chartConfig(palette),
    width: { step: Math.max(12, Math.min(40, 160 / Math.max(1, names.length))) * names.length },
    height: 220,
    data: { values },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "metric", type: "nominal", sort: metrics, title: null, axis: { labelAngle: 0 } },
      xOffset: { field: "submission", type: "nominal", sort: names },
      y: { field: "value", type: "quantitative", scale: { domain: [0, 1] }, title: "value" },
      color: {
        field: "submission",
        type: "nominal",
        sort: names,
        scale: { domain: names, range: names.map((_, i) => palette.series[i % palette.series.length]) },
        legend: { title: null, orient: "top", labelLimit: 320 },
      },
      tooltip: [
        { field: "submission", title: "submission" },
        { field: "metric", title: "metric" },
        { field: "value", title: "value", format: ".4f" },
      ],
    },
  };
}
