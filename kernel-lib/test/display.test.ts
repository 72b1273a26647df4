import { inspect } from "node:util";
import { display, evaluate, plot, TaskList, type TaskInfo } from "../src/index";
import { metricsRows } from "../src/client/views";

afterEach(() => display.setSink(null));

const task: TaskInfo = {
  name: "t<1>",
  title: "A & B",
  description: "d",
  dataset: "ds",
  features: ["a", "b"],
  status: "open",
  labelling: "golden",
  preprocessing: { include_flow: false, min_entries: 0 },
  metrics: { alpha: 0.01, beta: 0.01, fpr_targets: [0.01], precision: 3, publish_counts: false },
  split: { strategy: "random", test_fraction: 0.5, public_fraction: 0.5, seed: null, public_seed: null },
  dailyLimit: 5,
  splits: { train: { size: 10, sha256: "a" }, test: { size: 12, sha256: "b" } },
  createdAt: "",
  closedAt: null,
};

describe("metricsRows", () => {
  const reduced = {
    rocAuc: 0.812,
    averagePrecision: 0.5,
    greyZone: { savedEffort: 0.25 },
    recallAtFpr: { "0.01": 0.1 },
    curves: null,
    precision: 3,
  };

  test("a participant's reduced metrics: no counts row unless the task publishes them", () => {
    expect(metricsRows(reduced)).toEqual([
      ["ROC AUC", 0.812],
      ["average precision", 0.5],
      ["recall at FPR 0.01", 0.1],
      ["grey-zone saved effort", 0.25],
    ]);
    expect(metricsRows({ ...reduced, n: 40, nBad: 6 }).at(-1)).toEqual(["lumisections (bad)", "40 (6)"]);
    expect(metricsRows(null)).toEqual([]);
  });
});

describe("display", () => {
  test("HTML tables escape, format numbers and highlight rows; text tables align", () => {
    const t = {
      columns: ["a", "b"],
      rows: [
        ["<x>", 0.123456],
        [null, NaN],
      ],
      highlight: new Set([1]),
      caption: "c",
    };
    const html = display.htmlTable(t);
    expect(html).toContain(
      '<td style="text-align:left">&lt;x&gt;</td><td style="text-align:right">0.1235</td>',
    );
    expect(html).toContain('<tr style="font-weight:bold"><td style="text-align:left">–</td>');
    expect(display.textTable(t)).toBe("c\na    b\n---  ------\n<x>  0.1235\n–    –");
    expect(display.formatCell(1e-7)).toBe("1.000e-7");
    expect(display.formatCell(true)).toBe("yes");
  });

  test("a rich sink gets the MIME bundle of a last-value object; inspect leaves no text", () => {
    const sink = display.recordingSink();
    display.setSink(sink);
    const list = new TaskList([task]);
    expect(inspect(list)).toBe("");
    expect(sink.outputs).toHaveLength(1);
    const b = sink.outputs[0].bundle;
    expect(Object.keys(b).sort()).toEqual(["text/html", "text/plain"]);
    expect(b["text/html"]).toContain(
      '<td style="text-align:left">t&lt;1&gt;</td><td style="text-align:left">A &amp; B</td>',
    );
    // nested inside another value it prints as text, without displaying
    expect(inspect({ list })).toContain("t<1>");
    expect(sink.outputs).toHaveLength(1);
    // Deno's protocol
    const denoHook = (list as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")];
    expect(denoHook.call(list)).toEqual(b);
  });

  test("a text sink prints text/plain", () => {
    const lines: string[] = [];
    display.setSink(display.textSink((t) => lines.push(t)));
    expect(inspect(new TaskList([task]))).toContain("1 task\ntask");
    const h = display.show({ "text/plain": "hello", "text/html": "<b>hello</b>" });
    h.update({ "text/plain": "again" });
    expect(lines).toEqual(["hello\n", "again\n"]);
  });

  test("charts go out as Vega-Lite v5 objects with a text fallback", () => {
    const sink = display.recordingSink();
    display.setSink(sink);
    plot.roc([0.9, 0.1, 0.5], [1, 0, 0]);
    const b = sink.outputs[0].bundle;
    expect(Object.keys(b).sort()).toEqual(["application/vnd.vegalite.v5+json", "text/plain"]);
    const spec = b["application/vnd.vegalite.v5+json"] as plot.VegaLiteSpec;
    expect(typeof spec).toBe("object");
    expect(spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v5.json");
    expect(b["text/plain"]).toBe("[Vega-Lite chart: ROC curve]");
    evaluate.report([0.9, 0.1, 0.5, 0.4], [1, 0, 0, 1], { name: "m" });
    expect(sink.outputs.slice(1).map((o) => Object.keys(o.bundle).find((k) => k !== "text/plain"))).toEqual([
      "text/html",
      "application/vnd.vegalite.v5+json",
      "application/vnd.vegalite.v5+json",
      "application/vnd.vegalite.v5+json",
      "application/vnd.vegalite.v5+json",
    ]);
  });

  test("progress: in place on an updatable sink (throttled), a handful of lines on text", () => {
    const sink = display.recordingSink();
    let now = 0;
    const p = new display.FitProgress(100, {
      sink,
      now: () => now,
      minIntervalMs: 250,
      chart: () => ({ "text/plain": "chart" }),
      chartIntervalMs: 1000,
    });
    for (let e = 1; e <= 100; e++) {
      now += 100;
      p.epoch({ epoch: e, loss: 1 / e, valLoss: null, seconds: now / 1000 });
    }
    p.done("(stopped)");
    expect(new Set(sink.outputs.map((o) => o.id))).toEqual(new Set([0, 1]));
    const status = sink.outputs.filter((o) => o.id === 0);
    expect(status.length).toBeGreaterThan(30);
    expect(status.length).toBeLessThan(40);
    expect(status[0].update).toBe(false);
    expect(status.slice(1).every((o) => o.update)).toBe(true);
    expect(status[status.length - 1].bundle["text/plain"]).toBe(
      "epoch 100/100: loss 0.01 (10.0 s) (stopped)",
    );
    expect(status[status.length - 1].bundle["text/html"]).toContain('<progress value="100" max="100"');
    expect(sink.outputs.filter((o) => o.id === 1).length).toBeLessThanOrEqual(12);

    const lines: string[] = [];
    const t = new display.FitProgress(100, { sink: display.textSink((s) => lines.push(s)), title: "ae" });
    for (let e = 1; e <= 100; e++) t.epoch({ epoch: e, loss: 1, valLoss: 2, seconds: 1 });
    t.done();
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe("ae: epoch 1/100: loss 1, val_loss 2 (1.0 s)\n");
    expect(lines[10]).toMatch(/^ae: epoch 100\/100/);
  });

  test("detectSink: text outside a kernel, Deno.jupyter.display when present", async () => {
    expect(display.detectSink().kind).toBe("text");
    const calls: Array<[unknown, unknown]> = [];
    const g = globalThis as { Deno?: unknown };
    g.Deno = { jupyter: { display: async (obj: unknown, opts: unknown) => void calls.push([obj, opts]) } };
    try {
      const s = display.detectSink();
      expect(s.kind).toBe("deno");
      const h = s.show({ "text/plain": "x", "text/html": "<i>x</i>" });
      h.update({ "text/plain": "y" });
      expect(calls[0][0]).toEqual({ "text/plain": "x", "text/html": "<i>x</i>" });
      const id = (calls[0][1] as { display_id: string }).display_id;
      expect(calls[0][1]).toEqual({ raw: true, display_id: id });
      expect(calls[1][1]).toEqual({ raw: true, display_id: id, update: true });
    } finally {
      delete g.Deno;
    }
  });
});
