/**
 * An interrupted `demo` run again converges to the complete demo: each part (histograms, metadata,
 * certification, reference runs, each task, each baseline) is checked on its own. The interruption is
 * real: the store's submissions repository throws on the second baseline it is asked to store (what a
 * killed process leaves: the first task with one baseline, the second task missing), and, after the
 * rerun, one baseline row is deleted and another is left failed (a crash that lost its score file).
 * The result is compared with a fresh demo in another store: the same tasks and splits, the same
 * baselines with the same scores, nothing more.
 */
import {
  createDemo,
  demoDatasetName,
  demoTaskSpecs,
  DEMO_BASELINE_METHODS,
} from "../../src/demo/create-demo";
import { BASELINE_USER, RANDOM_METHOD, RUN_MEDIAN_METHOD } from "../../src/tasks/baselines";
import { openTestStore, testEngines, type TestStore } from "../helpers/stores";

const SIZE = "small" as const;

/** What a finished demo is made of, as comparable values. */
async function snapshot(store: TestStore) {
  const dataset = demoDatasetName(SIZE);
  const tasks = [];
  for (const spec of demoTaskSpecs(SIZE, dataset)) {
    const task = await store.tasks.find(spec.name);
    if (!task) {
      tasks.push({ name: spec.name, missing: true });
      continue;
    }
    const baselines = (await store.submissions.scored(task.id))
      .map((s) => ({
        method: s.method,
        baseline: s.baseline,
        user: s.user,
        public: s.public_metrics,
        private: s.private_metrics,
      }))
      .sort((a, b) => a.method.localeCompare(b.method));
    tasks.push({
      name: task.name,
      train: task.train_sha256,
      test: task.test_sha256,
      submissions: await store.submissions.count(task.id),
      baselines,
    });
  }
  return {
    datasets: (await store.datasets()).map((d) => JSON.stringify(d)),
    golden: await store.hasCertification(dataset, "golden"),
    dcs: await store.hasCertification(dataset, "dcs"),
    referenceRuns: (await store.referenceRuns(dataset)).map((r) => r.run),
    tasks,
  };
}

describe.each(testEngines())("an interrupted demo converges (%s)", (engine) => {
  it("completes a demo interrupted between two baselines, then replaces a deleted and a failed baseline, and equals a fresh demo", async () => {
    const fresh = await openTestStore(engine);
    let expected: Awaited<ReturnType<typeof snapshot>>;
    try {
      expect((await createDemo(fresh.store, { size: SIZE })).created).toBe(true);
      expected = await snapshot(fresh.store);
    } finally {
      await fresh.close();
    }
    const [pixel, tracker] = demoTaskSpecs(SIZE, demoDatasetName(SIZE)).map((s) => s.name);
    expect(expected.tasks.map((t) => t.name)).toEqual([pixel, tracker]);
    for (const t of expected.tasks)
      expect((t as { baselines: Array<{ method: string }> }).baselines.map((b) => b.method).sort()).toEqual(
        [...DEMO_BASELINE_METHODS].sort(),
      );

    const { store, close } = await openTestStore(engine);
    try {
      // Interrupted: the second baseline submission never gets stored.
      const create = store.submissions.create.bind(store.submissions);
      let calls = 0;
      store.submissions.create = async (...args) => {
        if (++calls === 2) throw new Error("killed");
        return create(...args);
      };
      await expect(createDemo(store, { size: SIZE })).rejects.toThrow("killed");
      store.submissions.create = create;
      const interrupted = await snapshot(store);
      expect(interrupted.tasks[0]).toMatchObject({ name: pixel, submissions: 1 });
      expect(interrupted.tasks[1]).toEqual({ name: tracker, missing: true });

      const resumed = await createDemo(store, { size: SIZE });
      expect(resumed.created).toBe(true);
      expect(resumed.made).toEqual([`baselines of ${pixel}`, `task ${tracker}`, `baselines of ${tracker}`]);
      expect(await snapshot(store)).toEqual(expected);

      // A baseline row lost, another failed by the crash recovery (its score file was gone).
      const user = (await store.users.byName(BASELINE_USER))!;
      const trackerTask = await store.tasks.get(tracker);
      const pixelTask = await store.tasks.get(pixel);
      const lost = (await store.submissions.findByKey(trackerTask.id, user.id, RUN_MEDIAN_METHOD))!;
      await store.db.deleteFrom("submissions").where("id", "=", lost).execute();
      const failed = (await store.submissions.findByKey(pixelTask.id, user.id, RANDOM_METHOD))!;
      await store.db
        .updateTable("submissions")
        .set({
          status: "failed",
          failure: "interrupted: the service stopped before scoring",
          public_metrics: null,
        })
        .where("id", "=", failed)
        .execute();
      const repaired = await createDemo(store, { size: SIZE });
      expect(repaired.made).toEqual([`baselines of ${pixel}`, `baselines of ${tracker}`]);
      expect(await snapshot(store)).toEqual(expected);

      expect(await createDemo(store, { size: SIZE })).toMatchObject({ created: false, made: [] });
    } finally {
      await close();
    }
  });
});
