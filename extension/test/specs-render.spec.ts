/**
 * The charts' specs compiled by the real Vega-Lite and rendered by the real Vega (to SVG, headless):
 * catches specs that vega-embed would refuse in the browser.
 */
import { compile, type TopLevelSpec } from "vega-lite";
import { parse, View } from "vega";
import type { HistogramSet } from "../src/api/histogram-table";
import {
  curvesComparisonSpec,
  heatmap2dSpec,
  metricsComparisonSpec,
  overlaySpec,
  runHeatmapSpec,
  SELECTED_PARAM,
  type ChartSpec,
} from "../src/charts/specs";

async function render(
  spec: ChartSpec,
  signals: Record<string, unknown> = {},
): Promise<{ svg: string; view: View }> {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => warnings.push(`error: ${a.join(" ")}`),
    warn: (...a: unknown[]) => warnings.push(`warn: ${a.join(" ")}`),
    info: () => logger,
    debug: () => logger,
  };
  const compiled = compile(spec as unknown as TopLevelSpec, { logger: logger as never }).spec;
  const view = new View(parse(compiled), { renderer: "none" });
  for (const [name, value] of Object.entries(signals)) view.signal(name, value);
  await view.runAsync();
  const svg = await view.toSVG();
  expect(warnings).toEqual([]);
  return { svg, view };
}

const set1d: HistogramSet = {
  dataset: "d",
  me: "Pixel/charge",
  run: 7,
  binning: { dim: 1, xmin: 0, xmax: 4, xbins: 4, ymin: 0, ymax: 1, ybins: 1 },
  lumisections: Int32Array.from([1, 2, 3]),
  entries: Float64Array.from([4, 4, 0]),
  values: Float32Array.from([1, 1, 2, 0, 0, 2, 2, 0, 0, 0, 0, 0]),
  width: 4,
};

const labels = [
  { ls: 1, label: "good" as const },
  { ls: 2, label: "bad" as const },
  { ls: 3, label: "withheld" as const },
];

describe("chart specs in Vega", () => {
  it("renders the run heatmap and moves the outline with the parameter", async () => {
    const { svg, view } = await render(runHeatmapSpec({ set: set1d, labels, selected: 1 }));
    expect(svg).toContain("<svg");
    expect(svg).toContain("lumisection");
    expect(view.signal(SELECTED_PARAM)).toBe(1);
    await view.signal(SELECTED_PARAM, 2).runAsync();
    expect(view.signal(SELECTED_PARAM)).toBe(2);
  });

  it("renders the heatmap of a 2D monitor element with nothing selected", async () => {
    const set2d = {
      ...set1d,
      binning: { dim: 2 as const, xmin: 0, xmax: 2, xbins: 2, ymin: 0, ymax: 2, ybins: 2 },
    };
    const { svg } = await render(runHeatmapSpec({ set: set2d, labels, selected: null }));
    expect(svg).toContain("bin (y · nx + x)");
  });

  it("renders the overlay, the 2D panels and the metrics comparison", async () => {
    const overlay = await render(
      overlaySpec({
        binning: set1d.binning,
        series: [
          { name: "LS 1", values: [0.25, 0.25, 0.5, 0] },
          { name: "run 9 mean", values: [0.25, 0.25, 0.25, 0.25] },
        ],
        title: "overlay",
      }),
    );
    expect(overlay.svg).toContain("run 9 mean");
    const panels = await render(
      heatmap2dSpec({
        binning: { dim: 2, xmin: 0, xmax: 2, xbins: 2, ymin: 0, ymax: 1, ybins: 1 },
        panels: [
          { name: "LS 1", values: [1, 2] },
          { name: "mean", values: [3, 4] },
        ],
        title: "2d",
      }),
    );
    expect(panels.svg).toContain("mean");
    const bars = await render(
      metricsComparisonSpec({
        submissions: [
          {
            name: "a",
            metrics: [
              { metric: "ROC AUC", value: 0.9 },
              { metric: "AP", value: null },
            ],
          },
          {
            name: "b",
            metrics: [
              { metric: "ROC AUC", value: 0.7 },
              { metric: "AP", value: 0.2 },
            ],
          },
        ],
      }),
    );
    expect(bars.svg).toContain("ROC AUC");
  });

  it.each([false, true])("renders the curves comparison (log x: %s)", async (logX) => {
    const curves = (shift: number) => ({
      roc: { fpr: [0, 0.001, 0.01, 0.1, 1], tpr: [0.1 + shift, 0.2 + shift, null, 0.6 + shift, 1] },
      greyZone: {
        beta: 0.01,
        alpha: [0, 0.001, 0.01, 0.1, 1],
        savedEffort: [0.2, 0.25 + shift, 0.3, null, 1],
      },
    });
    const { svg } = await render(
      curvesComparisonSpec({
        submissions: [
          { name: "#1 chi-square", curves: curves(0) },
          { name: "#2 autoencoder", curves: curves(0.1) },
        ],
        logX,
      }),
    );
    expect(svg).toContain("#2 autoencoder");
    expect(svg).toContain("false-positive rate");
    expect(svg).toContain("saved effort");
  });
});
