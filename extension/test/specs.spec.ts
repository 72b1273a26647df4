import type { HistogramSet } from "../src/api/histogram-table";
import {
  chartConfig,
  DEFAULT_PALETTE,
  heatmap2dSpec,
  curvesComparisonSpec,
  metricsComparisonSpec,
  overlaySpec,
  runHeatmapSpec,
  SELECTED_PARAM,
} from "../src/charts/specs";
import { LUMI_LABELS } from "../src/models/lumi-label";

const binning = { dim: 1 as const, xmin: 0, xmax: 4, xbins: 4, ymin: 0, ymax: 1, ybins: 1 };

function set(): HistogramSet {
  return {
    dataset: "d",
    me: "Pixel/charge",
    run: 7,
    binning,
    lumisections: Int32Array.from([1, 2]),
    entries: Float64Array.from([4, 0]),
    values: Float32Array.from([1, 1, 2, 0, 0, 0, 0, 0]),
    width: 4,
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("runHeatmapSpec", () => {
  const spec = runHeatmapSpec({
    set: set(),
    labels: [
      { ls: 1, label: "good" },
      { ls: 2, label: "withheld" },
    ],
    selected: 2,
  }) as Json;

  it("puts the label strip beside the heatmap on a shared lumisection axis", () => {
    expect(spec.hconcat).toHaveLength(2);
    expect(spec.resolve.scale.y).toBe("shared");
    const strip = spec.hconcat[0];
    expect(strip.data.values).toEqual([
      { ls: 1, label: "good" },
      { ls: 2, label: "withheld" },
    ]);
    expect(strip.layer[0].encoding.color.scale.domain).toEqual(LUMI_LABELS);
    expect(strip.layer[0].encoding.color.scale.range).toEqual(
      LUMI_LABELS.map((l) => DEFAULT_PALETTE.labels[l]),
    );
  });

  it("draws each lumisection's normalised histogram, leaving empty ones out", () => {
    const cells = spec.hconcat[1].layer[0].data.values;
    expect(cells).toEqual([
      { ls: 1, bin: 0, value: 0.25 },
      { ls: 1, bin: 1, value: 0.25 },
      { ls: 1, bin: 2, value: 0.5 },
    ]);
    expect(spec.hconcat[1].layer[0].encoding.x.scale.domain).toEqual([0, 4]);
  });

  it("outlines the selected lumisection through a parameter", () => {
    expect(spec.params).toEqual([{ name: SELECTED_PARAM, value: 2 }]);
    expect(spec.hconcat[1].layer[1].encoding.strokeOpacity.condition.test).toBe(
      `datum.ls === ${SELECTED_PARAM}`,
    );
    expect(spec.title.text).toBe("Pixel/charge · run 7");
  });

  it("uses flattened bin indices for 2D monitor elements", () => {
    const s2 = set();
    s2.binning = { dim: 2, xmin: 0, xmax: 2, xbins: 2, ymin: 0, ymax: 2, ybins: 2 };
    const spec2 = runHeatmapSpec({ set: s2, labels: [], selected: null }) as Json;
    expect(spec2.hconcat[1].layer[0].encoding.x.scale.domain).toEqual([0, 4]);
    expect(spec2.hconcat[1].layer[0].encoding.x.axis.title).toBe("bin (y · nx + x)");
  });
});

describe("overlaySpec", () => {
  it("draws each series as steps over the bin edges", () => {
    const spec = overlaySpec({
      binning,
      series: [
        { name: "LS 1", values: [0.25, 0.25, 0.5, 0] },
        { name: "run 9 mean", values: [0.25, 0.25, 0.25, 0.25] },
      ],
      title: "t",
    }) as Json;
    expect(spec.mark.interpolate).toBe("step-after");
    expect(spec.data.values).toHaveLength(10);
    expect(spec.data.values.slice(0, 5).map((v: Json) => [v.x, v.y])).toEqual([
      [0, 0.25],
      [1, 0.25],
      [2, 0.5],
      [3, 0],
      [4, 0],
    ]);
    expect(spec.encoding.color.scale.domain).toEqual(["LS 1", "run 9 mean"]);
  });
});

describe("heatmap2dSpec", () => {
  it("draws one 2D panel per histogram", () => {
    const b = { dim: 2 as const, xmin: 0, xmax: 2, xbins: 2, ymin: 0, ymax: 1, ybins: 1 };
    const spec = heatmap2dSpec({
      binning: b,
      panels: [
        { name: "LS 1", values: [1, 2] },
        { name: "mean", values: [3, 4] },
      ],
      title: "t",
    }) as Json;
    expect(spec.hconcat).toHaveLength(2);
    expect(spec.hconcat[1].title.text).toBe("mean");
    expect(spec.hconcat[1].data.values).toEqual([
      { x: 0, x2: 1, y: 0, y2: 1, value: 3 },
      { x: 1, x2: 2, y: 0, y2: 1, value: 4 },
    ]);
  });
});

describe("metricsComparisonSpec", () => {
  it("groups bars by metric, one colour per submission, leaving undefined metrics out", () => {
    const spec = metricsComparisonSpec({
      submissions: [
        {
          name: "a",
          metrics: [
            { metric: "ROC AUC", value: 0.9 },
            { metric: "recall@0.001", value: null },
          ],
        },
        { name: "b", metrics: [{ metric: "ROC AUC", value: 0.7 }] },
      ],
    }) as Json;
    expect(spec.data.values).toEqual([
      { submission: "a", metric: "ROC AUC", value: 0.9 },
      { submission: "b", metric: "ROC AUC", value: 0.7 },
    ]);
    expect(spec.encoding.x.sort).toEqual(["ROC AUC", "recall@0.001"]);
    expect(spec.encoding.xOffset.field).toBe("submission");
    expect(spec.encoding.y.scale.domain).toEqual([0, 1]);
  });
});

describe("curvesComparisonSpec", () => {
  const a = {
    roc: { fpr: [0, 0.01, 1], tpr: [0.2, 0.5, 1] },
    greyZone: { beta: 0.01, alpha: [0, 0.01, 1], savedEffort: [0.1, 0.3, 1] },
  };
  const b = {
    roc: { fpr: [0, 0.01, 1], tpr: [null, null, null] },
    greyZone: { beta: 0.01, alpha: [0, 0.01, 1], savedEffort: [0.4, null, 1] },
  };

  it("overlays ROC and grey-zone curves side by side, one colour per submission, leaving nulls out", () => {
    const spec = curvesComparisonSpec({
      submissions: [
        { name: "a", curves: a },
        { name: "b", curves: b },
      ],
      palette: { ...DEFAULT_PALETTE, series: ["#111", "#222"] },
    }) as Json;
    const [roc, zoneView] = spec.hconcat;
    const [rocCurves, zone] = [roc.layer[1], zoneView.layer[0]];
    expect(roc.layer[0].data.values).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 1, tpr: 1 },
    ]);
    expect(rocCurves.data.values).toEqual([
      { submission: "a", fpr: 0, tpr: 0.2 },
      { submission: "a", fpr: 0.01, tpr: 0.5 },
      { submission: "a", fpr: 1, tpr: 1 },
    ]);
    expect(zone.data.values).toEqual([
      { submission: "a", alpha: 0, saved: 0.1 },
      { submission: "a", alpha: 0.01, saved: 0.3 },
      { submission: "a", alpha: 1, saved: 1 },
      { submission: "b", alpha: 0, saved: 0.4 },
      { submission: "b", alpha: 1, saved: 1 },
    ]);
    for (const view of [rocCurves, zone]) {
      expect(view.mark).toMatchObject({ type: "line", interpolate: "step-after" });
      expect(view.encoding.color.scale).toEqual({ domain: ["a", "b"], range: ["#111", "#222"] });
      expect(view.encoding.y.scale.domain).toEqual([0, 1]);
      expect(view.encoding.x.scale).toEqual({ domain: [0, 1] });
      expect(view.encoding.x.axis).toEqual({});
    }
    expect(zoneView.title.text).toBe("Grey-zone saved effort at fixed alpha (beta = 0.01)");
    expect(spec.resolve.scale.color).toBe("shared");
  });

  it("uses symmetric-log x axes when asked, without the chance diagonal", () => {
    const spec = curvesComparisonSpec({ submissions: [{ name: "a", curves: a }], logX: true }) as Json;
    const [roc, zone] = spec.hconcat;
    expect(roc.layer).toHaveLength(1);
    for (const x of [roc.layer[0].encoding.x, zone.layer[0].encoding.x]) {
      expect(x.scale).toEqual({ type: "symlog", constant: 1e-3, domain: [0, 1], nice: false });
      expect(x.axis).toEqual({ values: [0, 0.001, 0.01, 0.1, 1], format: "~g" });
    }
  });
});

describe("chartConfig", () => {
  it("uses the palette's text and grid colours on a clear background", () => {
    const config = chartConfig({ ...DEFAULT_PALETTE, text: "#fff", grid: "#333" }) as Json;
    expect(config.background).toBe("transparent");
    expect(config.axis.labelColor).toBe("#fff");
    expect(config.axis.gridColor).toBe("#333");
  });
});
