/** Tasks, their frozen splits, submissions and leaderboards. */
import fs from "node:fs";
import type { FastifyInstance } from "fastify";
import { tableFromIPC, type Table } from "apache-arrow";
import type { Store } from "../../store/store";
import { blockPath } from "../../store/block-files";
import { errorResponses } from "../schemas";
import { requireAdmin, requireUser } from "../auth";
import { ARROW_STREAM } from "./histograms";
import { checkTaskSpec, taskSpecSchema } from "../../tasks/task-spec";
import { createTask } from "../../tasks/create-task";
import { closeTask, listTasks, taskRow, taskView, trainRunsWithheld } from "../../tasks/task-store";
import { listSubmissions, submissionView, submit, type SubmissionInput } from "../../tasks/submissions";
import { leaderboard, leaderboardCsv, type ScoreSet } from "../../tasks/leaderboard";
import { InputError, NotFoundError } from "../../errors";

const taskParams = { type: "object", properties: { task: { type: "string" } }, required: ["task"] } as const;
const MAX_SUBMISSION_BYTES = 64 * 1024 * 1024;

const nullableNumber = { type: ["number", "null"] } as const;
const numbers = (description: string) => ({ type: "array", items: { type: "number" }, description }) as const;

/** Coarse curves (docs/metrics.md): fixed grids only, never the exact curves, which would give the labels away. */
const curvesSchema = {
  type: ["object", "null"],
  description:
    "Coarse ROC and grey-zone curves at fixed grids (null for submissions scored before curves existed)",
  properties: {
    roc: {
      type: "object",
      properties: {
        fpr: numbers("the fixed false-positive rates"),
        tpr: {
          type: "array",
          items: nullableNumber,
          description: "recall at each FPR: the largest TPR whose FPR <= fpr[k] (null if a class is absent)",
        },
      },
      required: ["fpr", "tpr"],
    },
    greyZone: {
      type: "object",
      properties: {
        beta: { type: "number", description: "the task's beta" },
        alpha: numbers("the fixed allowed pollutions"),
        savedEffort: numbers("the exact grey-zone saved effort at each alpha and beta"),
      },
      required: ["beta", "alpha", "savedEffort"],
    },
  },
  required: ["roc", "greyZone"],
} as const;

/** One part's metrics (docs/metrics.md); reduced for participants while the task is open. */
const metricsSchema = {
  type: ["object", "null"],
  additionalProperties: true,
  properties: {
    rocAuc: nullableNumber,
    averagePrecision: nullableNumber,
    greyZone: {
      type: "object",
      additionalProperties: true,
      description:
        "Grey zone; participants get savedEffort only while the task is open (the cuts and counts would give labels away)",
      properties: {
        savedEffort: nullableNumber,
        lowCut: nullableNumber,
        highCut: nullableNumber,
        autoGood: { type: "integer" },
        autoBad: { type: "integer" },
        pollution: nullableNumber,
        rejectedGoodFraction: nullableNumber,
      },
    },
    recallAtFpr: { type: "object", additionalProperties: nullableNumber },
    n: {
      type: "integer",
      description: "Lumisections of the part (participants: only if the task publishes counts)",
    },
    nBad: { type: "integer", description: "Bad lumisections of the part (as n)" },
    curves: curvesSchema,
    precision: {
      type: ["integer", "null"],
      description:
        "Decimal places the values were rounded to (the task's metrics.precision); null when exact",
    },
  },
} as const;
const submissionSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    task: { type: "string" },
    user: { type: "string" },
    method: { type: "string" },
    description: { type: "string" },
    link: { type: ["string", "null"] },
    clientVersion: { type: ["string", "null"] },
    splitSha256: { type: "string" },
    status: { type: "string", enum: ["accepted", "scored", "failed"] },
    failure: { type: ["string", "null"] },
    baseline: { type: "boolean" },
    createdAt: { type: "string" },
    scoredAt: { type: ["string", "null"] },
    publicMetrics: metricsSchema,
    privateMetrics: metricsSchema,
  },
} as const;

const leaderboardSchema = {
  type: "object",
  properties: {
    task: { type: "string" },
    status: { type: "string", enum: ["open", "closed"] },
    scores: { type: "string", enum: ["public", "private"] },
    bestPerUser: { type: "boolean" },
    precision: {
      type: ["integer", "null"],
      description: "Decimal places the metrics were rounded to and ranked on; null when exact",
    },
    rows: {
      type: "array",
      items: {
        type: "object",
        properties: {
          rank: { type: "integer" },
          submission: { type: "integer" },
          user: { type: "string" },
          method: { type: "string" },
          description: { type: "string" },
          link: { type: ["string", "null"] },
          baseline: { type: "boolean" },
          mine: { type: "boolean" },
          submittedAt: { type: "string" },
          rocAuc: nullableNumber,
          averagePrecision: nullableNumber,
          savedEffort: nullableNumber,
          recallAtFpr: { type: "object", additionalProperties: nullableNumber },
          curves: curvesSchema,
        },
      },
    },
  },
} as const;

interface JsonSubmission {
  method: string;
  description?: string;
  link?: string;
  client_version?: string;
  split_sha256: string;
  scores: Array<{ run: number; lumisection: number; score: number }>;
}

interface SubmissionQuery {
  method?: string;
  description?: string;
  link?: string;
  client_version?: string;
  split_sha256?: string;
}

function fromArrow(body: Buffer, q: SubmissionQuery): SubmissionInput {
  let table: Table;
  try {
    table = tableFromIPC(body);
  } catch (err) {
    throw new InputError(
      `body is not an Arrow IPC stream: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const col = (name: string) => {
    const c = table.getChild(name);
    if (!c)
      throw new InputError(`Arrow body lacks column '${name}': expected run, lumisection, score`, {
        column: name,
      });
    return c;
  };
  const run = col("run");
  const ls = col("lumisection");
  const score = col("score");
  return {
    method: q.method ?? "",
    description: q.description,
    link: q.link ?? null,
    clientVersion: q.client_version ?? null,
    splitSha256: q.split_sha256 ?? "",
    runs: Int32Array.from(run.toArray() as ArrayLike<number>, Number),
    lumisections: Int32Array.from(ls.toArray() as ArrayLike<number>, Number),
    scores: Float64Array.from(score.toArray() as ArrayLike<number>, (v) => (v === null ? NaN : Number(v))),
  };
}

function fromJson(body: JsonSubmission): SubmissionInput {
  return {
    method: body.method,
    description: body.description,
    link: body.link ?? null,
    clientVersion: body.client_version ?? null,
    splitSha256: body.split_sha256,
    runs: Int32Array.from(body.scores, (r) => r.run),
    lumisections: Int32Array.from(body.scores, (r) => r.lumisection),
    scores: Float64Array.from(body.scores, (r) => r.score),
  };
}

export async function taskRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  const { store } = opts;
  app.addContentTypeParser(
    ARROW_STREAM,
    { parseAs: "buffer", bodyLimit: MAX_SUBMISSION_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.get(
    "/tasks",
    { schema: { summary: "List tasks", tags: ["tasks"], response: errorResponses } },
    async (req) => {
      const items = await listTasks(store.db, requireUser(req));
      return { items, total: items.length, next: null };
    },
  );

  app.get(
    "/tasks/:task",
    {
      schema: {
        summary: "A task: data set, features, splits with hashes, metric settings",
        tags: ["tasks"],
        params: taskParams,
      },
    },
    async (req) => {
      const { task } = req.params as { task: string };
      return taskView(store.db, await taskRow(store.db, task), requireUser(req));
    },
  );

  app.post(
    "/tasks",
    { schema: { summary: "Publish a task (admin)", tags: ["tasks"], body: taskSpecSchema } },
    async (req, reply) => {
      const admin = requireAdmin(req);
      const created = await createTask(store, checkTaskSpec(req.body));
      const view = await taskView(store.db, await taskRow(store.db, created.name), admin);
      // Runs other tasks kept out of this one, with why: for the admin who published it (the CLI prints them).
      return reply.status(201).send({ ...view, excludedRuns: created.excludedRuns });
    },
  );

  app.post(
    "/tasks/:task/close",
    {
      schema: {
        summary: "Close a task: reveals private scores (admin)",
        tags: ["tasks"],
        params: taskParams,
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const { task } = req.params as { task: string };
      return taskView(store.db, await closeTask(store.db, task), admin);
    },
  );

  app.get(
    "/tasks/:task/splits/:split",
    {
      schema: {
        summary: "A split as an Arrow IPC stream (train with labels; test without)",
        tags: ["tasks"],
        params: {
          type: "object",
          properties: { task: { type: "string" }, split: { type: "string", enum: ["train", "test"] } },
          required: ["task", "split"],
        },
      },
    },
    async (req, reply) => {
      const { task, split } = req.params as { task: string; split: "train" | "test" };
      const row = await taskRow(store.db, task);
      if (split === "train") {
        // A frozen train split carries labels of its runs; one of them may since have entered the
        // test split of another open task, whose labels stay hidden everywhere until it closes.
        const withheld = await trainRunsWithheld(store.db, row);
        if (withheld.length > 0) {
          const runs = [...new Set(withheld.map((w) => w.run))];
          const tasks = [...new Set(withheld.map((w) => `'${w.task}'`))];
          const several = tasks.length > 1;
          throw new InputError(
            `the train split of '${task}' holds labels of run${runs.length > 1 ? "s" : ""} ${runs.join(", ")}, ` +
              `withheld while in the test split of open task${several ? "s" : ""} ${tasks.join(", ")}: ` +
              `it can be downloaded once ${several ? "they are" : "that task is"} closed`,
            {},
            403,
          );
        }
      }
      const sha = split === "train" ? row.train_sha256 : row.test_sha256;
      const file = blockPath(store.blocksDir, sha);
      if (!fs.existsSync(file))
        throw new NotFoundError(`the ${split} split file of '${task}' is missing from the store`);
      return reply
        .type(ARROW_STREAM)
        .header("x-split-sha256", sha)
        .header("etag", `"${sha}"`)
        .header("content-length", fs.statSync(file).size)
        .send(fs.createReadStream(file));
    },
  );

  app.post(
    "/tasks/:task/submissions",
    {
      bodyLimit: MAX_SUBMISSION_BYTES,
      schema: {
        summary: "Submit one anomaly score per test lumisection (JSON, or Arrow with metadata in the query)",
        tags: ["submissions"],
        params: taskParams,
        headers: { type: "object", properties: { "idempotency-key": { type: "string", maxLength: 200 } } },
        querystring: {
          type: "object",
          properties: {
            method: { type: "string" },
            description: { type: "string" },
            link: { type: "string" },
            client_version: { type: "string" },
            split_sha256: { type: "string" },
          },
        },
        body: {
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["method", "split_sha256", "scores"],
                properties: {
                  method: { type: "string", minLength: 1, maxLength: 200 },
                  description: { type: "string", maxLength: 20000 },
                  link: { type: "string", maxLength: 2000 },
                  client_version: { type: "string", maxLength: 100 },
                  split_sha256: { type: "string" },
                  scores: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["run", "lumisection", "score"],
                      properties: {
                        run: { type: "integer" },
                        lumisection: { type: "integer" },
                        score: { type: "number" },
                      },
                    },
                  },
                },
              },
            },
            [ARROW_STREAM]: { schema: {} },
          },
        },
        response: { 200: submissionSchema, 201: submissionSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      const { task } = req.params as { task: string };
      const input = Buffer.isBuffer(req.body)
        ? fromArrow(req.body, req.query as SubmissionQuery)
        : fromJson(req.body as JsonSubmission);
      input.idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const { submission, created } = await submit(store, task, user, input);
      return reply.status(created ? 201 : 200).send(submission);
    },
  );

  app.get(
    "/tasks/:task/submissions",
    {
      schema: {
        summary: "Your submissions to a task with their status (admins: all=true for everyone's)",
        tags: ["submissions"],
        params: taskParams,
        querystring: { type: "object", properties: { all: { type: "boolean", default: false } } },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const { task } = req.params as { task: string };
      const items = await listSubmissions(store.db, task, user, (req.query as { all: boolean }).all);
      return { items, total: items.length, next: null };
    },
  );

  app.get(
    "/tasks/:task/submissions/:id",
    {
      schema: {
        summary: "One submission (its author or an admin)",
        tags: ["submissions"],
        params: {
          type: "object",
          properties: { task: { type: "string" }, id: { type: "integer" } },
          required: ["task", "id"],
        },
        response: { 200: submissionSchema, ...errorResponses },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const { task, id } = req.params as { task: string; id: number };
      const row = await taskRow(store.db, task);
      const sub = await store.db
        .selectFrom("submissions")
        .select(["id", "user_id"])
        .where("id", "=", id)
        .where("task_id", "=", row.id)
        .executeTakeFirst();
      if (!sub || (sub.user_id !== user.id && user.role !== "admin"))
        throw new NotFoundError(`task '${task}' has no submission ${id} of yours`);
      return submissionView(store.db, id, user);
    },
  );

  app.get(
    "/tasks/:task/leaderboard",
    {
      schema: {
        summary: "Ranked submissions (CSV with format=csv)",
        tags: ["leaderboard"],
        params: taskParams,
        querystring: {
          type: "object",
          properties: {
            scores: { type: "string", enum: ["public", "private"] },
            best_per_user: { type: "boolean", default: false },
            format: { type: "string", enum: ["json", "csv"], default: "json" },
          },
        },
        response: { 200: leaderboardSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      const { task } = req.params as { task: string };
      const q = req.query as { scores?: ScoreSet; best_per_user: boolean; format: "json" | "csv" };
      const board = await leaderboard(store.db, task, user, {
        scores: q.scores,
        bestPerUser: q.best_per_user,
      });
      if (q.format === "csv")
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${task}-leaderboard.csv"`)
          .send(leaderboardCsv(board));
      return board;
    },
  );
}
