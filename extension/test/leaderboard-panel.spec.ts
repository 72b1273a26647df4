import { Widget } from "@lumino/widgets";
import { LeaderboardModel } from "../src/models/leaderboard-model";
import { COARSE_CURVES_NOTE, curvesNote, LeaderboardPanel } from "../src/widgets/leaderboard-panel";
import embed from "./mocks/vega-embed";
import { boardRow, curves, FakeService, TASK, until } from "./fake-service";

function q<T extends Element = HTMLElement>(root: Element, testId: string): T {
  const el = root.querySelector(`[data-testid="${testId}"]`);
  if (!el) throw new Error(`no element with data-testid ${testId}`);
  return el as T;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function panel(fake = new FakeService()) {
  embed.calls.length = 0;
  const model = new LeaderboardModel(fake.client(), { task: null, refresh: { interval: 60000, max: 60000 } });
  const opened: string[] = [];
  const widget = new LeaderboardPanel({ model, openTask: (t) => opened.push(t) });
  Widget.attach(widget, document.body);
  await until(() => model.status.state === "ready" || model.status.state === "error");
  return { widget, model, fake, opened };
}

function boardRows(root: Element): HTMLElement[] {
  return Array.from(q(root, "dqm-leaderboard-table").querySelectorAll<HTMLElement>(".dqm-table-row"));
}

describe("curvesNote", () => {
  it("explains the coarse curves and names the selected rows without curves", () => {
    const withCurves = boardRow(1, 1, { curves: curves() });
    expect(curvesNote([])).toBe(COARSE_CURVES_NOTE);
    expect(curvesNote([withCurves])).toBe(COARSE_CURVES_NOTE);
    expect(curvesNote([withCurves, boardRow(2, 2, { curves: null }), boardRow(3, 3)])).toBe(
      `${COARSE_CURVES_NOTE} #2 method 2, #3 method 3 have no curves (scored before the service computed them): compared on metrics only.`,
    );
  });
});

describe("LeaderboardPanel", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("shows the ranked rows with every metric, baseline marks and the viewer's rows highlighted", async () => {
    const { widget } = await panel();
    expect(widget.title.label).toBe("Leaderboard: pixel-task");
    expect(q(widget.node, "dqm-leaderboard-title").textContent).toBe("Pixel charge task");
    const headers = Array.from(
      q(widget.node, "dqm-leaderboard-table").querySelectorAll('[role="columnheader"]'),
    ).map((h) => h.textContent);
    expect(headers).toEqual([
      "",
      "#",
      "Method",
      "Baseline",
      "Author",
      "ROC AUC",
      "AP",
      "Saved effort",
      "Recall@FPR 0.01",
      "Recall@FPR 0.001",
      "Submitted",
    ]);
    const rows = boardRows(widget.node);
    expect(rows.map((r) => r.dataset.key)).toEqual(["1", "2", "3"]);
    expect(rows[0].querySelector('[data-column="baseline"]')!.textContent).toBe("baseline");
    expect(rows[0].classList.contains("dqm-mod-baseline")).toBe(true);
    expect(rows[1].classList.contains("dqm-mod-mine")).toBe(true);
    expect(rows[1].querySelector('[data-column="rocAuc"]')!.textContent).toBe("0.8800");
    expect(rows[1].querySelector('[data-column="recall@0.001"]')!.textContent).toBe("—");
    expect(q(widget.node, "dqm-scores-note").textContent).toBe(
      "Public scores: the public part of the test split, while the task is open.",
    );
    widget.dispose();
  });

  it("lists the viewer's submissions with their status and why one failed", async () => {
    const { widget } = await panel();
    const rows = Array.from(
      q(widget.node, "dqm-submissions-table").querySelectorAll<HTMLElement>(".dqm-table-row"),
    );
    expect(rows.map((r) => [r.dataset.key, r.querySelector('[data-column="status"]')!.textContent])).toEqual([
      ["2", "scored"],
      ["4", "failed"],
    ]);
    expect(rows[1].classList.contains("dqm-mod-failed")).toBe(true);
    expect(rows[1].querySelector('[data-column="failure"]')!.textContent).toBe("scoring failed: NaN score");
    widget.dispose();
  });

  /** The spec last drawn in the chart with this test id. */
  function lastSpec(root: Element, testId: string): Json | null {
    const host = q(root, testId);
    const calls = embed.calls.filter((c) => host.contains(c.element));
    return calls.length ? (calls[calls.length - 1].spec as Json) : null;
  }

  it("overlays the selected rows' curves, compares their metrics, and names rows without curves", async () => {
    const { widget, model } = await panel();
    expect(q(widget.node, "dqm-curves-note").textContent).toBe(COARSE_CURVES_NOTE);
    expect(q(widget.node, "dqm-curves-chart").classList.contains("lm-mod-hidden")).toBe(true);
    const rows = boardRows(widget.node);
    rows[0].dispatchEvent(new MouseEvent("click", { bubbles: true }));
    rows[2].dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect([...model.selection]).toEqual([1, 3]);
    await until(() => lastSpec(widget.node, "dqm-comparison-chart") !== null);
    const bars = lastSpec(widget.node, "dqm-comparison-chart")!;
    expect(bars.encoding.color.scale.domain).toEqual([
      "#1 Chi-square (baseline) (baseline, 1)",
      "#3 method 3 (alice, 3)",
    ]);
    // Row 3 has no curves: only row 1 is drawn as curves, and the note says why row 3 is not.
    await until(() => lastSpec(widget.node, "dqm-curves-chart") !== null);
    const overlay = lastSpec(widget.node, "dqm-curves-chart")!;
    expect(q(widget.node, "dqm-curves-chart").classList.contains("lm-mod-hidden")).toBe(false);
    expect(q(widget.node, "dqm-curves-chart").getAttribute("aria-label")).toBe(
      "ROC and grey-zone curves of the selected submissions",
    );
    expect(overlay.hconcat[0].layer[1].encoding.color.scale.domain).toEqual([
      "#1 Chi-square (baseline) (baseline, 1)",
    ]);
    expect(overlay.hconcat[0].layer[1].data.values).toEqual([
      { submission: "#1 Chi-square (baseline) (baseline, 1)", fpr: 0, tpr: 0.1 },
      { submission: "#1 Chi-square (baseline) (baseline, 1)", fpr: 0.01, tpr: 0.3 },
      { submission: "#1 Chi-square (baseline) (baseline, 1)", fpr: 0.1, tpr: 0.6 },
      { submission: "#1 Chi-square (baseline) (baseline, 1)", fpr: 1, tpr: 1 },
    ]);
    expect(q(widget.node, "dqm-curves-note").textContent).toBe(
      `${COARSE_CURVES_NOTE} #3 method 3 has no curves (scored before the service computed them): compared on metrics only.`,
    );
    expect(q(widget.node, "dqm-compare-hint").textContent).toBe("2 selected");
    widget.dispose();
  });

  it("draws both rows' curves in one chart, on log axes when asked, and hides it without curves", async () => {
    const { widget, model } = await panel();
    const rows = boardRows(widget.node);
    rows[0].dispatchEvent(new MouseEvent("click", { bubbles: true }));
    rows[1].dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect([...model.selection]).toEqual([1, 2]);
    await until(
      () => lastSpec(widget.node, "dqm-curves-chart")?.hconcat[1].layer[0].data.values.length === 4,
    );
    const linear = lastSpec(widget.node, "dqm-curves-chart")!;
    expect(linear.hconcat[1].layer[0].encoding.color.scale.domain).toEqual([
      "#1 Chi-square (baseline) (baseline, 1)",
      "#2 method 2 (admin, 2)",
    ]);
    expect(linear.hconcat[1].layer[0].encoding.x.scale).toEqual({ domain: [0, 1] });
    expect(q(widget.node, "dqm-curves-note").textContent).toBe(COARSE_CURVES_NOTE);
    const drawn = embed.calls.length;
    const logX = q<HTMLInputElement>(widget.node, "dqm-curves-logx");
    logX.checked = true;
    logX.dispatchEvent(new Event("change"));
    await until(
      () => lastSpec(widget.node, "dqm-curves-chart")?.hconcat[1].layer[0].encoding.x.scale.type === "symlog",
    );
    // Only the curves chart is drawn again.
    expect(embed.calls.length).toBe(drawn + 1);
    for (const row of boardRows(widget.node).slice(0, 2))
      row.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect([...model.selection]).toEqual([]);
    expect(q(widget.node, "dqm-curves-chart").classList.contains("lm-mod-hidden")).toBe(true);
    widget.dispose();
  });

  it("updates when a submission lands, keeping selection and scroll", async () => {
    const { widget, model, fake } = await panel();
    boardRows(widget.node)[1].dispatchEvent(new MouseEvent("click", { bubbles: true }));
    const body = q(widget.node, "dqm-leaderboard-table").querySelector(".dqm-table-body") as HTMLElement;
    body.scrollTop = 10;
    fake.board.rows = [
      boardRow(9, 1, { user: "bob", method: "new best" }),
      ...fake.board.rows.map((r) => ({ ...r, rank: r.rank + 1 })),
    ];
    await expect(model.refresh()).resolves.toBe("changed");
    const rows = boardRows(widget.node);
    expect(rows.map((r) => r.dataset.key)).toEqual(["9", "1", "2", "3"]);
    expect(rows[2].getAttribute("aria-selected")).toBe("true");
    expect([...model.selection]).toEqual([2]);
    expect(body.scrollTop).toBe(10);
    expect(q(widget.node, "dqm-last-updated").textContent).toMatch(/^Updated /);
    widget.dispose();
  });

  it("sorts rows by a clicked column without changing the ranks", async () => {
    const { widget } = await panel();
    const button = q(widget.node, "dqm-leaderboard-table").querySelector(
      '[data-key="user"] button',
    ) as HTMLButtonElement;
    button.click();
    expect(boardRows(widget.node).map((r) => r.querySelector('[data-column="user"]')!.textContent)).toEqual([
      "admin",
      "alice",
      "baseline",
    ]);
    expect(boardRows(widget.node)[0].querySelector('[data-column="rank"]')!.textContent).toBe("2");
    widget.dispose();
  });

  it("switches tasks, exports CSV and opens the task page", async () => {
    const fake = new FakeService();
    fake.tasks = [TASK, { ...TASK, name: "closed-task", title: "Closed", status: "closed" }];
    const { widget, model, opened } = await panel(fake);
    const select = q<HTMLSelectElement>(widget.node, "dqm-task-select");
    expect(Array.from(select.options).map((o) => o.text)).toEqual([
      "Pixel charge task (open)",
      "Closed (closed)",
    ]);
    select.value = "closed-task";
    select.dispatchEvent(new Event("change"));
    await until(() => model.task?.name === "closed-task" && model.status.state === "ready");
    q<HTMLButtonElement>(widget.node, "dqm-open-task").click();
    expect(opened).toEqual(["closed-task"]);
    const click = jest.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
    await widget.exportCsv();
    expect(click).toHaveBeenCalledTimes(1);
    const anchor = click.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(anchor.download).toBe("closed-task-leaderboard.csv");
    click.mockRestore();
    widget.dispose();
  });

  it("asks for each user's best row when the box is ticked", async () => {
    const { widget, fake } = await panel();
    const box = q<HTMLInputElement>(widget.node, "dqm-best-per-user");
    box.checked = true;
    box.dispatchEvent(new Event("change"));
    await until(() => fake.requests.some((r) => r.path.includes("best_per_user=true")));
    widget.dispose();
  });

  it("shows a failure with a retry, and an export failure in the status line", async () => {
    const fake = new FakeService();
    fake.failNext("tasks", 500, "<html>could not start dqm-playground in time</html>");
    const { widget, model } = await panel(fake);
    expect(q(widget.node, "dqm-error").textContent).toMatch(
      /^Could not load the tasks\. The DQM Playground service is not available \(500\)/,
    );
    q<HTMLButtonElement>(widget.node, "dqm-retry").click();
    await until(() => model.status.state === "ready");
    fake.failNext("tasks/pixel-task/leaderboard", 500, { message: "csv broke" });
    await widget.exportCsv();
    expect(q(widget.node, "dqm-error").textContent).toBe(
      "Could not export the CSV. The service failed (500): csv broke",
    );
    widget.dispose();
  });

  it("polls only while shown, from the moment it is attached", async () => {
    const fake = new FakeService();
    const model = new LeaderboardModel(fake.client(), {
      task: null,
      refresh: { interval: 60000, max: 60000 },
    });
    const startOnAttach = jest.spyOn(model, "startPolling");
    const widget = new LeaderboardPanel({ model, openTask: () => undefined });
    Widget.attach(widget, document.body);
    expect(startOnAttach).toHaveBeenCalledTimes(1);
    startOnAttach.mockRestore();
    await until(() => model.status.state === "ready");
    const start = jest.spyOn(model, "startPolling");
    const stop = jest.spyOn(model, "stopPolling");
    widget.hide();
    expect(stop).toHaveBeenCalled();
    widget.show();
    expect(start).toHaveBeenCalled();
    widget.dispose();
    expect(model.isDisposed).toBe(true);
  });
});
