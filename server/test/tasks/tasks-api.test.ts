import { tableFromIPC, tableToIPC, tableFromArrays, type Table } from "apache-arrow";
import crypto from "node:crypto";
import type { FastifyInstance } from "fastify";
import { testEngines } from "../helpers/stores";
import { fixtureApp, TASK_SPEC, isBad, type FixtureApp } from "../helpers/task-fixture";
import type { TestStore as Store } from "../helpers/stores";
import { GREY_ZONE_ALPHA_GRID, ROC_FPR_GRID } from "@dqm-playground/scoring";
import { roundTo } from "../../src/tasks/metrics-view";

type Curves = {
  roc: { fpr: number[]; tpr: Array<number | null> };
  greyZone: { beta: number; alpha: number[]; savedEffort: number[] };
};
type Row = {
  submission: number;
  user: string;
  rocAuc: number;
  savedEffort: number;
  recallAtFpr: Record<string, number>;
  curves: Curves | null;
};

/** The coarse curves agree with the metrics shown beside them: same statistics, same score set. */
function expectCurvesMatch(curves: Curves, m: { savedEffort: number; recallAtFpr: Record<string, number> }) {
  expect(curves.roc.fpr).toEqual([...ROC_FPR_GRID]);
  expect(curves.greyZone.alpha).toEqual([...GREY_ZONE_ALPHA_GRID]);
  expect(curves.greyZone.beta).toBe(0.01);
  expect(curves.roc.tpr).toHaveLength(ROC_FPR_GRID.length);
  expect(curves.roc.tpr[ROC_FPR_GRID.indexOf(0.01)]).toBe(m.recallAtFpr["0.01"]);
  expect(curves.roc.tpr[ROC_FPR_GRID.indexOf(0.001)]).toBe(m.recallAtFpr["0.001"]);
  expect(curves.greyZone.savedEffort[GREY_ZONE_ALPHA_GRID.indexOf(0.01)]).toBe(m.savedEffort);
}

describe.each(testEngines())("tasks, submissions and leaderboard on %s", (engine) => {
  const f = fixtureApp(engine);
  let store: Store;
  let app: FastifyInstance;
  let tokens: FixtureApp["tokens"];
  let test: Table;
  let testSha: string;

  const req = (
    who: keyof typeof tokens,
    method: "GET" | "POST",
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}`, ...headers },
      ...(body === undefined ? {} : Buffer.isBuffer(body) ? { body } : { payload: body as object }),
    });

  /** Scores = the first interior bin's deficit: high for the shifted (bad) shape. */
  const goodScores = () =>
    Array.from({ length: test.numRows }, (_, i) => ({
      run: test.getChild("run")!.get(i) as number,
      lumisection: test.getChild("lumisection")!.get(i) as number,
      score: 10 - (test.getChild("charge")!.get(i)!.toArray() as Float32Array)[0],
    }));

  beforeAll(async () => {
    ({ store, app, tokens } = f);
    const created = await req("admin", "POST", "/api/v1/tasks", TASK_SPEC);
    expect(created.statusCode).toBe(201);
    const res = await req("alice", "GET", "/api/v1/tasks/charge-task/splits/test");
    test = tableFromIPC(res.rawPayload);
    testSha = res.headers["x-split-sha256"] as string;
  });

  it("publishes a task whose splits are disjoint by run and carry the sha256 of their bytes", async () => {
    const task = (await req("alice", "GET", "/api/v1/tasks/charge-task")).json();
    const trainRes = await req("alice", "GET", "/api/v1/tasks/charge-task/splits/train");
    const train = tableFromIPC(trainRes.rawPayload);
    expect(crypto.createHash("sha256").update(trainRes.rawPayload).digest("hex")).toBe(
      task.splits.train.sha256,
    );
    expect(testSha).toBe(task.splits.test.sha256);
    expect(train.numRows + test.numRows).toBe(160);
    const trainRuns = new Set(train.getChild("run")!.toArray() as Int32Array);
    const testRuns = new Set(test.getChild("run")!.toArray() as Int32Array);
    expect([...trainRuns].filter((r) => testRuns.has(r))).toEqual([]);
    expect(train.schema.fields.map((f) => f.name)).toEqual([
      "run",
      "lumisection",
      "fill",
      "delivered_lumi",
      "recorded_lumi",
      "pileup",
      "beams_stable",
      "charge",
      "charge:entries",
      "label",
    ]);
    for (let i = 0; i < train.numRows; i++)
      expect(train.getChild("label")!.get(i)).toBe(
        isBad(train.getChild("run")!.get(i), train.getChild("lumisection")!.get(i)) ? 1 : 0,
      );
  });

  it("never sends test labels: the test split has no label column", () => {
    expect(test.schema.fields.map((f) => f.name)).not.toContain("label");
    expect(test.schema.metadata.get("label")).toBe("withheld");
  });

  it("refuses to change a published task and lets only admins publish", async () => {
    expect((await req("admin", "POST", "/api/v1/tasks", TASK_SPEC)).json().message).toContain(
      "a task named 'charge-task' exists already",
    );
    const res = await req("alice", "POST", "/api/v1/tasks", { ...TASK_SPEC, name: "other" });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe("user 'alice' is not an admin: this needs the admin role");
  });

  it.each([
    [{ features: ["nope"] }, 404, "features[0]: data set 'ds' has no monitor element 'nope'"],
    [{ name: "Bad Name" }, 400, "body/name must match pattern"],
    [{ split: { test_fraction: 1.5 } }, 400, "body/split/test_fraction must be < 1"],
    [{ dataset: "missing" }, 404, "no data set named 'missing'"],
  ])("rejects a bad task spec %j", async (change, status, message) => {
    const res = await req("admin", "POST", "/api/v1/tasks", { ...TASK_SPEC, name: "t2", ...change });
    expect(res.statusCode).toBe(status);
    expect(res.json().message).toContain(message);
  });

  it("scores a JSON submission against the hidden labels and ranks it", async () => {
    const res = await req("alice", "POST", "/api/v1/tasks/charge-task/submissions", {
      method: "bin deficit",
      split_sha256: testSha,
      scores: goodScores(),
    });
    expect(res.statusCode).toBe(201);
    const sub = res.json();
    expect(sub).toMatchObject({
      status: "scored",
      user: "alice",
      method: "bin deficit",
      privateMetrics: null,
    });
    expect(sub.publicMetrics.rocAuc).toBe(1);
    const board = (await req("bob", "GET", "/api/v1/tasks/charge-task/leaderboard")).json();
    expect(board.scores).toBe("public");
    expect(board.rows[0]).toMatchObject({ rank: 1, user: "alice", method: "bin deficit", mine: false });
  });

  it("accepts Arrow submissions with metadata in the query", async () => {
    const rows = goodScores();
    const table = tableFromArrays({
      run: Int32Array.from(rows, (r) => r.run),
      lumisection: Int32Array.from(rows, (r) => r.lumisection),
      score: Float64Array.from(rows, (r) => -r.score),
    });
    const res = await req(
      "bob",
      "POST",
      `/api/v1/tasks/charge-task/submissions?method=inverted&split_sha256=${testSha}`,
      Buffer.from(tableToIPC(table, "stream")),
      {
        "content-type": "application/vnd.apache.arrow.stream",
      },
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().publicMetrics.rocAuc).toBe(0);
    const board = (await req("bob", "GET", "/api/v1/tasks/charge-task/leaderboard")).json();
    expect(board.rows.map((r: { user: string; mine: boolean }) => [r.user, r.mine])).toEqual([
      ["alice", false],
      ["bob", true],
    ]);
  });

  it("scores coarse ROC and grey-zone curves with the metrics and serves them in rows and submissions", async () => {
    const board = (await req("bob", "GET", "/api/v1/tasks/charge-task/leaderboard")).json();
    const [alice, bob] = board.rows as Row[];
    // A perfect ranking: every bad lumisection before any good one, all decided automatically.
    expect(alice.curves).toEqual({
      roc: { fpr: [...ROC_FPR_GRID], tpr: ROC_FPR_GRID.map(() => 1) },
      greyZone: {
        beta: 0.01,
        alpha: [...GREY_ZONE_ALPHA_GRID],
        savedEffort: GREY_ZONE_ALPHA_GRID.map(() => 1),
      },
    });
    // The inverted ranking finds no bad lumisection until every good one is flagged.
    expect(bob.curves!.roc.tpr).toEqual(ROC_FPR_GRID.map((f) => (f < 1 ? 0 : 1)));
    for (const row of [alice, bob]) expectCurvesMatch(row.curves!, row);
    const own = (await req("bob", "GET", `/api/v1/tasks/charge-task/submissions/${bob.submission}`)).json();
    expect(own.publicMetrics.curves).toEqual(bob.curves);
    expect(own.privateMetrics).toBeNull();
    const admin = (
      await req("admin", "GET", `/api/v1/tasks/charge-task/submissions/${bob.submission}`)
    ).json();
    expect(admin.privateMetrics.curves.roc.fpr).toEqual([...ROC_FPR_GRID]);
    expectCurvesMatch(admin.privateMetrics.curves, {
      savedEffort: admin.privateMetrics.greyZone.savedEffort,
      recallAtFpr: admin.privateMetrics.recallAtFpr,
    });
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const rowSchema =
      doc.paths["/api/v1/tasks/{task}/leaderboard"].get.responses["200"].content["application/json"].schema
        .properties.rows.items;
    expect(Object.keys(rowSchema.properties.curves.properties)).toEqual(["roc", "greyZone"]);
  });

  it("gives curves null for submissions scored before curves existed", async () => {
    const row = await store.db
      .selectFrom("submissions")
      .select(["id", "public_metrics"])
      .where("method", "=", "bin deficit")
      .executeTakeFirstOrThrow();
    const { curves, ...older } = JSON.parse(row.public_metrics!);
    expect(curves).toBeDefined();
    const setMetrics = (json: string) =>
      store.db.updateTable("submissions").set({ public_metrics: json }).where("id", "=", row.id).execute();
    await setMetrics(JSON.stringify(older));
    try {
      const board = (await req("alice", "GET", "/api/v1/tasks/charge-task/leaderboard")).json();
      const mine = (board.rows as Row[]).find((r) => r.submission === row.id)!;
      expect([mine.rocAuc, mine.curves]).toEqual([1, null]);
      const view = (await req("alice", "GET", `/api/v1/tasks/charge-task/submissions/${row.id}`)).json();
      expect([view.publicMetrics.rocAuc, view.publicMetrics.curves]).toEqual([1, null]);
    } finally {
      await setMetrics(row.public_metrics!);
    }
  });

  const submitRows = (rows: Array<{ run: number; lumisection: number; score: number }>, extra: object = {}) =>
    req("bob", "POST", "/api/v1/tasks/charge-task/submissions", {
      method: "m",
      split_sha256: testSha,
      scores: rows,
      ...extra,
    });

  it("rejects incomplete, unknown, duplicated and wrongly hashed submissions with messages that say what is wrong", async () => {
    const rows = goodScores();
    const first = rows[0];
    let res = await submitRows(rows.slice(1));
    expect([res.statusCode, res.json().message]).toEqual([
      400,
      `missing 1 lumisection, first: run ${first.run} ls ${first.lumisection}`,
    ]);
    res = await submitRows([...rows, { run: 999, lumisection: 1, score: 0 }]);
    expect(res.json()).toMatchObject({
      message: `row ${rows.length + 1}: 1 unknown lumisection (not in the test split), first: run 999 ls 1`,
      where: { row: rows.length + 1 },
    });
    res = await submitRows([...rows, first]);
    expect(res.json().message).toBe(
      `row ${rows.length + 1}: run ${first.run} ls ${first.lumisection} appears more than once (rows 1 and ${rows.length + 1})`,
    );
    res = await submitRows(rows, { split_sha256: "abc" });
    expect(res.json().message).toBe(
      `column 'split_sha256': split hash abc is not the hash of this task's test split (${testSha}): reload the test split and score it again`,
    );
    res = await submitRows(rows.map((r) => ({ ...r, score: null })) as never);
    expect(res.json().message).toContain("body/scores/0/score must be number");
  });

  it("rejects non-finite scores in Arrow bodies", async () => {
    const rows = goodScores();
    const table = tableFromArrays({
      run: Int32Array.from(rows, (r) => r.run),
      lumisection: Int32Array.from(rows, (r) => r.lumisection),
      score: Float64Array.from(rows, (r, i) => (i === 2 ? NaN : r.score)),
    });
    const res = await req(
      "bob",
      "POST",
      `/api/v1/tasks/charge-task/submissions?method=nan&split_sha256=${testSha}`,
      Buffer.from(tableToIPC(table, "stream")),
      {
        "content-type": "application/vnd.apache.arrow.stream",
      },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe(
      `row 3, column 'score': score of run ${rows[2].run} ls ${rows[2].lumisection} is NaN: scores must be finite numbers`,
    );
  });

  it("makes one submission of a retried POST with the same idempotency key, and enforces the daily limit", async () => {
    const body = { method: "retry", split_sha256: testSha, scores: goodScores() };
    const a = await req("bob", "POST", "/api/v1/tasks/charge-task/submissions", body, {
      "idempotency-key": "k1",
    });
    const b = await req("bob", "POST", "/api/v1/tasks/charge-task/submissions", body, {
      "idempotency-key": "k1",
    });
    expect([a.statusCode, b.statusCode]).toEqual([201, 200]);
    expect(b.json().id).toBe(a.json().id);
    // bob has 2 accepted submissions today (inverted, retry); the limit is 3, failed attempts do not count
    expect((await submitRows(goodScores(), { method: "third" })).statusCode).toBe(201);
    const over = await submitRows(goodScores(), { method: "fourth" });
    expect(over.statusCode).toBe(429);
    expect(over.json().message).toBe(
      "daily limit of 3 submissions to 'charge-task' reached for user 'bob'; it resets at 00:00 UTC",
    );
    const mine = (await req("bob", "GET", "/api/v1/tasks/charge-task/submissions")).json();
    expect(mine.items.map((s: { method: string }) => s.method)).toEqual(["inverted", "retry", "third"]);
  });

  it("hides private scores until the task is closed, except from admins, and exports CSV", async () => {
    const hidden = await req("alice", "GET", "/api/v1/tasks/charge-task/leaderboard?scores=private");
    expect(hidden.statusCode).toBe(403);
    expect(hidden.json().message).toBe("private scores of 'charge-task' are hidden until the task is closed");
    expect(
      (await req("admin", "GET", "/api/v1/tasks/charge-task/leaderboard?scores=private")).statusCode,
    ).toBe(200);
    // An overlapping ranking, so that the public and private parts' curves differ.
    const noisy = await req("alice", "POST", "/api/v1/tasks/charge-task/submissions", {
      method: "noisy",
      split_sha256: testSha,
      scores: goodScores().map((r) => ({
        ...r,
        score: isBad(r.run, r.lumisection) ? (r.lumisection % 4) + 1 : (r.run + r.lumisection) % 5,
      })),
    });
    expect(noisy.statusCode).toBe(201);
    const noisyId = noisy.json().id as number;
    const privateRows = (
      await req("admin", "GET", "/api/v1/tasks/charge-task/leaderboard?scores=private")
    ).json().rows as Row[];
    const publicRows = (await req("alice", "GET", "/api/v1/tasks/charge-task/leaderboard")).json()
      .rows as Row[];
    const byId = (rows: Row[], id: number) => rows.find((r) => r.submission === id)!;
    for (const r of privateRows) expectCurvesMatch(r.curves!, r);
    for (const r of publicRows) {
      expectCurvesMatch(r.curves!, r);
      const admin = (
        await req("admin", "GET", `/api/v1/tasks/charge-task/submissions/${r.submission}`)
      ).json();
      // The participant's curves are the admin's exact ones rounded to the task's precision (3).
      const exact = admin.publicMetrics.curves as Curves;
      const round = (v: number | null) => (v === null ? null : roundTo(v, 3));
      expect(r.curves).toEqual({
        roc: { fpr: exact.roc.fpr, tpr: exact.roc.tpr.map(round) },
        greyZone: { ...exact.greyZone, savedEffort: exact.greyZone.savedEffort.map(round) },
      });
      expect(byId(privateRows, r.submission).curves).toEqual(admin.privateMetrics.curves);
    }
    // While open, a participant sees only public-part curves, never the private part's.
    const hiddenCurves = byId(privateRows, noisyId).curves!;
    expect(hiddenCurves).not.toEqual(byId(publicRows, noisyId).curves);
    const views = (await req("alice", "GET", "/api/v1/tasks/charge-task/submissions")).json().items;
    expect(views.map((v: { privateMetrics: unknown }) => v.privateMetrics)).toEqual(views.map(() => null));
    const seenByAlice = JSON.stringify([publicRows, views]);
    expect(seenByAlice).not.toContain(JSON.stringify(hiddenCurves.roc.tpr));
    expect(seenByAlice).not.toContain(JSON.stringify(hiddenCurves.greyZone.savedEffort));
    expect((await req("alice", "POST", "/api/v1/tasks/charge-task/close")).statusCode).toBe(403);
    expect((await req("admin", "POST", "/api/v1/tasks/charge-task/close")).json().status).toBe("closed");
    const board = (
      await req("alice", "GET", "/api/v1/tasks/charge-task/leaderboard?best_per_user=true")
    ).json();
    expect(board.scores).toBe("private");
    expect(board.rows.map((r: { user: string }) => r.user)).toEqual(["alice", "bob"]);
    // After close everyone sees the private part's curves.
    for (const r of board.rows as Row[])
      expect(r.curves).toEqual(privateRows.find((p) => p.submission === r.submission)!.curves);
    const closedView = (await req("alice", "GET", "/api/v1/tasks/charge-task/submissions")).json().items[0];
    expect(closedView.privateMetrics.curves).toEqual(
      privateRows.find((p) => p.submission === closedView.id)!.curves,
    );
    const csv = await req("alice", "GET", "/api/v1/tasks/charge-task/leaderboard?format=csv");
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body.split("\n")[0]).toBe(
      "rank,submission,user,method,baseline,roc_auc,average_precision,saved_effort,recall_at_fpr_0.01,recall_at_fpr_0.001,submitted_at,link",
    );
    const late = await submitRows(goodScores(), { method: "late" });
    expect([late.statusCode, late.json().message]).toEqual([
      409,
      "task 'charge-task' is closed: it takes no more submissions",
    ]);
  });
});
