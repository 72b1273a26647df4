/**
 * What a participant gets back while a task is open is no oracle beyond what the leaderboard must
 * show: metrics rounded to the task's `metrics.precision`, no grey-zone cuts or region counts, `n` /
 * `nBad` only with `metrics.publish_counts`, no split seed. Admins, and everyone after close, get the
 * exact values; the database keeps them exact. A train split holding a run that an open task withholds
 * is not sent.
 */
import { tableFromIPC } from "apache-arrow";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/api/app";
import type { TestStore as Store } from "../helpers/stores";
import { openTestStore, testEngines } from "../helpers/stores";
import { fixtureRecords, loadFixture, LS_PER_RUN, RUNS, TASK_SPEC } from "../helpers/task-fixture";
import { checkTaskSpec } from "../../src/tasks/task-spec";
import { metricsView, roundTo } from "../../src/tasks/metrics-view";
import type { PartMetrics } from "../../src/tasks/metrics-view";

type Json = Record<string, unknown>;

/** Every number in a metrics object outside the fixed grids (fpr, alpha, beta), with its path. */
function values(m: unknown, path = "$"): Array<[string, number]> {
  if (typeof m === "number") return [[path, m]];
  if (Array.isArray(m)) return m.flatMap((v, i) => values(v, `${path}[${i}]`));
  if (m === null || typeof m !== "object") return [];
  return Object.entries(m)
    .filter(([k]) => !["fpr", "alpha", "beta", "precision"].includes(k))
    .flatMap(([k, v]) => values(v, `${path}.${k}`));
}

/** Values with more than `places` decimals. */
const tooPrecise = (m: unknown, places: number) =>
  values(m, "$").filter(([, v]) => Number(v.toFixed(places)) !== v);

const REDUCED_KEYS = ["averagePrecision", "curves", "greyZone", "precision", "recallAtFpr", "rocAuc"];

describe.each(testEngines())("participant views on %s", (engine) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let tokens: { admin: string; alice: string; bob: string };
  const ids: Record<string, number> = {};

  const req = (who: keyof typeof tokens, method: "GET" | "POST", url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });

  /** Submits a noisy ranking (so that metrics have many digits) to `task` as alice. */
  async function submit(task: string): Promise<Json> {
    const split = await req("alice", "GET", `/api/v1/tasks/${task}/splits/test`);
    const t = tableFromIPC(split.rawPayload);
    const runs = t.getChild("run")!.toArray() as Int32Array;
    const ls = t.getChild("lumisection")!.toArray() as Int32Array;
    const res = await req("alice", "POST", `/api/v1/tasks/${task}/submissions`, {
      method: "noisy",
      split_sha256: split.headers["x-split-sha256"],
      scores: Array.from(runs, (run, i) => ({
        run,
        lumisection: ls[i],
        score: (run % 2 === 0 && ls[i] >= 15 ? 3 : 0) + ((run * 7 + ls[i] * 13) % 5),
      })),
    });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  beforeAll(async () => {
    const opened = await openTestStore(engine);
    store = opened.store;
    close = opened.close;
    tokens = await loadFixture(store);
    // A second data set, so that the two tasks need not share runs.
    const ds2 = { name: "ds2", era: "2018" };
    await store.ingestHistograms(
      ds2,
      { format: "csv", source: "f2.csv", sha256: "fixture-ds2" },
      fixtureRecords(),
    );
    const all = new Map(RUNS.map((r): [number, Array<[number, number]>] => [r, [[1, LS_PER_RUN]]]));
    await store.ingestCertification(ds2, { kind: "dcs", name: "dcs", source: "dcs", sha256: "dcs2" }, all);
    await store.ingestCertification(
      ds2,
      { kind: "golden", name: "golden", source: "golden", sha256: "golden2" },
      new Map(
        RUNS.map((r): [number, Array<[number, number]>] => [r, r % 2 === 0 ? [[1, 14]] : [[1, LS_PER_RUN]]]),
      ),
    );
    app = await buildApp({ store });
    for (const spec of [
      TASK_SPEC,
      { ...TASK_SPEC, name: "counts-task", dataset: "ds2", metrics: { precision: 2, publish_counts: true } },
    ]) {
      const created = await req("admin", "POST", "/api/v1/tasks", spec);
      expect(created.statusCode).toBe(201);
      ids[spec.name] = ((await submit(spec.name)) as { id: number }).id;
    }
  });
  afterAll(async () => {
    await app.close();
    await close();
  });

  it("rounds a participant's public metrics, without grey-zone cuts and counts, in every route", async () => {
    const id = ids["charge-task"];
    const one = (await req("alice", "GET", `/api/v1/tasks/charge-task/submissions/${id}`)).json();
    const m = one.publicMetrics as Json;
    expect(Object.keys(m).sort()).toEqual(REDUCED_KEYS);
    expect(m.greyZone).toEqual({ savedEffort: expect.any(Number) });
    expect(m.precision).toBe(3);
    expect(one.privateMetrics).toBeNull();
    expect(tooPrecise(m, 3)).toEqual([]);
    // The exact values do have more digits: the rounding is not vacuous.
    const exact = (await req("admin", "GET", `/api/v1/tasks/charge-task/submissions/${id}`)).json();
    expect(tooPrecise(exact.publicMetrics, 3).length).toBeGreaterThan(0);
    expect(m.rocAuc).toBe(roundTo(exact.publicMetrics.rocAuc, 3));
    expect(m.greyZone).toEqual({ savedEffort: roundTo(exact.publicMetrics.greyZone.savedEffort, 3) });

    // The list, the leaderboard (JSON and CSV) show the same reduced values.
    const list = (await req("alice", "GET", "/api/v1/tasks/charge-task/submissions")).json().items;
    expect(list.map((s: Json) => s.publicMetrics)).toEqual([m]);
    const board = (await req("alice", "GET", "/api/v1/tasks/charge-task/leaderboard")).json();
    expect(board.precision).toBe(3);
    const row = board.rows.find((r: Json) => r.submission === id);
    expect(row).toMatchObject({
      rocAuc: m.rocAuc,
      averagePrecision: m.averagePrecision,
      savedEffort: (m.greyZone as Json).savedEffort,
      recallAtFpr: m.recallAtFpr,
      curves: m.curves,
    });
    const csv = (await req("alice", "GET", "/api/v1/tasks/charge-task/leaderboard?format=csv")).body;
    const cells = csv.split("\n")[1].split(",");
    expect(cells.slice(5, 8).map(Number)).toEqual([
      m.rocAuc,
      m.averagePrecision,
      (m.greyZone as Json).savedEffort,
    ]);
  });

  it("gives admins exact metrics and keeps them exact in the database", async () => {
    const id = ids["charge-task"];
    const admin = (await req("admin", "GET", `/api/v1/tasks/charge-task/submissions/${id}`)).json();
    for (const part of [admin.publicMetrics, admin.privateMetrics]) {
      expect(part.precision).toBeNull();
      expect(Object.keys(part.greyZone).sort()).toEqual(
        [
          "autoBad",
          "autoGood",
          "highCut",
          "lowCut",
          "pollution",
          "rejectedGoodFraction",
          "savedEffort",
        ].sort(),
      );
      expect(part.n).toBeGreaterThan(part.nBad);
    }
    const row = await store.db
      .selectFrom("submissions")
      .select(["public_metrics", "private_metrics"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect({ ...JSON.parse(row.public_metrics!), precision: null }).toEqual(admin.publicMetrics);
    expect({ ...JSON.parse(row.private_metrics!), precision: null }).toEqual(admin.privateMetrics);
    const board = (await req("admin", "GET", "/api/v1/tasks/charge-task/leaderboard")).json();
    expect(board.precision).toBeNull();
  });

  it("sends n and nBad of the public part only when the task publishes counts, at its precision", async () => {
    const id = ids["counts-task"];
    const m = (await req("alice", "GET", `/api/v1/tasks/counts-task/submissions/${id}`)).json().publicMetrics;
    const exact = (await req("admin", "GET", `/api/v1/tasks/counts-task/submissions/${id}`)).json()
      .publicMetrics;
    expect(Object.keys(m).sort()).toEqual([...REDUCED_KEYS, "n", "nBad"].sort());
    expect([m.n, m.nBad, m.precision]).toEqual([exact.n, exact.nBad, 2]);
    expect(m.greyZone).toEqual({ savedEffort: roundTo(exact.greyZone.savedEffort, 2) });
    expect(tooPrecise(m, 2)).toEqual([]);
    const task = (await req("alice", "GET", "/api/v1/tasks/counts-task")).json();
    expect(task.metrics).toMatchObject({ precision: 2, publish_counts: true });
  });

  it("hides the split seed from participants until the task closes", async () => {
    const seedOf = async (who: keyof typeof tokens) => {
      const one = (await req(who, "GET", "/api/v1/tasks/charge-task")).json().split;
      const listed = (await req(who, "GET", "/api/v1/tasks"))
        .json()
        .items.find((t: Json) => t.name === "charge-task").split;
      return [one.seed, listed.seed, one.public_seed, listed.public_seed];
    };
    expect(await seedOf("alice")).toEqual([null, null, null, null]);
    // The spec gave no public_seed: the server drew one at publication and keeps it.
    const [seed, listedSeed, drawn, listedDrawn] = await seedOf("admin");
    expect([seed, listedSeed]).toEqual([3, 3]);
    expect(Number.isInteger(drawn)).toBe(true);
    expect(listedDrawn).toBe(drawn);
    expect(JSON.parse((await store.tasks.get("charge-task")).spec).split.public_seed).toBe(drawn);
    const task = (await req("alice", "GET", "/api/v1/tasks/charge-task")).json();
    expect(task.metrics).toMatchObject({ precision: 3, publish_counts: false });
    // Nothing else a participant reads names it: neither the split files' metadata nor any header.
    for (const split of ["train", "test"]) {
      const res = await req("alice", "GET", `/api/v1/tasks/charge-task/splits/${split}`);
      const meta = Object.fromEntries(tableFromIPC(res.rawPayload).schema.metadata);
      expect(Object.keys(meta).filter((k) => /seed/i.test(k))).toEqual([]);
      expect(Object.keys(res.headers).filter((k) => /seed/i.test(k))).toEqual([]);
    }
  });

  it("gives everyone exact metrics and the seed once the task is closed", async () => {
    expect((await req("admin", "POST", "/api/v1/tasks/charge-task/close")).statusCode).toBe(200);
    const id = ids["charge-task"];
    const alice = (await req("alice", "GET", `/api/v1/tasks/charge-task/submissions/${id}`)).json();
    const admin = (await req("admin", "GET", `/api/v1/tasks/charge-task/submissions/${id}`)).json();
    expect([alice.publicMetrics, alice.privateMetrics]).toEqual([admin.publicMetrics, admin.privateMetrics]);
    expect(alice.privateMetrics.greyZone.lowCut).toBeDefined();
    const board = (await req("alice", "GET", "/api/v1/tasks/charge-task/leaderboard")).json();
    expect([board.scores, board.precision]).toEqual(["private", null]);
    const split = (await req("alice", "GET", "/api/v1/tasks/charge-task")).json().split;
    expect(split.seed).toBe(3);
    expect(split.public_seed).toBe(JSON.parse((await store.tasks.get("charge-task")).spec).split.public_seed);
  });

  it("refuses a train split holding a run that another open task withholds, until that task closes", async () => {
    const own = await store.tasks.get("counts-task");
    const train = tableFromIPC(
      (await req("alice", "GET", "/api/v1/tasks/counts-task/splits/train")).rawPayload,
    );
    const run = train.getChild("run")!.get(0) as number;
    // A task whose test split took one of its train runs (which task creation no longer allows).
    const { id } = await store.db
      .insertInto("tasks")
      .values({
        name: "overlapping",
        title: "overlapping",
        description: "",
        dataset_id: own.dataset_id,
        spec: own.spec,
        status: "open",
        train_sha256: own.train_sha256,
        test_sha256: own.test_sha256,
        train_size: 0,
        test_size: 1,
        daily_limit: 1,
        created_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto("task_lumisections")
      .values({ task_id: id, run, lumisection: 1, split: "test", part: "public", bad: 0 })
      .execute();
    const refused = await req("alice", "GET", "/api/v1/tasks/counts-task/splits/train");
    expect([refused.statusCode, refused.json().message]).toEqual([
      403,
      `the train split of 'counts-task' holds labels of run ${run}, withheld while in the test split of open task 'overlapping': it can be downloaded once that task is closed`,
    ]);
    await store.tasks.close("overlapping");
    expect((await req("alice", "GET", "/api/v1/tasks/counts-task/splits/train")).statusCode).toBe(200);
  });
});

describe("metrics settings of a task specification", () => {
  const spec = (metrics: object) => ({ name: "t1", dataset: "ds", features: ["a"], metrics });

  it("defaults to 3 decimal places and no counts", () => {
    expect(checkTaskSpec(spec({})).metrics).toMatchObject({ precision: 3, publish_counts: false });
  });

  it.each([
    [{ precision: 0 }, "metrics.precision must be >= 1"],
    [{ precision: 7 }, "metrics.precision must be <= 6"],
    [{ precision: 2.5 }, "metrics.precision must be integer"],
    [{ publish_counts: "yes" }, "metrics.publish_counts must be boolean"],
  ])("rejects %j", (metrics, message) => {
    expect(() => checkTaskSpec(spec(metrics))).toThrow(`invalid task specification: ${message}`);
  });
});

describe("metricsView", () => {
  const stored = {
    rocAuc: 0.123456,
    averagePrecision: NaN,
    greyZone: {
      savedEffort: 0.5,
      lowCut: 0.1,
      highCut: 0.9,
      autoGood: 3,
      autoBad: 1,
      pollution: 0,
      rejectedGoodFraction: 0,
    },
    recallAtFpr: { "0.01": 1 / 3 },
    n: 7,
    nBad: 3,
    curves: null,
  } satisfies PartMetrics;

  it("leaves NaN (undefined metrics) and missing curves as they are", () => {
    expect(metricsView(stored, { precision: 2, publishCounts: false })).toEqual({
      rocAuc: 0.12,
      averagePrecision: NaN,
      greyZone: { savedEffort: 0.5 },
      recallAtFpr: { "0.01": 0.33 },
      curves: null,
      precision: 2,
    });
    expect(metricsView(stored, null)).toEqual({ ...stored, precision: null });
    expect(metricsView(null, null)).toBeNull();
  });
});
