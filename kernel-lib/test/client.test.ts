/**
 * The client against a real service: `dqm-playground demo` in a temporary home, then `connect()`
 * starts `serve` itself; connect, tasks, task, load, features, histograms, submit (Arrow and JSON),
 * idempotent replays, the leaderboard, and refusals whose service message is passed through.
 */
import fs from "node:fs";
import path from "node:path";
import {
  connect,
  display,
  features,
  labels,
  models,
  ServiceError,
  splitInfo,
  type Playground,
  type Task,
} from "../src/index";
import { CLI, cleanEnv, runCli, stopPid, tempHome } from "./helpers/server";

const TASK = "pixel-2018-charge";
let home: string;
let pg: Playground;
let task: Task;
let sink: display.RecordingSink;
const scratch: string[] = [];
const scratchHome = () => {
  const h = tempHome();
  scratch.push(h);
  return h;
};

beforeAll(async () => {
  home = tempHome();
  await runCli(["demo"], home);
  sink = display.recordingSink();
  display.setSink(sink);
  pg = await connect({ home, env: cleanEnv(), cli: CLI });
  task = await pg.task(TASK);
}, 240_000);

afterAll(async () => {
  display.setSink(null);
  if (pg?.startedPid) await stopPid(pg.startedPid);
  for (const h of [home, ...scratch]) if (h) fs.rmSync(h, { recursive: true, force: true });
}, 30_000);

describe("connect", () => {
  test("starts a server on the home when none runs, then finds it through server.json", async () => {
    expect(pg.via).toBe("started");
    expect(pg.startedPid).toEqual(expect.any(Number));
    const info = JSON.parse(fs.readFileSync(path.join(home, "server.json"), "utf8"));
    expect(info).toMatchObject({ url: pg.url, pid: pg.startedPid });
    const again = await connect({ home, env: cleanEnv(), start: false });
    expect(again.via).toBe("server.json");
    expect(again.url).toBe(pg.url);
    expect(again.startedPid).toBeNull();
    expect((await again.health()).service).toBe("dqm-playground");
  });

  test("DQM_PLAYGROUND_URL and DQM_PLAYGROUND_TOKEN; a wrong token is refused with the service's message", async () => {
    const token = fs.readFileSync(path.join(home, "token"), "utf8").trim();
    const viaEnv = await connect({
      env: cleanEnv({ DQM_PLAYGROUND_URL: pg.url, DQM_PLAYGROUND_TOKEN: token }),
      home: scratchHome(),
    });
    expect(viaEnv.via).toBe("env");
    expect((await viaEnv.tasks()).names()).toContain(TASK);
    const wrong = await connect({ url: pg.url, token: "nope" });
    await expect(wrong.tasks()).rejects.toMatchObject({
      name: "ServiceError",
      status: 401,
      message: "unknown or revoked token",
    });
  });

  test("a home logged in to a service (login.json) uses it with the stored token", async () => {
    const token = fs.readFileSync(path.join(home, "token"), "utf8").trim();
    const client = scratchHome();
    fs.writeFileSync(path.join(client, "login.json"), JSON.stringify({ url: pg.url, token }), {
      mode: 0o600,
    });
    const viaLogin = await connect({ home: client, env: cleanEnv(), start: false });
    expect(viaLogin.via).toBe("login");
    expect(viaLogin.url).toBe(pg.url);
    expect((await viaLogin.tasks()).names()).toContain(TASK);
    // Nothing was started or opened on the client's home.
    expect(fs.readdirSync(client)).toEqual(["login.json"]);
  });

  test("no server and start: false, or nothing at the URL: clear errors", async () => {
    const empty = scratchHome();
    await expect(connect({ home: empty, env: cleanEnv(), start: false })).rejects.toThrow(
      `no DQM Playground server is running on ${empty} (start one with 'dqm-playground serve')`,
    );
    await expect(connect({ url: "http://127.0.0.1:9", env: cleanEnv() })).rejects.toThrow(
      "no DQM Playground service answers at http://127.0.0.1:9",
    );
  });
});

describe("tasks and data", () => {
  test("tasks, one task, an unknown task", async () => {
    const list = await pg.tasks();
    expect(list.names()).toEqual(["pixel-2018-charge", "tracker-2018-multi"]);
    expect(list.toMimeBundle()["text/html"]).toContain('<td style="text-align:left">pixel-2018-charge</td>');
    expect(task.features).toEqual([
      "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1",
      "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2",
      "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_3",
      "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_4",
      "PixelPhase1/Tracks/PXBarrel/size_PXLayer_1",
    ]);
    const err = await pg.task("nope").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ status: 404, message: "no task named 'nope'" });
  });

  test("splits load as Arrow tables with their sha256; features are a view on the body", async () => {
    const train = await task.load("train");
    const test = await task.load("test");
    expect(train.numRows).toBe(task.info.splits.train.size);
    expect(test.numRows).toBe(task.info.splits.test.size);
    expect(splitInfo(train)).toMatchObject({
      task: TASK,
      split: "train",
      sha256: task.info.splits.train.sha256,
    });
    expect(splitInfo(test)?.sha256).toBe(task.info.splits.test.sha256);
    const l = labels(train);
    expect(l.some((v) => v === 1) && l.some((v) => v === 0)).toBe(true);
    expect(() => labels(test)).toThrow("labels come only with the train split");
    // One monitor element's bins are a view on the received body; several side by side are a copy.
    expect(features(test, { me: task.features[0] }).isView).toBe(true);
    const x = features(test);
    expect(x.isView).toBe(false);
    // Four charge layers of 100 bins and layer 1's cluster size, 30 bins, side by side.
    expect(x.shape).toEqual([test.numRows, 4 * 100 + 30]);
    expect(x.blocks.map((b) => [b.me, b.offset, b.width])).toEqual(
      task.features.map((me, i) => [me, i * 100, i < 4 ? 100 : 30]),
    );
    const good = features(train, { select: "good", normalize: "l1" });
    expect(good.rows).toBe(l.filter((v) => v === 0).length);
    await expect(task.load("valid" as "train")).rejects.toThrow(
      `split must be "train" or "test", got 'valid'`,
    );
  });

  test("histograms of a monitor element with flow bins; dropping them gives the split's bins", async () => {
    const me = task.features[0];
    const mes = await pg.monitorElements(task.info.dataset);
    expect(mes.find((m) => m.name === me)).toMatchObject({ hasFlow: true, binning: { xbins: 100 } });
    const train = await task.load("train");
    const run = train.getChild("run")!.get(0) as number;
    const h = await pg.histograms(task.info.dataset, me, { run, includeFlow: true });
    expect(h.getChild("data")!.type.listSize).toBe(102);
    const x = features(h, { drop: "underflow-overflow" });
    expect(x.shape[1]).toBe(100);
    const s = features(train);
    const i = x.find(run, s.index.lumisections[0]);
    // The split's first block is this monitor element.
    expect(Array.from(x.row(i))).toEqual(Array.from(s.row(0).subarray(0, 100)));
    const err = await pg.histograms(task.info.dataset, "no/such/me").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).status).toBe(404);
  });
});

describe("reference runs", () => {
  let dataset: string;
  let before: number[];
  /** Runs whose labels anyone may read (not in an open task's test split), ascending. */
  let readable: number[];
  const designate = (runs: number[]) =>
    pg.http.json("PUT", `datasets/${encodeURIComponent(dataset)}/reference-runs`, { json: { runs } });

  beforeAll(async () => {
    dataset = task.info.dataset;
    before = (await pg.referenceRuns(dataset)).map((r) => r.run);
    const runs = await pg.http.all<{ run: number; labelsWithheld: boolean }>(
      `datasets/${encodeURIComponent(dataset)}/runs`,
    );
    readable = runs.filter((r) => !r.labelsWithheld).map((r) => r.run);
    expect(readable.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => {
    await designate(before);
  });

  test("lists the designated runs and finds each run's: nearest before, else after", async () => {
    const [a, b, c] = [readable[0], readable[1], readable[readable.length - 1]];
    // From none, so that each designation records who made it (the demo's own record no one).
    await designate([]);
    await designate([b, c]);
    const listed = await pg.referenceRuns(dataset);
    expect(listed.map((r) => [r.run, r.setBy])).toEqual([
      [b, "local-admin"],
      [c, "local-admin"],
    ]);
    expect(await pg.referenceRunFor(dataset, a)).toBe(b);
    expect(await pg.referenceRunFor(dataset, c)).toBe(b);
    await expect(pg.referenceRunFor(dataset, 1)).rejects.toThrow(`data set '${dataset}' has no run 1`);
  });

  test("reference() averages the designated reference run's good lumisections, or a chosen run", async () => {
    const me = task.features[0];
    const [a, b] = readable;
    await designate([b]);
    const ref = await pg.reference(dataset, me, a);
    expect(ref).toMatchObject({ run: b, designated: true, binning: { xbins: 100 } });
    expect(ref.values).toHaveLength(100);
    expect(ref.count).toBeGreaterThan(0);
    const good = features(
      await pg.histograms(dataset, me, { run: b, label: ref.goodOnly ? "good" : undefined }),
      {
        normalize: "l1",
      },
    );
    expect(ref.count).toBe(good.rows);
    expect(ref.values.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 4);

    const chosen = await pg.reference(dataset, me, b, { referenceRun: a });
    expect(chosen).toMatchObject({ run: a, designated: false });
  });

  test("says how to designate one when the data set has none", async () => {
    await designate([]);
    const run = readable[0];
    await expect(pg.reference(dataset, task.features[0], run)).rejects.toThrow(
      `data set '${dataset}' has no designated reference run for run ${run}: an admin designates them ('dqm-playground reference set ${dataset} RUN...'), or pass { referenceRun }`,
    );
    await expect(pg.referenceRunFor(dataset, run)).resolves.toBeNull();
  });
});

describe("submissions", () => {
  test("an autoencoder trained on good train lumisections, scored and submitted (Arrow)", async () => {
    const train = await task.load("train");
    const x = features(train, { select: "good", normalize: "l1" });
    const ae = models.autoencoder({ inputDim: x.shape[1], hidden: [16, 4], seed: 1 });
    await ae.fit(x, { epochs: 3, batchSize: 128, progress: false });
    const test = await task.load("test");
    const scores = ae.score(features(test, { normalize: "l1" }));
    ae.dispose();
    sink.outputs.length = 0;
    const r = await task.submit(scores, { method: "AE 16-4", description: "kernel-lib test" });
    expect(r.submission).toMatchObject({
      status: "scored",
      method: "AE 16-4",
      task: TASK,
      splitSha256: task.info.splits.test.sha256,
    });
    expect(r.submission.clientVersion).toMatch(/^@dqm-playground\/kernel \d+\.\d+\.\d+/);
    expect(r.metrics?.rocAuc).toEqual(expect.any(Number));
    expect(r.rank).toEqual(expect.any(Number));
    expect(r.of).toBeGreaterThanOrEqual(4); // three baselines and this one
    expect(r.replayed).toBe(false);
    expect(r.leaderboardUrl).toBe(`${pg.url}/api/v1/tasks/${TASK}/leaderboard`);
    // shown in the cell
    expect(sink.outputs).toHaveLength(1);
    expect(sink.outputs[0].bundle["text/html"]).toContain(
      `Submission ${r.id} to ${TASK}: AE 16-4: scored, rank ${r.rank} of ${r.of}`,
    );
  });

  test("JSON body, and a retried submit with the same idempotency key returns the first", async () => {
    const test = await task.load("test");
    const scores = Float64Array.from({ length: test.numRows }, (_, i) => (i * 7919) % 101);
    const a = await task.submit(scores, {
      method: "modular",
      format: "json",
      idempotencyKey: "k-1",
      show: false,
    });
    const b = await task.submit(scores, {
      method: "modular",
      format: "json",
      idempotencyKey: "k-1",
      show: false,
    });
    expect(b.id).toBe(a.id);
    expect(b.replayed).toBe(true);
    const mine = await task.submissions();
    expect(mine.map((s) => s.id)).toContain(a.id);
    const board = await task.leaderboard();
    expect(board.rows.find((row) => row.submission === a.id)?.mine).toBe(true);
    expect(board.toMimeBundle()["text/plain"]).toContain("modular");
  });

  test("refusals carry the service's status and message unchanged", async () => {
    const test = await task.load("test");
    const runs = test.getChild("run")!.toArray() as Int32Array;
    const lss = test.getChild("lumisection")!.toArray() as Int32Array;
    const n = test.numRows;
    const refusal = async (p: Promise<unknown>) => {
      const e = await p.catch((err: unknown) => err);
      expect(e).toBeInstanceOf(ServiceError);
      return e as ServiceError;
    };
    const unknown = await refusal(
      task.submit({ runs: [1], lumisections: [1], scores: [1] }, { method: "x", show: false }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.message).toBe("row 1: 1 unknown lumisection (not in the test split), first: run 1 ls 1");
    const missing = await refusal(
      task.submit(
        { runs: runs.slice(1), lumisections: lss.slice(1), scores: new Float64Array(n - 1) },
        { method: "x", show: false },
      ),
    );
    expect(missing.message).toBe(`missing 1 lumisection, first: run ${runs[0]} ls ${lss[0]}`);
    const nan = new Float64Array(n);
    nan[2] = NaN;
    const notFinite = await refusal(task.submit(nan, { method: "x", show: false }));
    expect(notFinite.message).toBe(
      `row 3, column 'score': score of run ${runs[2]} ls ${lss[2]} is NaN: scores must be finite numbers`,
    );
    const noMethod = await refusal(task.submit(new Float64Array(n), { method: " ", show: false }));
    expect(noMethod.message).toBe("column 'method': a method name is required");
    // and what the library checks before sending
    await expect(task.submit(new Float32Array(n - 1), { method: "x" })).rejects.toThrow(
      `got ${n - 1} scores but the test split has ${n} lumisections: score every test row, in order (do not filter test rows)`,
    );
    const train = await task.load("train");
    await expect(task.submit(new Float32Array(train.numRows), { method: "x", split: train })).rejects.toThrow(
      `scores must be made on the test split of '${TASK}', not the train split of '${TASK}'`,
    );
  });
});
