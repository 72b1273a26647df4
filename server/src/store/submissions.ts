/**
 * The submissions repository: submitted scores (kept as content-addressed Arrow files beside the
 * blocks: run, lumisection, score) and their rows with status and metrics. Quota and idempotency are
 * decided inside one transaction that holds a per-(task, user) advisory lock, so concurrent requests to
 * several server processes on one PostgreSQL neither lose nor duplicate submissions. Validation and
 * scoring live in server/src/tasks/submissions.ts.
 */
import crypto from "node:crypto";
import fsp from "node:fs/promises";
import { sql, type Kysely, type Transaction } from "kysely";
import { Field, Float64, Int32, makeData, Schema, tableFromIPC } from "apache-arrow";
import type { Database } from "./schema";
import { blockPath, stageFiles } from "./block-files";
import { batchFromColumns, int32Data } from "../histograms/arrow-layout";

export const scoresSchema = new Schema([
  new Field("run", new Int32(), false),
  new Field("lumisection", new Int32(), false),
  new Field("score", new Float64(), false),
]);

type Db = Kysely<Database>;

/**
 * How long a submission may stay "accepted" (stored, being scored) and still count against the daily
 * limit: scoring takes seconds, so an older accepted row is one a crash left behind, and it must not
 * cost its author a submission. Rows being scored right now do count, so a burst of parallel requests
 * cannot pass the limit.
 */
export const IN_FLIGHT_MINUTES = 10;

/** A submission stored but never scored: its process stopped between `create` and the scoring. */
export interface InterruptedSubmission {
  id: number;
  task: string;
  scoresFile: string | null;
}

/** The submitted scores as stored in a submission's file. */
export interface StoredScores {
  runs: Int32Array;
  lumisections: Int32Array;
  scores: Float64Array;
}

/** What is stored of a new submission (its metrics come later: `recordScores`). */
export interface NewSubmission {
  taskId: number;
  userId: number;
  method: string;
  description: string;
  link: string | null;
  clientVersion: string | null;
  splitSha256: string;
  idempotencyKey: string | null;
  baseline: boolean;
  runs: Int32Array;
  lumisections: Int32Array;
  scores: Float64Array;
}

export class SubmissionRepository {
  constructor(
    private readonly db: Db,
    private readonly blocksDir: string,
  ) {}

  /** The submission this user made to this task with this idempotency key, if any. */
  async findByKey(taskId: number, userId: number, key: string): Promise<number | null> {
    return findByKey(this.db, taskId, userId, key);
  }

  /**
   * Stores the scores file and the submission's row (status "accepted"). Under the per-(task, user)
   * lock: an earlier submission with the same idempotency key is returned instead (created false), and
   * `checkQuota` (for non-baseline submissions) gets the user's count of today's (UTC) submissions to
   * the task that were scored or are being scored (accepted in the last IN_FLIGHT_MINUTES; a failed
   * submission, or one a crash left unscored, does not count) and may throw to refuse this one.
   */
  async create(
    s: NewSubmission,
    checkQuota?: (submittedToday: number) => void,
  ): Promise<{ id: number; created: boolean }> {
    // The file's staging folder is kept until the row naming it is committed (see StagedFiles).
    const staged = await stageFiles(this.blocksDir);
    try {
      const scoresFile = await staged.write("scores.arrow", [
        batchFromColumns(scoresSchema, [
          int32Data(s.runs),
          int32Data(s.lumisections),
          makeData({ type: new Float64(), length: s.scores.length, data: s.scores }),
        ]),
      ]);
      return await this.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${s.taskId}, ${s.userId})`.execute(trx);
        if (s.idempotencyKey) {
          const earlier = await findByKey(trx, s.taskId, s.userId, s.idempotencyKey);
          if (earlier) return { id: earlier, created: false };
        }
        if (!s.baseline && checkQuota) {
          const today = await trx
            .selectFrom("submissions")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("task_id", "=", s.taskId)
            .where("user_id", "=", s.userId)
            .where("baseline", "=", false)
            .where((eb) =>
              eb.or([
                eb("status", "=", "scored"),
                eb.and([
                  eb("status", "=", "accepted"),
                  eb("created_at", ">", sql<Date>`now() - make_interval(mins => ${IN_FLIGHT_MINUTES})`),
                ]),
              ]),
            )
            .where(
              "created_at",
              ">=",
              sql<Date>`date_trunc('day', now() at time zone 'utc') at time zone 'utc'`,
            )
            .executeTakeFirstOrThrow();
          checkQuota(Number(today.n));
        }
        const row = await trx
          .insertInto("submissions")
          .values({
            task_id: s.taskId,
            user_id: s.userId,
            method: s.method,
            description: s.description,
            link: s.link,
            client_version: s.clientVersion,
            split_sha256: s.splitSha256,
            idempotency_key: s.idempotencyKey,
            status: "accepted",
            failure: null,
            baseline: s.baseline,
            scores_file: scoresFile,
            public_metrics: null,
            private_metrics: null,
            scored_at: null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        return { id: row.id, created: true };
      });
    } finally {
      await staged.release();
    }
  }

  /**
   * Marks the submission scored with the metrics JSON of both parts. Only an "accepted" row changes (a
   * conditional update: when two processes score the same row, e.g. two servers recovering it at
   * start-up, the first one's answer stays); false when the row was no longer accepted.
   */
  async recordScores(id: number, metrics: { public: string; private: string }): Promise<boolean> {
    const r = await this.db
      .updateTable("submissions")
      .set({
        status: "scored",
        public_metrics: metrics.public,
        private_metrics: metrics.private,
        scored_at: new Date(),
      })
      .where("id", "=", id)
      .where("status", "=", "accepted")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Marks an "accepted" submission failed, with the reason; false when it was no longer accepted. */
  async recordFailure(id: number, failure: string): Promise<boolean> {
    const r = await this.db
      .updateTable("submissions")
      .set({ status: "failed", failure })
      .where("id", "=", id)
      .where("status", "=", "accepted")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Deletes a failed submission (its score file, if any, goes with the next opening's orphan sweep);
   * false when it is not failed. For the demo, which replaces a baseline that a crash left failed.
   */
  async removeFailed(id: number): Promise<boolean> {
    const r = await this.db
      .deleteFrom("submissions")
      .where("id", "=", id)
      .where("status", "=", "failed")
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The submissions still "accepted" (stored, never scored), oldest first: recovery after a crash. */
  async interrupted(): Promise<InterruptedSubmission[]> {
    const rows = await this.db
      .selectFrom("submissions as s")
      .innerJoin("tasks as t", "t.id", "s.task_id")
      .select(["s.id", "t.name as task", "s.scores_file"])
      .where("s.status", "=", "accepted")
      .orderBy("s.id")
      .execute();
    return rows.map((r) => ({ id: r.id, task: r.task, scoresFile: r.scores_file }));
  }

  /**
   * The scores stored in a submission's file, or null when the file is missing or not complete (its
   * bytes no longer hash to its name, or it does not decode to the three columns).
   */
  async readScores(file: string): Promise<StoredScores | null> {
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(blockPath(this.blocksDir, file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    if (crypto.createHash("sha256").update(bytes).digest("hex") !== file) return null;
    try {
      const table = tableFromIPC(bytes);
      const column = (name: string) => table.getChild(name)?.toArray();
      const runs = column("run");
      const lumisections = column("lumisection");
      const scores = column("score");
      if (!(runs instanceof Int32Array) || !(lumisections instanceof Int32Array)) return null;
      if (!(scores instanceof Float64Array)) return null;
      return { runs, lumisections, scores };
    } catch {
      return null;
    }
  }

  /** One submission with its task and author (throws when there is none). */
  get(id: number) {
    return this.db
      .selectFrom("submissions as s")
      .innerJoin("tasks as t", "t.id", "s.task_id")
      .innerJoin("users as u", "u.id", "s.user_id")
      .selectAll("s")
      .select(["t.name as task", "t.status as task_status", "t.spec as task_spec", "u.name as user"])
      .where("s.id", "=", id)
      .executeTakeFirstOrThrow();
  }

  /** Ids of a task's submissions, oldest first: one user's, or everyone's when `userId` is null. */
  async ids(taskId: number, userId: number | null): Promise<number[]> {
    let q = this.db.selectFrom("submissions").select("id").where("task_id", "=", taskId);
    if (userId !== null) q = q.where("user_id", "=", userId);
    return (await q.orderBy("id").execute()).map((r) => r.id);
  }

  /** The author's user id of submission `id` of the task, or null when the task has no such submission. */
  async authorOf(taskId: number, id: number): Promise<number | null> {
    const row = await this.db
      .selectFrom("submissions")
      .select(["id", "user_id"])
      .where("id", "=", id)
      .where("task_id", "=", taskId)
      .executeTakeFirst();
    return row?.user_id ?? null;
  }

  /** The scored submissions of a task with their authors' names (for the leaderboard). */
  scored(taskId: number) {
    return this.db
      .selectFrom("submissions as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .select([
        "s.id",
        "s.method",
        "s.description",
        "s.link",
        "s.baseline",
        "s.created_at",
        "s.public_metrics",
        "s.private_metrics",
        "s.user_id",
        "u.name as user",
      ])
      .where("s.task_id", "=", taskId)
      .where("s.status", "=", "scored")
      .execute();
  }

  /** How many submissions the task has (any status); `baseline` counts only baselines (true) or others (false). */
  async count(taskId: number, opts: { baseline?: boolean } = {}): Promise<number> {
    let q = this.db
      .selectFrom("submissions")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("task_id", "=", taskId);
    if (opts.baseline !== undefined) q = q.where("baseline", "=", opts.baseline);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }
}

async function findByKey(
  db: Db | Transaction<Database>,
  taskId: number,
  userId: number,
  key: string,
): Promise<number | null> {
  const row = await db
    .selectFrom("submissions")
    .select("id")
    .where("task_id", "=", taskId)
    .where("user_id", "=", userId)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  return row?.id ?? null;
}
