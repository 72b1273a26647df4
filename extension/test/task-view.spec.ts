import { Widget } from "@lumino/widgets";
import { TaskModel, taskFacts } from "../src/models/task-model";
import { TaskView } from "../src/widgets/task-view";
import { FakeService, TASK, until } from "./fake-service";

describe("taskFacts", () => {
  it("lists description facts, splits with hashes and metric settings", () => {
    const facts = Object.fromEntries(taskFacts(TASK));
    expect(facts["Data set"]).toBe("demo");
    expect(facts["Train sha256"]).toBe("a".repeat(64));
    expect(facts["Test split"]).toBe("4 lumisections");
    expect(facts["Grey zone"]).toContain("alpha 0.01");
    expect(facts["Recall at FPR"]).toBe("0.01, 0.001");
    expect(facts.Split).toBe(
      "test 50 % of the lumisections (whole runs), public part 50 % of the test runs, seed 7, public/private seed 8",
    );
    expect(facts["Metrics shown"]).toBe("rounded to 3 decimals while open");
    expect(facts.Status).toBe("open");
    // A participant's view of an open task: the seed is not sent.
    const hidden = {
      ...TASK,
      split: { ...TASK.split, seed: null, public_seed: null },
      metrics: { ...TASK.metrics, publish_counts: true },
    };
    expect(Object.fromEntries(taskFacts(hidden)).Split).toBe(
      "test 50 % of the lumisections (whole runs), public part 50 % of the test runs, seeds hidden until the task closes",
    );
    expect(Object.fromEntries(taskFacts(hidden))["Metrics shown"]).toBe(
      "rounded to 3 decimals while open, with lumisection counts",
    );
    expect(
      Object.fromEntries(taskFacts({ ...TASK, status: "closed", closedAt: "2026-11-02T10:00:00Z" })).Status,
    ).toMatch(/^closed \(closed 2026-11-0\d \d\d:\d\d\)$/);
  });
});

describe("TaskView", () => {
  it("loads the task on attach and shows its page", async () => {
    const opened: string[] = [];
    const view = new TaskView(new TaskModel(new FakeService().client(), "pixel-task"), (t) => opened.push(t));
    Widget.attach(view, document.body);
    await until(() => view.task !== null);
    expect(view.node.querySelector('[data-testid="dqm-task-description"]')!.textContent).toBe(
      "Flag bad lumisections.",
    );
    expect(view.node.querySelectorAll(".dqm-hash")).toHaveLength(2);
    (view.node.querySelector('[data-testid="dqm-task-open-leaderboard"]') as HTMLButtonElement).click();
    expect(opened).toEqual(["pixel-task"]);
    view.dispose();
  });

  it("shows a missing task's error", async () => {
    const view = new TaskView(new TaskModel(new FakeService().client(), "nope"), () => undefined);
    Widget.attach(view, document.body);
    await until(() => view.loadStatus.state === "error");
    expect(view.node.querySelector('[data-testid="dqm-error"]')!.textContent).toMatch(
      /^Could not load task 'nope'\. Not found \(404\)/,
    );
    view.dispose();
  });
});
