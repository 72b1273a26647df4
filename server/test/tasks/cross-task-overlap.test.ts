/**
 * Several tasks on one data set never leak each other's hidden test labels: no run of any task's train
 * split (an Arrow file with labels) is in the test split of an open task, and a run hidden by two open
 * tasks is in the same part of both. Checked on the split files themselves and on task_lumisections.
 */
import { openTestStore, testEngines, type TestStore as Store } from "../helpers/stores";
import { ingestFixture } from "../helpers/task-fixture";
import { datasetId } from "../../src/store/datasets";
import { createTask, type CreatedTask } from "../../src/tasks/create-task";
import { checkTaskSpec } from "../../src/tasks/task-spec";
import * as runRolesModule from "../../src/store/run-roles";
import { createDemo, demoTaskSpecs } from "../../src/demo/create-demo";

const FIRST_RUN = 200;
const RUNS = Array.from({ length: 24 }, (_, i) => FIRST_RUN + i);
const LS_PER_RUN = 10;
/** Every third run has bad lumisections (8-10): 8 runs with bad lumisections among 24. */
const isBad = (run: number, ls: number) => run % 3 === 0 && ls >= 8;

const LAYOUT = { runs: RUNS, lsPerRun: LS_PER_RUN, isBad };
const loadDataset = (store: Store, name: string) => ingestFixture(store, name, LAYOUT);

function create(
  store: Store,
  dataset: string,
  name: string,
  split: object,
  runs?: object,
): Promise<CreatedTask> {
  return createTask(
    store,
    checkTaskSpec({ name, dataset, features: ["charge"], split, ...(runs ? { runs } : {}) }),
  );
}

interface TaskSplits {
  name: string;
  open: boolean;
  train: Set<number>;
  test: Set<number>;
  /** Run -> part, from task_lumisections. */
  parts: Map<number, string>;
}

const runsOfFile = (store: Store, sha256: string) =>
  new Set(store.splits.read(sha256).getChild("run")!.toArray() as Int32Array);

/** Every task of `dataset` with the runs of its split files; the files must agree with task_lumisections. */
async function taskSplits(store: Store, dataset: string): Promise<TaskSplits[]> {
  const id = await datasetId(store.db, dataset);
  const tasks = await store.db
    .selectFrom("tasks")
    .selectAll()
    .where("dataset_id", "=", id)
    .orderBy("name")
    .execute();
  const out: TaskSplits[] = [];
  for (const t of tasks) {
    const rows = await store.db
      .selectFrom("task_lumisections")
      .select(["run", "split", "part"])
      .distinct()
      .where("task_id", "=", t.id)
      .execute();
    const train = runsOfFile(store, t.train_sha256);
    const test = runsOfFile(store, t.test_sha256);
    expect([...train].sort()).toEqual(
      rows
        .filter((r) => r.split === "train")
        .map((r) => r.run)
        .sort(),
    );
    expect([...test].sort()).toEqual(
      rows
        .filter((r) => r.split === "test")
        .map((r) => r.run)
        .sort(),
    );
    const parts = new Map(rows.filter((r) => r.split === "test").map((r) => [r.run, r.part ?? "none"]));
    out.push({ name: t.name, open: t.status === "open", train, test, parts });
  }
  return out;
}

/** For every pair of tasks: no train run of one is a test run of the other while that one is open; shared hidden runs keep their part. */
async function expectNoCrossTaskLeak(store: Store, dataset: string, expectedTasks: number): Promise<void> {
  const tasks = await taskSplits(store, dataset);
  expect(tasks).toHaveLength(expectedTasks);
  const leaks: string[] = [];
  for (const a of tasks)
    for (const b of tasks) {
      if (!b.open) continue;
      for (const run of a.train)
        if (b.test.has(run)) leaks.push(`${a.name} trains on run ${run} of ${b.name}'s test`);
      if (a.open && a !== b)
        for (const [run, part] of a.parts)
          if (b.parts.has(run) && b.parts.get(run) !== part)
            leaks.push(`run ${run}: ${part} in ${a.name}, ${b.parts.get(run)} in ${b.name}`);
    }
  expect(leaks).toEqual([]);
}

describe.each(testEngines())("splits across the tasks of one data set on %s", (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await openTestStore(engine));
    await loadDataset(store, "ds");
    await loadDataset(store, "ds2");
  });
  afterAll(async () => close());

  it("a chronological task trains before it tests, and names the runs it leaves out and why", async () => {
    const first = await create(store, "ds", "first", { seed: 1 }, { min: 200, max: 215 });
    expect(first.excludedRuns).toEqual([]);
    const chrono = await create(store, "ds", "chrono", {
      strategy: "chronological",
      test_fraction: 0.4,
      seed: 3,
    });
    const tasks = await taskSplits(store, "ds");
    const [a, c] = ["first", "chrono"].map((n) => tasks.find((t) => t.name === n)!);
    // 40% of 24 runs of 10 lumisections: the latest 10 runs, from 214. first's test runs before that
    // cannot be train; its train runs after it cannot be test.
    const start = 214;
    const expected = [
      ...[...a.test]
        .filter((run) => run < start)
        .map((run) => ({
          run,
          reason: `in the test split of open task first (${a.parts.get(run)} part), but before run ${start} where this task's test period starts`,
        })),
      ...[...a.train]
        .filter((run) => run >= start)
        .map((run) => ({
          run,
          reason: `its labels are published by the train split of task first, but it is in this task's test period (from run ${start})`,
        })),
    ].sort((x, y) => x.run - y.run);
    expect(chrono.excludedRuns.length).toBeGreaterThan(0);
    expect(chrono.excludedRuns).toEqual(expected);
    expect(Math.max(...c.train)).toBeLessThan(start);
    expect(Math.min(...c.test)).toBeGreaterThanOrEqual(start);
    for (const [run, part] of a.parts) if (c.parts.has(run)) expect(c.parts.get(run)).toBe(part);
    await expectNoCrossTaskLeak(store, "ds", 2);
  });

  it("a later task keeps open tasks' test runs in test, in their part, and released runs in train", async () => {
    const second = await create(store, "ds", "second", { seed: 2, test_fraction: 0.4 });
    expect(second.excludedRuns).toEqual([]);
    const tasks = await taskSplits(store, "ds");
    const b = tasks.find((t) => t.name === "second")!;
    for (const other of tasks.filter((t) => t !== b)) {
      for (const [run, part] of other.parts) expect([run, b.parts.get(run)]).toEqual([run, part]);
      for (const run of other.train) expect(b.train.has(run)).toBe(true);
    }
    await expectNoCrossTaskLeak(store, "ds", 3);
  });

  it("a task on runs that other tasks fixed completely mirrors their split", async () => {
    const fourth = await create(
      store,
      "ds",
      "fourth",
      { seed: 4, test_fraction: 0.8 },
      { min: 200, max: 215 },
    );
    expect(fourth.excludedRuns).toEqual([]);
    const tasks = await taskSplits(store, "ds");
    const [a, d] = ["first", "fourth"].map((n) => tasks.find((t) => t.name === n)!);
    expect(d.parts).toEqual(a.parts);
    expect(d.train).toEqual(a.train);
    await expectNoCrossTaskLeak(store, "ds", 4);
  });

  it("refuses to store a split made before another task of the data set was published", async () => {
    await loadDataset(store, "ds3");
    await create(store, "ds3", "base", { seed: 1 });
    // As if "base" had been published between this task's split and its insert.
    jest.spyOn(runRolesModule, "runRoles").mockResolvedValueOnce(new Map());
    await expect(create(store, "ds3", "racer", { seed: 9 })).rejects.toThrow(
      "another task of this data set was published or closed while this one was being created: create it again",
    );
    expect(
      await store.db.selectFrom("tasks").select("id").where("name", "=", "racer").executeTakeFirst(),
    ).toBeUndefined();
  });

  it("closing a task releases its runs: later tasks train on them, and nothing is hidden any more", async () => {
    const early = await create(store, "ds2", "early", { seed: 5 }, { min: 200, max: 215 });

    const earlyTest = (await taskSplits(store, "ds2"))[0].test;
    expect([...(await store.tasks.hiddenRuns("ds2"))].sort()).toEqual([...earlyTest].sort());
    expect(early.trainSize + early.testSize).toBe(16 * LS_PER_RUN);
    await store.tasks.close("early");
    expect(await store.tasks.hiddenRuns("ds2")).toEqual(new Set());
    const roles = await store.tasks.runRoles("ds2");
    for (const run of earlyTest)
      expect(roles.get(run)).toEqual({ hiddenIn: [], releasedBy: [{ task: "early", split: "test" }] });

    const late = await create(store, "ds2", "late", { seed: 6 });
    expect(late.excludedRuns).toEqual([]);
    const splits = await taskSplits(store, "ds2");
    const lateSplits = splits.find((t) => t.name === "late")!;
    for (const run of earlyTest) expect(lateSplits.train.has(run)).toBe(true);
    expect([...lateSplits.test].every((r) => r > 215)).toBe(true);
    await expectNoCrossTaskLeak(store, "ds2", 2);
  });

  it("keeps designated reference runs out of every test split: their certification is public", async () => {
    const references = [201, 206, 212, 218, 223];
    await loadDataset(store, "ds-ref");
    await store.setReferenceRuns("ds-ref", references);
    // Chronological first, so that only the designation puts the late references out of its test period.
    const chrono = await create(store, "ds-ref", "ref-chrono", {
      strategy: "chronological",
      test_fraction: 0.4,
      seed: 3,
    });
    const random = await create(store, "ds-ref", "ref-random", { seed: 5, test_fraction: 0.5 });
    expect(random.excludedRuns).toEqual([]);
    const tasks = await taskSplits(store, "ds-ref");
    for (const t of tasks)
      for (const run of references) expect([t.name, run, t.test.has(run)]).toEqual([t.name, run, false]);
    const rnd = tasks.find((t) => t.name === "ref-random")!;
    for (const run of references) expect(rnd.train.has(run)).toBe(true);
    // The chronological task's test period starts at run 214: references after it are left out, named.
    for (const run of [218, 223])
      expect(chrono.excludedRuns).toContainEqual({
        run,
        reason: `its labels are published by its designation as a reference run, but it is in this task's test period (from run 214)`,
      });
    await expectNoCrossTaskLeak(store, "ds-ref", 2);
  });

  it("leaves out a run that an open task hides and a closed task released, and says so", async () => {
    // "copy" mirrors "late" on its test runs; once closed, it has released what "late" still hides.
    await create(store, "ds2", "copy", { seed: 7 }, { min: 210, max: 223 });
    await store.tasks.close("copy");
    const lateTest = (await taskSplits(store, "ds2")).find((t) => t.name === "late")!.test;
    const hiddenHere = (await taskSplits(store, "ds2")).find((t) => t.name === "late")!.parts;
    const first = Math.min(...lateTest);
    await expect(create(store, "ds2", "after", { seed: 8 })).rejects.toThrow(
      `the test split would hold no run; left out: run ${first} (in the test split of open task late (${hiddenHere.get(first)} part) but its labels are published by closed task copy)`,
    );
  });
});

describe("the demo's tasks", () => {
  it("never train on another demo task's hidden test runs", async () => {
    const { store, close } = await openTestStore("pglite");
    try {
      const demo = await createDemo(store, { size: "small" });
      await expectNoCrossTaskLeak(store, demo.dataset, demoTaskSpecs("small", demo.dataset).length);
    } finally {
      await close();
    }
  });
});
