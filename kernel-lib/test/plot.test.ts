import { evaluate, plot, type FeatureBlock, FeatureMatrix, display } from "../src/index";

type Row = Record<string, unknown>;
const values = (spec: plot.VegaLiteSpec) => (spec.data as { values: Row[] }).values;

describe("plot specs", () => {
  test("loss curve: train and validation series", () => {
    const s = plot.specs.lossCurve({ loss: [1, 0.5], valLoss: [2, 1] });
    expect(s.$schema).toBe(plot.VEGA_LITE_SCHEMA);
    expect(values(s)).toEqual([
      { epoch: 1, loss: 1, set: "train" },
      { epoch: 2, loss: 0.5, set: "train" },
      { epoch: 1, loss: 2, set: "validation" },
      { epoch: 2, loss: 1, set: "validation" },
    ]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  test("ROC and PR curves with AUC / AP in the legend; several models", () => {
    const scores = [0.9, 0.8, 0.8, 0.5, 0.5, 0.5, 0.1];
    const labels = [1, 1, 0, 1, 0, 0, 0];
    const roc = plot.specs.roc({
      a: evaluate.rocCurve(scores, labels),
      b: evaluate.rocCurve(
        scores.map((v) => -v),
        labels,
      ),
    });
    const v = values(roc);
    expect(v.filter((r) => r.model === "a (AUC 0.7917)")).toHaveLength(5);
    expect(new Set(v.map((r) => r.model)).size).toBe(2);
    const pr = plot.specs.precisionRecall(evaluate.precisionRecall(scores, labels));
    expect(values(pr)[0]).toEqual({ recall: 0, precision: 1, model: "model (AP 0.7222)" });
    expect((pr.mark as Row).interpolate).toBe("step-before");
  });

  test("grey-zone curve: steps extended to the right edge", () => {
    const c = evaluate.greyZoneCurve([0.9, 0.8, 0.8, 0.5, 0.5, 0.5, 0.1], [1, 1, 0, 1, 0, 0, 0]);
    const s = plot.specs.greyZone(c);
    expect(s.title).toBe("Grey-zone saved effort (beta = 0.01)");
    const v = values(s);
    expect(v.map((r) => r.saved)).toEqual([2 / 7, 5 / 7, 1, 1]);
    expect(v[3].alpha).toBeCloseTo(5 / 12, 12);
  });

  test("score distributions: one bar per non-empty bin and class", () => {
    const s = plot.specs.scoreDistributions(
      evaluate.scoreDistributions([0, 1, 2, 3], [0, 0, 1, 1], { bins: 2 }),
    );
    expect(values(s)).toEqual([
      { lo: 0, hi: 1.5, value: 1, class: "good (2)" },
      { lo: 1.5, hi: 3, value: 1, class: "bad (2)" },
    ]);
  });

  test("histogram overlay with bin centres; worst lumisections faceted; heatmap of a run", () => {
    const binning = { dim: 1 as const, xmin: 0, xmax: 4, xbins: 2, ymin: 0, ymax: 1, ybins: 1 };
    const o = plot.specs.histogramOverlay(
      [
        { name: "ls", values: [1, 2] },
        { name: "ref", values: [1.5, 1.5] },
      ],
      { binning },
    );
    expect(values(o)).toEqual([
      { x: 1, value: 1, series: "ls" },
      { x: 3, value: 2, series: "ls" },
      { x: 1, value: 1.5, series: "ref" },
      { x: 3, value: 1.5, series: "ref" },
    ]);
    const block: FeatureBlock = { me: "m", offset: 0, width: 2, binning, flow: false };
    const x = new FeatureMatrix(Float32Array.from([1, 0, 0, 1, 5, 5]), 3, 2, [block], {
      runs: Int32Array.from([7, 7, 8]),
      lumisections: Int32Array.from([2, 1, 1]),
      tableRows: null,
    });
    const worst = evaluate.worst([0.1, 0.3, 0.2], x, { n: 2, labels: [0, 1, 0] });
    expect(worst.map((w) => [w.rank, w.run, w.lumisection, w.label, Array.from(w.histogram)])).toEqual([
      [1, 7, 1, 1, [0, 1]],
      [2, 8, 1, 0, [5, 5]],
    ]);
    expect(Array.from(evaluate.reference(x, [0, 1]))).toEqual([0.5, 0.5]);
    const w = plot.specs.worstLumisections(worst, evaluate.reference(x), { binning });
    expect(values(w)).toHaveLength(8);
    expect(w.facet).toMatchObject({ field: "panel" });
    const sink = display.recordingSink();
    display.setSink(sink);
    try {
      plot.heatmap(x, 7);
      const spec = sink.outputs[0].bundle["application/vnd.vegalite.v5+json"] as plot.VegaLiteSpec;
      expect(values(spec).map((r) => [r.ls, r.bin, r.value])).toEqual([
        [1, 0, 0],
        [1, 1, 1],
        [2, 0, 1],
        [2, 1, 0],
      ]);
      expect(() => plot.heatmap(x, 9)).toThrow("run 9 is not in this matrix");
    } finally {
      display.setSink(null);
    }
  });

  test("plot.worst takes the monitor element's columns of a whole-row reference", () => {
    const binning = { dim: 1 as const, xmin: 0, xmax: 2, xbins: 2, ymin: 0, ymax: 1, ybins: 1 };
    const blocks: FeatureBlock[] = [
      { me: "a", offset: 0, width: 1, binning: { ...binning, xbins: 1 }, flow: false },
      { me: "b", offset: 1, width: 2, binning, flow: false },
    ];
    const x = new FeatureMatrix(Float32Array.from([9, 1, 2, 9, 3, 4]), 2, 3, blocks, {
      runs: Int32Array.from([1, 1]),
      lumisections: Int32Array.from([1, 2]),
      tableRows: null,
    });
    const list = evaluate.worst([0.5, 0.7], x, { me: "b", n: 1 });
    expect(list[0].block.me).toBe("b");
    const sink = display.recordingSink();
    display.setSink(sink);
    try {
      plot.worst(list, evaluate.reference(x));
      const spec = sink.outputs[0].bundle["application/vnd.vegalite.v5+json"] as plot.VegaLiteSpec;
      expect(values(spec).map((r) => [r.series, r.x, r.value])).toEqual([
        ["lumisection", 0.5, 3],
        ["reference", 0.5, 2], // mean of 1 and 3
        ["lumisection", 1.5, 4],
        ["reference", 1.5, 3],
      ]);
    } finally {
      display.setSink(null);
    }
  });

  test("thin keeps at most about max points, with both ends", () => {
    const xs = Array.from({ length: 10000 }, (_, i) => i / 9999);
    const kept = plot.specs.roc({
      fpr: Float64Array.from(xs),
      tpr: Float64Array.from(xs),
      thresholds: new Float64Array(10000),
      auc: 0.5,
    });
    const v = values(kept);
    expect(v.length).toBeLessThanOrEqual(2001);
    expect(v[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(v[v.length - 1]).toMatchObject({ fpr: 1, tpr: 1 });
  });
});
