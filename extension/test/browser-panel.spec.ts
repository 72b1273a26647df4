import { Widget } from "@lumino/widgets";
import { DatasetBrowserModel } from "../src/models/browser-model";
import type { RunViewRef } from "../src/models/run-model";
import { DatasetBrowserPanel } from "../src/widgets/browser-panel";
import { FakeService, ME_1D, until } from "./fake-service";

function q<T extends Element = HTMLElement>(root: Element, testId: string): T {
  const el = root.querySelector(`[data-testid="${testId}"]`);
  if (!el) throw new Error(`no element with data-testid ${testId}`);
  return el as T;
}

async function panel(fake = new FakeService()) {
  const opened: RunViewRef[] = [];
  const tasks: string[] = [];
  const model = new DatasetBrowserModel(fake.client());
  const widget = new DatasetBrowserPanel({
    model,
    openRun: (r) => opened.push(r),
    openTask: (t) => tasks.push(t),
  });
  Widget.attach(widget, document.body);
  await until(() => model.status.state !== "loading" && model.status.state !== "idle");
  return { widget, model, opened, tasks, fake };
}

function runKeys(root: Element): string[] {
  return Array.from(q(root, "dqm-run-table").querySelectorAll(".dqm-table-row")).map(
    (r) => (r as HTMLElement).dataset.key!,
  );
}

describe("DatasetBrowserPanel", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("loads on attach and shows the data set, its monitor elements, runs and tasks", async () => {
    const { widget } = await panel();
    const node = widget.node;
    const select = q<HTMLSelectElement>(node, "dqm-dataset-select");
    expect(Array.from(select.options).map((o) => o.text)).toEqual(["demo (2018)"]);
    expect(q(node, "dqm-dataset-info").textContent).toContain("3 runs");
    expect(runKeys(node)).toEqual(["100", "101", "102"]);
    expect(q(node, "dqm-run-count").textContent).toBe("(3)");
    const withheld = q(node, "dqm-run-table").querySelector(
      '[data-key="101"] [data-column="goldenFraction"]',
    )!;
    expect(withheld.textContent).toBe("withheld");
    expect(q(node, "dqm-me-table").querySelector(".dqm-mod-selected")!.getAttribute("data-key")).toBe(
      ME_1D.name,
    );
    expect(q(node, "dqm-task-list").textContent).toContain("Pixel charge task");
    expect(q(node, "dqm-status").classList.contains("lm-mod-hidden")).toBe(true);
    widget.dispose();
  });

  it("filters runs as the user types and sorts by a clicked column", async () => {
    const { widget } = await panel();
    const search = q<HTMLInputElement>(widget.node, "dqm-run-search");
    search.value = "102";
    search.dispatchEvent(new Event("input"));
    expect(runKeys(widget.node)).toEqual(["102"]);
    expect(q(widget.node, "dqm-run-count").textContent).toBe("(1 of 3)");
    search.value = "";
    search.dispatchEvent(new Event("input"));
    (q(widget.node, "dqm-run-table").querySelector('[data-key="run"] button') as HTMLButtonElement).click();
    expect(runKeys(widget.node)).toEqual(["102", "101", "100"]);
    widget.dispose();
  });

  it("opens the run view of an activated run on the chosen monitor element", async () => {
    const { widget, opened, model } = await panel();
    const meRow = q(widget.node, "dqm-me-table").querySelector(
      '[data-key="Pixel/occupancy"] .dqm-table-cell',
    ) as HTMLElement;
    meRow.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(model.monitorElement).toBe("Pixel/occupancy");
    const table = q(widget.node, "dqm-run-table");
    table.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    table.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(opened).toEqual([{ dataset: "demo", run: 100, me: "Pixel/occupancy" }]);
    table.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    q<HTMLButtonElement>(widget.node, "dqm-open-run").click();
    expect(opened[1]).toEqual({ dataset: "demo", run: 101, me: "Pixel/occupancy" });
    widget.dispose();
  });

  it("opens a task's leaderboard", async () => {
    const { widget, tasks } = await panel();
    q<HTMLButtonElement>(widget.node, "dqm-task-pixel-task").click();
    expect(tasks).toEqual(["pixel-task"]);
    widget.dispose();
  });

  it("shows a failure with the reason and recovers with Retry", async () => {
    const fake = new FakeService();
    fake.failNext("datasets", 404, "<html>404 : Not Found</html>");
    const { widget, model } = await panel(fake);
    const error = q(widget.node, "dqm-error");
    expect(error.textContent).toMatch(
      /^Could not load the data sets\. No DQM Playground service at .* \(404\)\. Is the Python package/,
    );
    q<HTMLButtonElement>(widget.node, "dqm-retry").click();
    await until(() => model.status.state === "ready");
    expect(runKeys(widget.node)).toEqual(["100", "101", "102"]);
    expect(widget.node.querySelector('[data-testid="dqm-error"]')).toBeNull();
    widget.dispose();
  });
});
