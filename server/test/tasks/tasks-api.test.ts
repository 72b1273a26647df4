import { tableFromIPC, tableToIPC, tableFromArrays, type Table } from "apache-arrow";
import crypto from "node:crypto";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/api/app";
import { openTestStore, testEngines } from "../helpers/stores";
import { loadFixture, TASK_SPEC, isBad } from "../helpers/task-fixture";
import type { Store } from "../../src/store/store";

describe.each(testEngines())("tasks, submissions and leaderboard on %s", (engine) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let tokens: { admin: string; alice: string; bob: string };
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
    const opened = await openTestStore(engine);
    store = opened.store;
    close = opened.close;
    tokens = await loadFixture(store);
    app = await buildApp({ store });
    const created = await req("admin", "POST", "/api/v1/tasks", TASK_SPEC);
    expect(created.statusCode).toBe(201);
    const res = await req("alice", "GET", "/api/v1/tasks/charge-task/splits/test");
    test = tableFromIPC(res.rawPayload);
    testSha = res.headers["x-split-sha256"] as string;
  });
  afterAll(async () => {
    await app.close();
    await close();
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
    expect(res.json().message).toBe(
      `line ${rows.length + 1}: 1 unknown lumisection (not in the test split), first: run 999 ls 1`,
    );
    res = await submitRows([...rows, first]);
    expect(res.json().message).toBe(
      `line ${rows.length + 1}: run ${first.run} ls ${first.lumisection} appears more than once (rows 1 and ${rows.length + 1})`,
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
      `line 3, column 'score': score of run ${rows[2].run} ls ${rows[2].lumisection} is NaN: scores must be finite numbers`,
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
    expect((await req("alice", "POST", "/api/v1/tasks/charge-task/close")).statusCode).toBe(403);
    expect((await req("admin", "POST", "/api/v1/tasks/charge-task/close")).json().status).toBe("closed");
    const board = (
      await req("alice", "GET", "/api/v1/tasks/charge-task/leaderboard?best_per_user=true")
    ).json();
    expect(board.scores).toBe("private");
    expect(board.rows.map((r: { user: string }) => r.user)).toEqual(["alice", "bob"]);
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
