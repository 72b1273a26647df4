/**
 * Vega-Lite specifications of the panels' charts (pure functions: data in, spec out). Colours come in a
 * palette taken from JupyterLab's theme (charts/theme.ts), so the charts follow light and dark themes.
 */
import type { HistogramSet } from "../api/histogram-table";
import type { Binning, CoarseCurves } from "../api/types";
import { LUMI_LABELS, type LumiLabel } from "../models/lumi-label";
import { cells2d, heatmapCells, xEdges } from "./geometry";

export type ChartSpec = Record<string, unknown>;

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

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

export interface CurvesComparisonInput {
  /** One entry per selected submission that has curves: its label and the service's coarse curves. */
  submissions: Array<{ name: string; curves: CoarseCurves }>;
  /** Symmetric-log x axes (linear near 0), to spread out the low false-positive rates and alphas. */
  logX?: boolean;
  palette?: Palette;
}

/** Symmetric log keeps the grid's 0 on the axis, unlike a log scale; linear below about 1e-3. */
function rateScale(logX: boolean): ChartSpec {
  return logX ? { type: "symlog", constant: 1e-3, domain: [0, 1], nice: false } : { domain: [0, 1] };
}

/** Decades as ticks on the symmetric-log axis (its default ticks are few and uneven). */
function rateAxis(logX: boolean): ChartSpec {
  return logX ? { values: [0, 0.001, 0.01, 0.1, 1], format: "~g" } : {};
}

/**
 * The selected submissions' ROC curves (recall at the service's fixed false-positive rates) and grey-zone
 * curves (saved effort at its fixed alphas, at the task's beta) overlaid, side by side, one colour per
 * submission (the same colours as the metrics comparison). Points mark the grid; between two points the
 * step is the value at the left one, a lower bound of the exact curve. Undefined values are left out.
 */
export function curvesComparisonSpec({
  submissions,
  logX = false,
  palette = DEFAULT_PALETTE,
}: CurvesComparisonInput): ChartSpec {
  const names = submissions.map((s) => s.name);
  const roc: Array<{ submission: string; fpr: number; tpr: number }> = [];
  const zone: Array<{ submission: string; alpha: number; saved: number }> = [];
  for (const s of submissions) {
    s.curves.roc.fpr.forEach((fpr, k) => {
      const tpr = s.curves.roc.tpr[k];
      if (typeof tpr === "number" && Number.isFinite(tpr)) roc.push({ submission: s.name, fpr, tpr });
    });
    s.curves.greyZone.alpha.forEach((alpha, k) => {
      const saved = s.curves.greyZone.savedEffort[k];
      if (typeof saved === "number" && Number.isFinite(saved))
        zone.push({ submission: s.name, alpha, saved });
    });
  }
  const betas = [...new Set(submissions.map((s) => s.curves.greyZone.beta))];
  const color = {
    field: "submission",
    type: "nominal",
    sort: names,
    scale: { domain: names, range: names.map((_, i) => palette.series[i % palette.series.length]) },
    // Below: a legend on top would push down the first view's title only.
    legend: { title: null, orient: "bottom", direction: "vertical", labelLimit: 320 },
  };
  const line = { type: "line", interpolate: "step-after", strokeWidth: 1.5, point: { size: 24 } };
  const rocLayers: ChartSpec[] = [
    {
      data: { values: roc },
      mark: line,
      encoding: {
        x: {
          field: "fpr",
          type: "quantitative",
          scale: rateScale(logX),
          axis: rateAxis(logX),
          title: "false-positive rate (good flagged)",
        },
        y: {
          field: "tpr",
          type: "quantitative",
          scale: { domain: [0, 1] },
          // Short axis titles: one longer than the view's height would push its title up.
          title: "recall (bad flagged)",
        },
        color,
        tooltip: [
          { field: "submission", title: "submission" },
          { field: "fpr", title: "FPR", format: ".3g" },
          { field: "tpr", title: "recall", format: ".4f" },
        ],
      },
    },
  ];
  // The chance diagonal is a straight line only on linear axes.
  if (!logX)
    rocLayers.unshift({
      data: {
        values: [
          { fpr: 0, tpr: 0 },
          { fpr: 1, tpr: 1 },
        ],
      },
      mark: { type: "line", strokeDash: [4, 4], color: palette.grid, strokeWidth: 1 },
      encoding: { x: { field: "fpr", type: "quantitative" }, y: { field: "tpr", type: "quantitative" } },
    });
  const zoneLayer: ChartSpec = {
    data: { values: zone },
    mark: line,
    encoding: {
      x: {
        field: "alpha",
        type: "quantitative",
        scale: rateScale(logX),
        axis: rateAxis(logX),
        title: "alpha: allowed bad fraction among auto-GOOD",
      },
      y: {
        field: "saved",
        type: "quantitative",
        scale: { domain: [0, 1] },
        title: "saved effort (auto-decided)",
      },
      color,
      tooltip: [
        { field: "submission", title: "submission" },
        { field: "alpha", title: "alpha", format: ".3g" },
        { field: "saved", title: "saved effort", format: ".4f" },
      ],
    },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: chartConfig(palette),
    spacing: 24,
    hconcat: [
      {
        title: {
          text: "ROC: recall at fixed false-positive rates",
          fontSize: 11,
          anchor: "start",
          frame: "group",
        },
        width: 260,
        height: 220,
        layer: rocLayers,
      },
      {
        title: {
          text: `Grey-zone saved effort at fixed alpha (beta = ${betas.length === 1 ? betas[0] : "the task's"})`,
          fontSize: 11,
          anchor: "start",
          frame: "group",
        },
        width: 260,
        height: 220,
        // A one-layer view, so that both titles sit at the same height as the ROC view's layers.
        layer: [zoneLayer],
      },
    ],
    resolve: { scale: { color: "shared" } },
  };
}
