/**
 * Submissions: validated completely before anything is stored, then scored against the hidden test
 * labels, separately on the public and the private part of the test split. The store's submissions
 * repository keeps them; the daily quota is checked inside its transaction (store/submissions.ts).
 */
import type { Store } from "../store/store";
import type { TaskRow } from "../store/tasks";
import { ConflictError, InputError } from "../errors";
import { LUMI_BITS, lumiKey } from "../store/lumisections";
import { DataType, type Table, type Vector } from "apache-arrow";
import { SUBMISSION_LIMITS } from "@dqm-playground/api-types";
import { coarseCurves, rankByScore, scoreRanked, type MetricSettings } from "@dqm-playground/scoring";
import type { User } from "../store/users";
import { taskSpec } from "./task-view";
import { metricsView, parseMetrics, viewerPolicy, type MetricsView, type PartMetrics } from "./metrics-view";
import type * as api from "@dqm-playground/api-types";

export type { PartMetrics } from "./metrics-view";

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

/** The columns of a submission's table, in order. */
export const SCORE_COLUMNS = ["run", "lumisection", "score"] as const;
export type ScoreColumnName = (typeof SCORE_COLUMNS)[number];

/** A submission's rows, checked: what `SubmissionInput` carries. */
export interface CheckedScores {
  runs: Int32Array;
  lumisections: Int32Array;
  scores: Float64Array;
}

const MAX_RUN = SUBMISSION_LIMITS.maxRun;
const MAX_LUMISECTION = SUBMISSION_LIMITS.maxLumisection;

/** A value as the messages show it: null for a missing one, bigints and numbers as written. */
function shown(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/** An integer from 0 to `max`, as a number; null for anything else (fractions, NaN, null, 2^32 + 1). */
function whole(v: unknown, max: number): number | null {
  if (typeof v === "bigint") return v >= 0n && v <= BigInt(max) ? Number(v) : null;
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max ? v : null;
}

/**
 * The value checks of a submission's rows: the one implementation for JSON bodies, Arrow bodies and
 * the CLI's files. `value(column, i)` is the value at row i (0-based) as it arrived (number, bigint,
 * null, ...). Runs and lumisections must be integers from 0 to 2147483647 and scores finite numbers;
 * the first bad value throws an InputError naming its row (1-based) and column. Nothing is truncated
 * or wrapped: the values are exactly the ones sent.
 */
export function checkScoreValues(
  n: number,
  value: (column: ScoreColumnName, i: number) => unknown,
): CheckedScores {
  const runs = new Int32Array(n);
  const lumisections = new Int32Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = value("run", i);
    const run = whole(r, MAX_RUN);
    if (run === null)
      throw new InputError(`run is ${shown(r)}: runs must be integers from 0 to ${MAX_RUN}`, {
        row: i + 1,
        column: "run",
      });
    const l = value("lumisection", i);
    const ls = whole(l, MAX_LUMISECTION);
    if (ls === null)
      throw new InputError(
        `lumisection of run ${run} is ${shown(l)}: lumisections must be integers from 0 to ${MAX_LUMISECTION}`,
        { row: i + 1, column: "lumisection" },
      );
    const s = value("score", i);
    const score = typeof s === "bigint" ? Number(s) : s;
    if (typeof score !== "number" || !Number.isFinite(score))
      throw new InputError(`score of run ${run} ls ${ls} is ${shown(s)}: scores must be finite numbers`, {
        row: i + 1,
        column: "score",
      });
    runs[i] = run;
    lumisections[i] = ls;
    scores[i] = score;
  }
  return { runs, lumisections, scores };
}

/** The values of one column of an Arrow table by row, null where the validity bitmap says so. */
function arrowColumn(table: Table, name: ScoreColumnName): (i: number) => unknown {
  const vector = table.getChild(name) as Vector | null;
  if (!vector) {
    const names = table.schema.fields.map((f) => f.name);
    throw new InputError(
      `no column '${name}': expected columns run, lumisection and score (has ${names.join(", ") || "none"})`,
      { column: name },
    );
  }
  const type = vector.type as DataType;
  if (!DataType.isInt(type) && !DataType.isFloat(type))
    throw new InputError(
      `${name} is a column of ${String(type)}: expected integers or floating-point numbers`,
      { column: name },
    );
  // Half floats come out of toArray() as their raw bits: read them one by one.
  if (DataType.isFloat(type) && (type as { precision: number }).precision === 0)
    return (i) => vector.get(i) as unknown;
  const values = vector.toArray() as ArrayLike<number | bigint>;
  if (vector.nullCount === 0) return (i) => values[i];
  return (i) => (vector.isValid(i) ? values[i] : null);
}

/**
 * The rows of an Arrow table (an uploaded stream, or the CLI's Arrow or Parquet file), checked by
 * `checkScoreValues`: columns run, lumisection and score of any integer or floating-point type.
 */
export function scoresFromArrow(table: Table): CheckedScores {
  const columns = {
    run: arrowColumn(table, "run"),
    lumisection: arrowColumn(table, "lumisection"),
    score: arrowColumn(table, "score"),
  };
  return checkScoreValues(table.numRows, (column, i) => columns[column](i));
}

/**
 * The key of a (run, lumisection) in the test split's index, or null where there is none. `lumiKey`
 * packs the lumisection into 20 bits, so a larger lumisection would alias a lumisection of the next
 * run: no test lumisection is that large (the store keeps them below 2^20), so such a row is unknown.
 */
function testKey(run: number, lumisection: number): number | null {
  return run >= 0 && lumisection >= 0 && lumisection < LUMI_BITS ? lumiKey(run, lumisection) : null;
}

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
  test.forEach((t, i) => {
    const key = testKey(t.run, t.lumisection);
    if (key === null)
      throw new Error(`test lumisection run ${t.run} ls ${t.lumisection} of '${task.name}' is out of range`);
    index.set(key, i);
  });
  const position = new Int32Array(test.length).fill(-1);
  let unknown = 0;
  let firstUnknown = -1;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(input.scores[i]))
      throw new InputError(
        `score of run ${input.runs[i]} ls ${input.lumisections[i]} is ${input.scores[i]}: scores must be finite numbers`,
        { row: i + 1, column: "score" },
      );
    const key = testKey(input.runs[i], input.lumisections[i]);
    const at = key === null ? undefined : index.get(key);
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

/**
 * The metadata checks, the same for JSON and Arrow submissions (and the same messages): the limits
 * are SUBMISSION_LIMITS of the contract (docs/data-formats.md, "Submissions").
 */
function checkMeta(task: TaskRow, input: SubmissionInput): void {
  if (!input.method || !input.method.trim())
    throw new InputError("a method name is required", { column: "method" });
  const tooLong = (column: string, text: string | null | undefined, max: number, what: string) => {
    if ((text ?? "").length > max)
      throw new InputError(`${what} is longer than ${max} characters`, { column });
  };
  tooLong("method", input.method, SUBMISSION_LIMITS.method, "method name");
  tooLong("description", input.description, SUBMISSION_LIMITS.description, "description");
  tooLong("link", input.link, SUBMISSION_LIMITS.link, "link");
  tooLong("client_version", input.clientVersion, SUBMISSION_LIMITS.client_version, "client version");
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
  const task = await store.tasks.get(taskName);
  if (task.status === "closed")
    throw new ConflictError(`task '${task.name}' is closed: it takes no more submissions`);
  checkMeta(task, input);
  const test = await store.tasks.testLumisections(task.id);
  const position = checkRows(task, test, input);

  if (input.idempotencyKey) {
    const earlier = await store.submissions.findByKey(task.id, user.id, input.idempotencyKey);
    if (earlier) return { submission: await submissionView(store, earlier, user), created: false };
  }
  const inserted = await store.submissions.create(
    {
      taskId: task.id,
      userId: user.id,
      method: input.method.trim(),
      description: input.description ?? "",
      link: input.link ?? null,
      clientVersion: input.clientVersion ?? null,
      splitSha256: input.splitSha256,
      idempotencyKey: input.idempotencyKey ?? null,
      baseline: opts.baseline ?? false,
      runs: input.runs,
      lumisections: input.lumisections,
      scores: input.scores,
    },
    (today) => {
      if (today >= task.daily_limit)
        throw new InputError(
          `daily limit of ${task.daily_limit} submissions to '${task.name}' reached for user '${user.name}'; it resets at 00:00 UTC`,
          {},
          429,
        );
    },
  );
  if (inserted.created) await scoreSubmission(store, task, test, position, input.scores, inserted.id);
  return { submission: await submissionView(store, inserted.id, user), created: inserted.created };
}

/** Scores the public and private parts; a failure is recorded with its reason instead of lost. */
async function scoreSubmission(
  store: Store,
  task: TaskRow,
  test: Array<{ part: "public" | "private" | null; bad: number }>,
  position: Int32Array,
  scores: Float64Array,
  id: number,
): Promise<"scored" | "failed" | null> {
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
    const metrics = { public: JSON.stringify(part("public")), private: JSON.stringify(part("private")) };
    // null: another process (a server recovering interrupted submissions) recorded this row first.
    return (await store.submissions.recordScores(id, metrics)) ? "scored" : null;
  } catch (err) {
    const reason = `scoring failed: ${err instanceof Error ? err.message : String(err)}`;
    return (await store.submissions.recordFailure(id, reason)) ? "failed" : null;
  }
}

/** The reason recorded for a submission that a stopped service left unscored, without usable scores. */
export const INTERRUPTED_FAILURE = "interrupted: the service stopped before scoring";

/**
 * Recovery after a crash: finishes or fails every submission that a stopped process left "accepted"
 * (stored by `store.submissions.create`, never scored). One whose score file is there and complete is
 * scored now, by the same code as `submit`; any other is marked failed (INTERRUPTED_FAILURE), so that
 * it leaves the daily quota and a retry with its Idempotency-Key gets a final answer. Called when the
 * service starts (service/serve.ts) and when a CLI command opens the store (cli/store-access.ts).
 * Several servers on one PostgreSQL may run it at once: results are written only to rows still
 * "accepted" (a conditional update), so each row is recorded once.
 */
export async function recoverInterruptedSubmissions(
  store: Store,
): Promise<{ scored: number; failed: number }> {
  const counts = { scored: 0, failed: 0 };
  const fail = async (id: number, reason: string) => {
    if (await store.submissions.recordFailure(id, reason)) counts.failed++;
  };
  const tests = new Map<
    string,
    { task: TaskRow; test: Awaited<ReturnType<Store["tasks"]["testLumisections"]>> }
  >();
  for (const s of await store.submissions.interrupted()) {
    const stored = s.scoresFile ? await store.submissions.readScores(s.scoresFile) : null;
    if (!stored) {
      await fail(s.id, INTERRUPTED_FAILURE);
      continue;
    }
    let frozen = tests.get(s.task);
    if (!frozen) {
      const task = await store.tasks.get(s.task);
      frozen = { task, test: await store.tasks.testLumisections(task.id) };
      tests.set(s.task, frozen);
    }
    let position: Int32Array;
    try {
      position = checkRows(frozen.task, frozen.test, { method: "", splitSha256: "", ...stored });
    } catch (err) {
      await fail(
        s.id,
        `${INTERRUPTED_FAILURE}, and its stored scores do not fit the test split: ${err instanceof Error ? err.message : String(err)}`,
      );
      continue;
    }
    const status = await scoreSubmission(store, frozen.task, frozen.test, position, stored.scores, s.id);
    if (status) counts[status]++;
  }
  return counts;
}

export async function submissionView(store: Store, id: number, viewer: User): Promise<SubmissionView> {
  const r = await store.submissions.get(id);
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
  store: Store,
  taskName: string,
  viewer: User,
  all: boolean,
): Promise<SubmissionView[]> {
  const task = await store.tasks.get(taskName);
  const ids = await store.submissions.ids(task.id, all && viewer.role === "admin" ? null : viewer.id);
  return Promise.all(ids.map((id) => submissionView(store, id, viewer)));
}
