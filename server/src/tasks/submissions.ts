/**
 * Submissions: validated completely before anything is stored, then scored against the hidden test
 * labels, separately on the public and the private part of the test split. Quota and idempotency are
 * decided inside one transaction that holds a per-(task, user) advisory lock, so concurrent requests to
 * several server processes on one PostgreSQL neither lose nor duplicate submissions.
 */
import { sql, type Kysely } from "kysely";
import type { Store } from "../store/store";
import type { Database } from "../store/schema";
import { ConflictError, InputError } from "../errors";
import { lumiKey } from "../store/lumisections";
import {
  coarseCurves,
  rankByScore,
  scoreRanked,
  type CoarseCurves,
  type Metrics,
  type MetricSettings,
} from "@dqm-playground/scoring";
import type { User } from "../store/users";
import { taskRow, taskSpec, testLumisections, type TaskRow } from "./task-store";
import { storeScores } from "./score-files";
import { metricsView, viewerPolicy, type MetricsView } from "./metrics-view";
import type * as api from "@dqm-playground/api-types";

export interface SubmissionInput {
  method: string;
  description?: string;
  link?: string | null;
  clientVersion?: string | null;
  splitSha256: string;
  idempotencyKey?: string | null;
  runs: Int32Array;
  lumisections: Int32Array;
  scores: Float64Array;
}

export type SubmissionStatus = api.SubmissionStatus;

/**
 * The metrics of one part of the test split with its coarse ROC and grey-zone curves (recall and saved
 * effort at fixed grids, never the exact curves: see scoring/src/coarse-curves.ts). `curves` is null for
 * submissions scored before the service computed them.
 */
export interface PartMetrics extends Metrics {
  curves: CoarseCurves | null;
}

/** Metrics JSON as stored in public_metrics / private_metrics (NaN stored as null), curves filled in. */
export function parseMetrics(json: string | null): PartMetrics | null {
  if (!json) return null;
  const m = JSON.parse(json) as (Metrics & { curves?: CoarseCurves | null }) | null;
  return m ? { ...m, curves: m.curves ?? null } : null;
}

/** Every metric and the coarse curves of one part, from one sort of its scores. */
export function scorePart(scores: Float64Array, labels: Uint8Array, settings: MetricSettings): PartMetrics {
  const ranked = rankByScore(scores, labels);
  return { ...scoreRanked(ranked, settings), curves: coarseCurves(ranked, settings.beta) };
}

/**
 * A submission as the API returns it (the wire type, with NaN where a metric is undefined): its metrics
 * as the viewer may see them (metrics-view.ts).
 */
export type SubmissionView = api.SubmissionOf<MetricsView>;

/** Largest accepted submission, in rows, relative to the test split (room for nothing else). */
export const MAX_ROWS_FACTOR = 1;

/** Checks that the rows cover every test lumisection exactly once with finite scores. */
export function checkRows(
  task: TaskRow,
  test: Array<{ run: number; lumisection: number }>,
  input: SubmissionInput,
): Int32Array {
  const n = input.runs.length;
  if (input.lumisections.length !== n || input.scores.length !== n)
    throw new InputError(
      `run, lumisection and score columns have different lengths (${n}, ${input.lumisections.length}, ${input.scores.length})`,
    );
  if (n > test.length * MAX_ROWS_FACTOR + 1000)
    throw new InputError(
      `${n} rows is more than the ${test.length} lumisections of the test split of '${task.name}'`,
      {},
      413,
    );
  const index = new Map<number, number>();
  test.forEach((t, i) => index.set(lumiKey(t.run, t.lumisection), i));
  const position = new Int32Array(test.length).fill(-1);
  let unknown = 0;
  let firstUnknown = -1;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(input.scores[i]))
      throw new InputError(
        `score of run ${input.runs[i]} ls ${input.lumisections[i]} is ${input.scores[i]}: scores must be finite numbers`,
        { row: i + 1, column: "score" },
      );
    const at = index.get(lumiKey(input.runs[i], input.lumisections[i]));
    if (at === undefined) {
      if (unknown++ === 0) firstUnknown = i;
      continue;
    }
    if (position[at] >= 0)
      throw new InputError(
        `run ${input.runs[i]} ls ${input.lumisections[i]} appears more than once (rows ${position[at] + 1} and ${i + 1})`,
        { row: i + 1 },
      );
    position[at] = i;
  }
  if (unknown > 0)
    throw new InputError(
      `${unknown} unknown lumisection${unknown > 1 ? "s" : ""} (not in the test split), first: run ${input.runs[firstUnknown]} ls ${input.lumisections[firstUnknown]}`,
      { row: firstUnknown + 1 },
    );
  const missing = position.reduce((a, p) => a + (p < 0 ? 1 : 0), 0);
  if (missing > 0) {
    const first = test[position.indexOf(-1)];
    throw new InputError(
      `missing ${missing} lumisection${missing > 1 ? "s" : ""}, first: run ${first.run} ls ${first.lumisection}`,
    );
  }
  return position;
}

function checkMeta(task: TaskRow, input: SubmissionInput): void {
  if (!input.method || !input.method.trim())
    throw new InputError("a method name is required", { column: "method" });
  if (input.method.length > 200)
    throw new InputError("method name is longer than 200 characters", { column: "method" });
  if ((input.description ?? "").length > 20000)
    throw new InputError("description is longer than 20000 characters", { column: "description" });
  if (input.splitSha256 !== task.test_sha256)
    throw new InputError(
      `split hash ${input.splitSha256 || "(none)"} is not the hash of this task's test split (${task.test_sha256}): reload the test split and score it again`,
      { column: "split_sha256" },
    );
}

export async function submit(
  store: Store,
  taskName: string,
  user: User,
  input: SubmissionInput,
  opts: { baseline?: boolean } = {},
): Promise<{ submission: SubmissionView; created: boolean }> {
  const db = store.db;
  const task = await taskRow(db, taskName);
  if (task.status === "closed")
    throw new ConflictError(`task '${task.name}' is closed: it takes no more submissions`);
  checkMeta(task, input);
  const test = await testLumisections(db, task.id);
  const position = checkRows(task, test, input);

  if (input.idempotencyKey) {
    const earlier = await findByKey(db, task.id, user.id, input.idempotencyKey);
    if (earlier) return { submission: await submissionView(db, earlier, user), created: false };
  }
  // The file's temporary folder is kept until the row naming it is committed (see storeScores).
  const scores = await storeScores(store.blocksDir, input);
  const scoresFile = scores.sha256;
  let inserted: { id: number; created: boolean };
  try {
    inserted = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${task.id}, ${user.id})`.execute(trx);
      if (input.idempotencyKey) {
        const earlier = await findByKey(trx, task.id, user.id, input.idempotencyKey);
        if (earlier) return { id: earlier, created: false };
      }
      if (!opts.baseline) {
        const today = await trx
          .selectFrom("submissions")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("task_id", "=", task.id)
          .where("user_id", "=", user.id)
          .where("baseline", "=", false)
          .where("status", "!=", "failed")
          .where(
            "created_at",
            ">=",
            sql<Date>`date_trunc('day', now() at time zone 'utc') at time zone 'utc'`,
          )
          .executeTakeFirstOrThrow();
        if (Number(today.n) >= task.daily_limit)
          throw new InputError(
            `daily limit of ${task.daily_limit} submissions to '${task.name}' reached for user '${user.name}'; it resets at 00:00 UTC`,
            {},
            429,
          );
      }
      const row = await trx
        .insertInto("submissions")
        .values({
          task_id: task.id,
          user_id: user.id,
          method: input.method.trim(),
          description: input.description ?? "",
          link: input.link ?? null,
          client_version: input.clientVersion ?? null,
          split_sha256: input.splitSha256,
          idempotency_key: input.idempotencyKey ?? null,
          status: "accepted",
          failure: null,
          baseline: opts.baseline ?? false,
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
    await scores.release();
  }
  if (inserted.created) await scoreSubmission(db, task, test, position, input.scores, inserted.id);
  return { submission: await submissionView(db, inserted.id, user), created: inserted.created };
}

async function findByKey(
  db: Kysely<Database>,
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

/** Scores the public and private parts; a failure is recorded with its reason instead of lost. */
async function scoreSubmission(
  db: Kysely<Database>,
  task: TaskRow,
  test: Array<{ part: "public" | "private" | null; bad: number }>,
  position: Int32Array,
  scores: Float64Array,
  id: number,
): Promise<void> {
  const m = taskSpec(task).metrics;
  const settings: MetricSettings = { alpha: m.alpha, beta: m.beta, fprTargets: m.fpr_targets };
  try {
    const part = (name: "public" | "private") => {
      const rows = test.map((t, i) => (t.part === name ? i : -1)).filter((i) => i >= 0);
      if (rows.length === 0) return null;
      return scorePart(
        Float64Array.from(rows, (i) => scores[position[i]]),
        Uint8Array.from(rows, (i) => test[i].bad),
        settings,
      );
    };
    await db
      .updateTable("submissions")
      .set({
        status: "scored",
        public_metrics: JSON.stringify(part("public")),
        private_metrics: JSON.stringify(part("private")),
        scored_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
  } catch (err) {
    await db
      .updateTable("submissions")
      .set({
        status: "failed",
        failure: `scoring failed: ${err instanceof Error ? err.message : String(err)}`,
      })
      .where("id", "=", id)
      .execute();
  }
}

export async function submissionView(
  db: Kysely<Database>,
  id: number,
  viewer: User,
): Promise<SubmissionView> {
  const r = await db
    .selectFrom("submissions as s")
    .innerJoin("tasks as t", "t.id", "s.task_id")
    .innerJoin("users as u", "u.id", "s.user_id")
    .selectAll("s")
    .select(["t.name as task", "t.status as task_status", "t.spec as task_spec", "u.name as user"])
    .where("s.id", "=", id)
    .executeTakeFirstOrThrow();
  const showPrivate = r.task_status === "closed" || viewer.role === "admin";
  const policy = viewerPolicy({ status: r.task_status, spec: r.task_spec }, viewer);
  return {
    id: r.id,
    task: r.task,
    user: r.user,
    method: r.method,
    description: r.description,
    link: r.link,
    clientVersion: r.client_version,
    splitSha256: r.split_sha256,
    status: r.status,
    failure: r.failure,
    baseline: r.baseline,
    createdAt: new Date(r.created_at).toISOString(),
    scoredAt: r.scored_at ? new Date(r.scored_at).toISOString() : null,
    publicMetrics: metricsView(parseMetrics(r.public_metrics), policy),
    privateMetrics: showPrivate ? metricsView(parseMetrics(r.private_metrics), policy) : null,
  };
}

/** A user's own submissions to a task (admins may list everyone's). */
export async function listSubmissions(
  db: Kysely<Database>,
  taskName: string,
  viewer: User,
  all: boolean,
): Promise<SubmissionView[]> {
  const task = await taskRow(db, taskName);
  let q = db.selectFrom("submissions").select("id").where("task_id", "=", task.id);
  if (!(all && viewer.role === "admin")) q = q.where("user_id", "=", viewer.id);
  const ids = await q.orderBy("id").execute();
  return Promise.all(ids.map((r) => submissionView(db, r.id, viewer)));
}
