/**
 * Recovery after a crash: a service killed between storing a submission and scoring it leaves the row
 * "accepted" with its score file (store.submissions.create, the first half of `submit`). The crash is
 * simulated by doing exactly that first half through the repository and nothing more (the state a
 * SIGKILL at that moment leaves), then losing or truncating some score files. Opening the store again
 * (PostgreSQL: a server starting on the same database; PGlite in memory cannot be reopened under
 * jest, so the recovery the opening runs is called on the same database) must finish
 * or fail every such row: scored rows reach the leaderboard, failed ones leave the daily quota, and a
 * retry with the same Idempotency-Key gets the recovered row.
 */
import fs from "node:fs";
import { Store } from "../../src/store/store";
import { blockPath } from "../../src/store/block-files";
import { createTask } from "../../src/tasks/create-task";
import { checkTaskSpec } from "../../src/tasks/task-spec";
import { leaderboard } from "../../src/tasks/leaderboard";
import {
  INTERRUPTED_FAILURE,
  recoverInterruptedSubmissions,
  submissionView,
  submit,
  type SubmissionInput,
} from "../../src/tasks/submissions";
import { serve } from "../../src/service/serve";
import type { User } from "../../src/store/users";
import { isBad, loadFixture, TASK_SPEC } from "../helpers/task-fixture";
import { freshOpenedStoreEachTest, testEngines, withInternals, type TestStore } from "../helpers/stores";

describe.each(testEngines())("crash recovery of submissions (%s)", (engine) => {
  const opened = freshOpenedStoreEachTest(engine);
  const getStore = () => opened().store;
  const config = () => opened().home.config;

  async function setUp(store: TestStore) {
    await loadFixture(store);
    await createTask(store, checkTaskSpec(TASK_SPEC)); // daily limit 3
    const task = await store.tasks.get(TASK_SPEC.name);
    const test = store.splits.read(task.test_sha256);
    const runs = test.getChild("run")!.toArray() as Int32Array;
    const lumisections = test.getChild("lumisection")!.toArray() as Int32Array;
    const alice = (await store.users.byName("alice"))!;
    const bob = (await store.users.byName("bob"))!;
    /** Scores that separate the bad lumisections, shifted by `offset` so each file is distinct. */
    const input = (key: string | null, offset: number): SubmissionInput => ({
      method: `m-${key ?? offset}`,
      splitSha256: task.test_sha256,
      idempotencyKey: key,
      runs,
      lumisections,
      scores: Float64Array.from(
        runs,
        (r, i) => (isBad(r, lumisections[i]) ? 1 : 0) + (i % 7) * 0.01 + offset,
      ),
    });
    /** What a process killed after `create` and before scoring leaves behind: the row and its file. */
    const crashAfterCreate = async (user: User, key: string, offset: number) => {
      const s = input(key, offset);
      const { id, created } = await store.submissions.create({
        taskId: task.id,
        userId: user.id,
        method: s.method,
        description: "",
        link: null,
        clientVersion: null,
        splitSha256: s.splitSha256,
        idempotencyKey: key,
        baseline: false,
        runs: s.runs,
        lumisections: s.lumisections,
        scores: s.scores,
      });
      expect(created).toBe(true);
      const row = await store.submissions.get(id);
      expect(row.status).toBe("accepted");
      return { id, file: blockPath(store.blocksDir, row.scores_file!) };
    };
    return { task, alice, bob, input, crashAfterCreate };
  }

  /**
   * Opens the store again as a starting server does and returns what its recovery did. PostgreSQL: a
   * real start-up, `serve` on the same database (a second store), closed at once. PGlite in memory
   * cannot be reopened under jest: the recovery the opening runs is called on the same database.
   */
  async function reopen(store: TestStore): Promise<{ scored: number; failed: number }> {
    if (engine === "pglite") return recoverInterruptedSubmissions(store);
    const before = await store.submissions.interrupted();
    const server = await serve(config(), { port: 0, host: "127.0.0.1", advertise: false, logger: false });
    await server.close();
    const after = await Promise.all(before.map((s) => store.submissions.get(s.id)));
    return {
      scored: after.filter((r) => r.status === "scored").length,
      failed: after.filter((r) => r.status === "failed").length,
    };
  }

  it("rescores a stuck submission from its complete score file and fails those whose file is lost or incomplete", async () => {
    const store = getStore();
    const { alice, bob, input, crashAfterCreate } = await setUp(store);
    const complete = await crashAfterCreate(alice, "key-complete", 0);
    const lost = await crashAfterCreate(alice, "key-lost", 10);
    const truncated = await crashAfterCreate(alice, "key-truncated", 20);
    fs.rmSync(lost.file);
    const bytes = fs.readFileSync(truncated.file);
    fs.chmodSync(truncated.file, 0o644);
    fs.writeFileSync(truncated.file, bytes.subarray(0, bytes.length - 40));

    // Before recovery the crash's rows are stuck and the leaderboard has none of them.
    expect((await leaderboard(store, TASK_SPEC.name, alice, {})).rows).toHaveLength(0);

    expect(await reopen(store)).toEqual({ scored: 1, failed: 2 });
    expect(await store.submissions.interrupted()).toEqual([]);

    const recovered = await submissionView(store, complete.id, alice);
    expect(recovered.status).toBe("scored");
    // The same metrics as the same scores submitted without a crash.
    const fresh = await submit(store, TASK_SPEC.name, bob, input("bob-key", 0));
    expect(fresh.submission.status).toBe("scored");
    expect(recovered.publicMetrics).toEqual(fresh.submission.publicMetrics);
    for (const { id } of [lost, truncated]) {
      const row = await store.submissions.get(id);
      expect(row).toMatchObject({ status: "failed", failure: INTERRUPTED_FAILURE });
    }
    const board = await leaderboard(store, TASK_SPEC.name, alice, {});
    expect(board.rows.map((r) => r.submission).sort()).toEqual([complete.id, fresh.submission.id].sort());

    // A retry with the same Idempotency-Key gets the recovered row, scored or failed, and adds nothing.
    const retry = await submit(store, TASK_SPEC.name, alice, input("key-complete", 0));
    expect(retry).toMatchObject({ created: false, submission: { id: complete.id, status: "scored" } });
    const retryLost = await submit(store, TASK_SPEC.name, alice, input("key-lost", 10));
    expect(retryLost).toMatchObject({
      created: false,
      submission: { id: lost.id, status: "failed", failure: INTERRUPTED_FAILURE },
    });

    // Quota (3 a day): the failed two do not count, the recovered one does: two more, then 429.
    for (const key of ["next-1", "next-2"])
      expect((await submit(store, TASK_SPEC.name, alice, input(key, 30 + key.length))).created).toBe(true);
    await expect(submit(store, TASK_SPEC.name, alice, input("next-3", 40))).rejects.toMatchObject({
      statusCode: 429,
    });
  });

  it("does not count a submission a crash left unscored against the daily limit, even before recovery", async () => {
    const store = getStore();
    const { alice, input, crashAfterCreate } = await setUp(store);
    // Three stuck rows from a crash more than the in-flight window ago (another server's, say).
    for (const key of ["a", "b", "c"]) {
      const { id } = await crashAfterCreate(alice, key, key.charCodeAt(0));
      await store.db
        .updateTable("submissions")
        .set({ created_at: new Date(Date.now() - 20 * 60_000) })
        .where("id", "=", id)
        .execute();
    }
    const next = await submit(store, TASK_SPEC.name, alice, input("d", 200));
    expect(next).toMatchObject({ created: true, submission: { status: "scored" } });
  });

  it("records each interrupted submission once when two processes recover at the same time", async () => {
    const store = getStore();
    const { alice, crashAfterCreate } = await setUp(store);
    const stuck = [
      await crashAfterCreate(alice, "x", 1),
      await crashAfterCreate(alice, "y", 2),
      await crashAfterCreate(alice, "z", 3),
    ];
    fs.rmSync(stuck[2].file);
    // A second process on the same database (PostgreSQL: a second store; PGlite is single-process).
    const other = engine === "postgres" ? withInternals(await Store.open(config())) : store;
    try {
      const both = await Promise.all([
        recoverInterruptedSubmissions(store),
        recoverInterruptedSubmissions(other),
      ]);
      expect(both[0].scored + both[1].scored).toBe(2);
      expect(both[0].failed + both[1].failed).toBe(1);
      const rows = await Promise.all(stuck.map(({ id }) => store.submissions.get(id)));
      expect(rows.map((r) => r.status)).toEqual(["scored", "scored", "failed"]);
    } finally {
      if (other !== store) await other.close();
    }
  });
});
