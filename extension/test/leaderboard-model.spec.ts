import { comparedMetrics, fprKeys, LeaderboardModel } from "../src/models/leaderboard-model";
import { leaderboardColumns } from "../src/widgets/columns";
import { boardRow, FakeService, submission, TASK } from "./fake-service";

function model(fake = new FakeService(), task: string | null = null): LeaderboardModel {
  return new LeaderboardModel(fake.client(), { task, refresh: { interval: 1000, max: 4000 } });
}

describe("leaderboard helpers", () => {
  it("lists the recall targets of the task and the rows, largest first", () => {
    expect(fprKeys(TASK, [])).toEqual(["0.01", "0.001"]);
    expect(fprKeys(null, [boardRow(1, 1, { recallAtFpr: { "0.1": 0.5 } })])).toEqual(["0.1"]);
  });

  it("has a column per metric and per recall target", () => {
    const keys = leaderboardColumns(["0.01", "0.001"]).map((c) => c.key);
    expect(keys).toEqual([
      "rank",
      "method",
      "baseline",
      "user",
      "rocAuc",
      "averagePrecision",
      "savedEffort",
      "recall@0.01",
      "recall@0.001",
      "submittedAt",
    ]);
  });

  it("compares every metric, undefined ones as null", () => {
    expect(comparedMetrics(boardRow(1, 1), ["0.01", "0.001"])).toEqual([
      { metric: "ROC AUC", value: 0.89 },
      { metric: "AP", value: 0.5 },
      { metric: "saved effort", value: 0.1 },
      { metric: "recall@0.01", value: 0.2 },
      { metric: "recall@0.001", value: null },
    ]);
  });
});

describe("LeaderboardModel", () => {
  it("loads the tasks, the first task's board and the viewer's submissions", async () => {
    const m = model();
    await m.load();
    expect(m.status.state).toBe("ready");
    expect(m.task?.name).toBe("pixel-task");
    expect(m.board?.rows.map((r) => r.submission)).toEqual([1, 2, 3]);
    expect(m.submissions.map((s) => [s.id, s.status, s.failure])).toEqual([
      [2, "scored", null],
      [4, "failed", "scoring failed: NaN score"],
    ]);
    expect(m.describeScores()).toBe(
      "Public scores: the public part of the test split, while the task is open.",
    );
    expect(m.lastUpdated).toBeInstanceOf(Date);
    m.dispose();
  });

  it("says how far a participant's scores are rounded", async () => {
    const fake = new FakeService();
    fake.board = { ...fake.board, precision: 3 };
    const m = model(fake);
    await m.load();
    expect(m.describeScores()).toBe(
      "Public scores: the public part of the test split, while the task is open. Rounded to 3 decimals.",
    );
    m.dispose();
  });

  it("tells whether a refresh changed anything", async () => {
    const fake = new FakeService();
    const m = model(fake);
    await m.load();
    let changes = 0;
    m.changed.connect(() => changes++);
    await expect(m.refresh()).resolves.toBe("unchanged");
    expect(changes).toBe(0);
    fake.board.rows.push(boardRow(5, 4, { mine: true, user: "admin" }));
    fake.submissions = [...fake.submissions, submission(5)];
    await expect(m.refresh()).resolves.toBe("changed");
    expect(changes).toBe(1);
    expect(m.board?.rows).toHaveLength(4);
    m.dispose();
  });

  it("keeps the selection across refreshes and drops rows that left the board", async () => {
    const fake = new FakeService();
    const m = model(fake);
    await m.load();
    m.setSelection([1, 3]);
    m.toggleSelection(2);
    m.toggleSelection(1);
    expect([...m.selection]).toEqual([3, 2]);
    expect(m.selectedRows.map((r) => r.submission)).toEqual([2, 3]);
    fake.board.rows = fake.board.rows.filter((r) => r.submission !== 3);
    await m.refresh();
    expect([...m.selection]).toEqual([2]);
    m.dispose();
  });

  it("keeps showing the data when a refresh fails, with the error", async () => {
    const fake = new FakeService();
    const m = model(fake);
    await m.load();
    fake.failNext("tasks/pixel-task/leaderboard", 503, "Service Unavailable");
    await expect(m.refresh()).resolves.toBe("failed");
    expect(m.status.state === "error" && m.status.message).toBe(
      "Could not load the leaderboard of 'pixel-task'. The DQM Playground service is not available (503): Service Unavailable. It may have failed to start or stopped; see the Jupyter server's log.",
    );
    expect(m.board?.rows).toHaveLength(3);
    await expect(m.refresh()).resolves.toBe("unchanged");
    expect(m.status.state).toBe("ready");
    m.dispose();
  });

  it("opens the requested task and switches tasks, clearing the selection", async () => {
    const fake = new FakeService();
    fake.tasks = [TASK, { ...TASK, name: "other", status: "closed" }];
    const m = model(fake, "other");
    await m.load();
    expect(m.task?.name).toBe("other");
    await m.selectTask("pixel-task");
    m.setSelection([1]);
    await m.selectTask("other");
    expect(m.selection.size).toBe(0);
    await expect(m.selectTask("nope")).rejects.toThrow("no task named 'nope'");
    m.dispose();
  });

  it("asks for the chosen score set and each user's best row", async () => {
    const fake = new FakeService();
    const m = model(fake);
    await m.load();
    await m.setScores("private");
    await m.setBestPerUser(true);
    const paths = fake.requests.map((r) => r.path).filter((p) => p.includes("leaderboard"));
    expect(paths.slice(-2)).toEqual([
      "tasks/pixel-task/leaderboard?scores=private",
      "tasks/pixel-task/leaderboard?scores=private&best_per_user=true",
    ]);
    m.dispose();
  });

  it("explains private scores", async () => {
    const fake = new FakeService();
    fake.board = { ...fake.board, status: "closed", scores: "private" };
    const m = model(fake);
    await m.load();
    expect(m.describeScores()).toBe("Private scores: the task is closed.");
    m.dispose();
  });

  it("exports the CSV of the scores shown", async () => {
    const fake = new FakeService();
    const m = model(fake);
    await expect(m.csv()).rejects.toThrow("no task is open");
    await m.load();
    await expect(m.csv()).resolves.toBe("rank,submission\n1,1\n");
    expect(fake.requests[fake.requests.length - 1].path).toBe(
      "tasks/pixel-task/leaderboard?scores=public&format=csv",
    );
    m.dispose();
  });

  it("shows an empty state when no task is published, and an error when tasks fail", async () => {
    const fake = new FakeService();
    fake.tasks = [];
    const m = model(fake);
    await m.load();
    expect(m.status.state).toBe("ready");
    expect(m.task).toBeNull();
    await expect(m.refresh()).resolves.toBe("unchanged");
    fake.failNext("tasks", 401, { message: "unknown or revoked token" });
    await m.load();
    expect(m.status.state === "error" && m.status.message).toMatch(
      /^Could not load the tasks\. The service refused the credentials \(401\): unknown or revoked token\./,
    );
    m.dispose();
  });

  it("polls with back-off while started", async () => {
    jest.useFakeTimers();
    try {
      const fake = new FakeService();
      const m = model(fake);
      await m.load();
      const before = fake.requests.length;
      m.startPolling();
      await jest.advanceTimersByTimeAsync(1000);
      expect(fake.requests.length).toBe(before + 3);
      expect(m.currentRefreshDelay).toBe(2000);
      m.setRefreshOptions({ interval: 500, max: 1000 });
      expect(m.currentRefreshDelay).toBe(1000);
      m.stopPolling();
      await jest.advanceTimersByTimeAsync(5000);
      expect(fake.requests.length).toBe(before + 3);
      m.dispose();
      expect(m.isDisposed).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
