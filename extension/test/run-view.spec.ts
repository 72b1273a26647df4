import { Widget } from "@lumino/widgets";
import { RunViewModel } from "../src/models/run-model";
import { SELECTED_PARAM } from "../src/charts/specs";
import { RunView } from "../src/widgets/run-view";
import embed from "./mocks/vega-embed";
import { designate, FakeService, ME_2D, RUNS, until } from "./fake-service";

function q<T extends Element = HTMLElement>(root: Element, testId: string): T {
  const el = root.querySelector(`[data-testid="${testId}"]`);
  if (!el) throw new Error(`no element with data-testid ${testId}`);
  return el as T;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function view(
  ref: { dataset: string; run: number; me?: string } = { dataset: "demo", run: 100 },
  fake = new FakeService(),
) {
  embed.calls.length = 0;
  const model = new RunViewModel(fake.client(), ref);
  const cells: string[] = [];
  const widget = new RunView({ model, openInNotebook: (s) => cells.push(s) });
  Widget.attach(widget, document.body);
  await until(() => model.status.state === "ready" && embed.calls.length >= 2);
  return { widget, model, cells, fake };
}

function chartSpecs(testId: string): Json[] {
  return embed.calls.filter((c) => c.element.closest(`[data-testid="${testId}"]`)).map((c) => c.spec as Json);
}

describe("RunView", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("shows the run's lumisections with labels, the heatmap and the overlay with the reference", async () => {
    const { widget } = await view();
    expect(widget.title.label).toBe("Run 100");
    expect(q(widget.node, "dqm-run-summary").textContent).toBe(
      "demo · run 100 · 5 lumisections (4 good, 1 bad)",
    );
    const labels = Array.from(
      q(widget.node, "dqm-lumisection-table").querySelectorAll('[data-column="label"]'),
    ).map((c) => c.textContent);
    expect(labels).toEqual(["good", "good", "bad", "good", "good"]);
    const heatmap = chartSpecs("dqm-heatmap")[0];
    expect(heatmap.hconcat[0].data.values).toHaveLength(5);
    expect(heatmap.params[0]).toEqual({ name: SELECTED_PARAM, value: 1 });
    const overlay = chartSpecs("dqm-overlay")[0];
    expect(overlay.encoding.color.scale.domain).toEqual(["LS 1", "run 102 mean"]);
    expect(q(widget.node, "dqm-overlay-note").textContent).toBe(
      "Reference (no designated reference run: the best-certified other run): mean of 4 good lumisections of run 102, each normalised to unit area.",
    );
    expect(q<HTMLSelectElement>(widget.node, "dqm-reference-select").value).toBe("102");
    widget.dispose();
  });

  it("overlays the designated reference run by default, marks it among the choices, and takes another", async () => {
    const fake = new FakeService();
    // Run 100 is designated: it is the reference for 102 (the nearest designated run before it).
    fake.runs = designate(RUNS, [100]);
    const { widget, model } = await view({ dataset: "demo", run: 102 }, fake);
    expect(model.referenceRun).toBe(100);
    expect(chartSpecs("dqm-overlay")[0].encoding.color.scale.domain).toEqual(["LS 1", "run 100 mean"]);
    expect(q(widget.node, "dqm-overlay-note").textContent).toBe(
      "Reference (the designated reference run for this run): mean of 4 good lumisections of run 100, each normalised to unit area.",
    );
    const select = q<HTMLSelectElement>(widget.node, "dqm-reference-select");
    expect(select.value).toBe("100");
    expect(Array.from(select.options).map((o) => o.text)).toEqual([
      "none",
      "100 (golden 80 %, designated reference for this run)",
      "101 (labels withheld)",
    ]);
    select.value = "101";
    select.dispatchEvent(new Event("change"));
    await until(() => model.reference?.run === 101 && model.status.state === "ready");
    expect(model.referenceOrigin).toBe("chosen");
    expect(q(widget.node, "dqm-overlay-note").textContent).toBe(
      "Reference: mean of 3 lumisections of run 101, each normalised to unit area.",
    );
    widget.dispose();
  });

  it("sorts the lumisection table when a column header is clicked, keeping the selection", async () => {
    const { widget, model } = await view();
    const column = (key: string) =>
      Array.from(q(widget.node, "dqm-lumisection-table").querySelectorAll(`[data-column="${key}"]`)).map(
        (c) => c.textContent,
      );
    const header = (key: string) =>
      q(widget.node, "dqm-lumisection-table").querySelector<HTMLButtonElement>(`[data-key="${key}"] button`)!;
    header("label").click();
    expect(column("label")).toEqual(["bad", "good", "good", "good", "good"]);
    expect(
      q(widget.node, "dqm-lumisection-table").querySelector('[data-key="label"]')!.getAttribute("aria-sort"),
    ).toBe("ascending");
    header("ls").click();
    header("ls").click();
    expect(column("ls")).toEqual(["5", "4", "3", "2", "1"]);
    expect(model.selectedLumisection).toBe(1);
    widget.dispose();
  });

  it("selects lumisections with the keyboard and by clicking the heatmap, without redrawing the heatmap", async () => {
    const { widget, model } = await view();
    const heatmapCalls = () => chartSpecs("dqm-heatmap").length;
    const before = heatmapCalls();
    const table = q(widget.node, "dqm-lumisection-table");
    // LS 1 is selected (and active) first: one step down is LS 2.
    table.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    expect(model.selectedLumisection).toBe(2);
    await until(() => chartSpecs("dqm-overlay").some((s) => s.encoding.color.scale.domain[0] === "LS 2"));
    const heatmapView = embed.calls.find((c) => c.element.closest('[data-testid="dqm-heatmap"]'))!.view;
    expect(heatmapView.signals[SELECTED_PARAM]).toBe(2);
    heatmapView.click({ ls: 4, bin: 0, value: 0.5 });
    expect(model.selectedLumisection).toBe(4);
    expect(table.querySelector(".dqm-mod-selected")!.getAttribute("data-key")).toBe("4");
    expect(heatmapCalls()).toBe(before);
    widget.dispose();
  });

  it("draws 2D monitor elements as 2D heatmaps of the lumisection and the reference", async () => {
    const { widget } = await view({ dataset: "demo", run: 100, me: ME_2D.name });
    const detail = chartSpecs("dqm-overlay")[0];
    expect(detail.hconcat.map((p: Json) => p.title.text)).toEqual(["LS 1", "run 102 mean"]);
    expect(q<HTMLSelectElement>(widget.node, "dqm-run-me-select").value).toBe(ME_2D.name);
    widget.dispose();
  });

  it("switches the monitor element and the reference run from the controls", async () => {
    const { widget, model } = await view();
    const me = q<HTMLSelectElement>(widget.node, "dqm-run-me-select");
    me.value = ME_2D.name;
    me.dispatchEvent(new Event("change"));
    await until(() => model.histograms?.width === 6 && model.status.state === "ready");
    const ref = q<HTMLSelectElement>(widget.node, "dqm-reference-select");
    expect(Array.from(ref.options).map((o) => o.text)).toEqual([
      "none",
      "101 (labels withheld)",
      "102 (golden 100 %)",
    ]);
    ref.value = "";
    ref.dispatchEvent(new Event("change"));
    await until(() => model.referenceRun === null);
    expect(q(widget.node, "dqm-overlay-note").textContent).toBe("No reference run chosen.");
    widget.dispose();
  });

  it("hands the notebook cell of what it shows to 'Open in notebook'", async () => {
    const { widget, cells } = await view();
    q<HTMLButtonElement>(widget.node, "dqm-open-in-notebook").click();
    expect(cells).toHaveLength(1);
    expect(cells[0]).toContain(`const me = "Pixel/charge";`);
    expect(cells[0]).toContain(`await pg.histograms(dataset, me, { run: 100 });`);
    widget.dispose();
  });

  it("shows a failure with a retry instead of a blank view", async () => {
    embed.calls.length = 0;
    const fake = new FakeService();
    fake.failNext("datasets/demo/histograms", 500, { message: "block file missing" });
    const model = new RunViewModel(fake.client(), { dataset: "demo", run: 100 });
    const widget = new RunView({ model, openInNotebook: () => undefined });
    Widget.attach(widget, document.body);
    await until(() => model.status.state === "error");
    expect(q(widget.node, "dqm-error").textContent).toBe(
      "Could not load run 100 of 'demo'. The service failed (500): block file missing",
    );
    q<HTMLButtonElement>(widget.node, "dqm-retry").click();
    await until(() => model.status.state === "ready");
    widget.dispose();
  });
});
