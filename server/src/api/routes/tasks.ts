/** Tasks, their frozen splits, submissions and leaderboards. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  ARROW_STREAM,
  CreatedTaskSchema,
  LeaderboardQuerySchema,
  LeaderboardSchema,
  PageSchema,
  SPLIT_SHA256_HEADER,
  SplitParamsSchema,
  SubmissionBodySchema,
  SubmissionHeadersSchema,
  SubmissionParamsSchema,
  SubmissionQuerySchema,
  SubmissionSchema,
  SubmissionsQuerySchema,
  TaskParamsSchema,
  TaskSchema,
  TaskSpecInputSchema,
  type SubmissionBody,
  type SubmissionQuery,
} from "@dqm-playground/api-types";
import { Type } from "@sinclair/typebox";
import { tableFromIPC, type Table } from "apache-arrow";
import type { Store } from "../../store/store";
import { ArrowStreamSchema, AUTH_ERRORS, BODY_ERRORS, bodyByMediaType, errorResponses } from "../schemas";
import { requireAdmin, requireUser } from "../auth";
import { checkTaskSpec } from "../../tasks/task-spec";
import { createTask } from "../../tasks/create-task";
import { listTasks, taskView } from "../../tasks/task-view";
import {
  checkScoreValues,
  listSubmissions,
  scoresFromArrow,
  submissionView,
  submit,
  type SubmissionInput,
} from "../../tasks/submissions";
import { leaderboard, leaderboardCsv } from "../../tasks/leaderboard";
import { InputError, NotFoundError } from "../../errors";

const MAX_SUBMISSION_BYTES = 64 * 1024 * 1024;

/** A submission's Arrow body: any bytes, checked by the handler (columns run, lumisection, score). */
const ArrowSubmissionSchema = Type.Unsafe<Buffer>({
  description: "Arrow IPC stream with columns run, lumisection, score; the metadata in the query string",
});

/** A leaderboard as CSV (format=csv). */
const CsvSchema = Type.String({ description: "The leaderboard as CSV" });

/**
 * An Arrow submission: the metadata from the query (checked by `submit` as for JSON), the rows by
 * the same value checks as JSON rows and the CLI's files (`scoresFromArrow`).
 */
function fromArrow(body: Buffer, q: SubmissionQuery): SubmissionInput {
  let table: Table;
  try {
    table = tableFromIPC(body);
  } catch (err) {
    throw new InputError(
      `body is not an Arrow IPC stream: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return {
    method: q.method ?? "",
    description: q.description,
    link: q.link ?? null,
    clientVersion: q.client_version ?? null,
    splitSha256: q.split_sha256 ?? "",
    ...scoresFromArrow(table),
  };
}

/** A JSON submission: the schema has checked the types, `checkScoreValues` checks the ranges. */
function fromJson(body: SubmissionBody): SubmissionInput {
  return {
    method: body.method,
    description: body.description,
    link: body.link ?? null,
    clientVersion: body.client_version ?? null,
    splitSha256: body.split_sha256,
    ...checkScoreValues(body.scores.length, (column, i) => body.scores[i][column]),
  };
}

export const taskRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, opts) => {
  const { store } = opts;
  app.addContentTypeParser(
    ARROW_STREAM,
    { parseAs: "buffer", bodyLimit: MAX_SUBMISSION_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.get(
    "/tasks",
    {
      schema: {
        summary: "List tasks",
        tags: ["tasks"],
        response: { 200: PageSchema(TaskSchema), ...errorResponses(...AUTH_ERRORS) },
      },
    },
    async (req) => {
      const items = await listTasks(store, requireUser(req));
      return { items, total: items.length, next: null };
    },
  );

  app.get(
    "/tasks/:task",
    {
      schema: {
        summary: "A task: data set, features, splits with hashes, metric settings",
        tags: ["tasks"],
        params: TaskParamsSchema,
        response: { 200: TaskSchema, ...errorResponses(...AUTH_ERRORS, 404) },
      },
    },
    async (req) => {
      const { task } = req.params;
      return taskView(await store.tasks.get(task), requireUser(req));
    },
  );

  app.post(
    "/tasks",
    {
      schema: {
        summary: "Publish a task (admin)",
        tags: ["tasks"],
        body: TaskSpecInputSchema,
        response: {
          201: CreatedTaskSchema,
          ...errorResponses(...AUTH_ERRORS, ...BODY_ERRORS, 403, 404, 409),
        },
      },
    },
    async (req, reply) => {
      const admin = requireAdmin(req);
      // The body is a TaskSpecInput; checkTaskSpec resolves its defaults and checks the cross-field rules.
      const created = await createTask(store, checkTaskSpec(req.body));
      const view = taskView(await store.tasks.get(created.name), admin);
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
        params: TaskParamsSchema,
        response: { 200: TaskSchema, ...errorResponses(...AUTH_ERRORS, 403, 404, 409) },
      },
    },
    async (req) => {
      const admin = requireAdmin(req);
      const { task } = req.params;
      return taskView(await store.tasks.close(task), admin);
    },
  );

  app.get(
    "/tasks/:task/splits/:split",
    {
      schema: {
        summary: "A split as an Arrow IPC stream (train with labels; test without)",
        tags: ["tasks"],
        params: SplitParamsSchema,
        response: {
          200: { content: { [ARROW_STREAM]: { schema: ArrowStreamSchema } } },
          ...errorResponses(...AUTH_ERRORS, 400, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const { task, split } = req.params;
      const row = await store.tasks.get(task);
      if (split === "train") {
        // A frozen train split carries labels of its runs; one of them may since have entered the
        // test split of another open task, whose labels stay hidden everywhere until it closes.
        const withheld = await store.tasks.trainRunsWithheld(row);
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
      const file = store.splits.open(sha);
      if (!file) throw new NotFoundError(`the ${split} split file of '${task}' is missing from the store`);
      return reply
        .type(ARROW_STREAM)
        .header(SPLIT_SHA256_HEADER, sha)
        .header("etag", `"${sha}"`)
        .header("content-length", file.size)
        .send(file.stream());
    },
  );

  app.post(
    "/tasks/:task/submissions",
    {
      bodyLimit: MAX_SUBMISSION_BYTES,
      schema: {
        summary: "Submit one anomaly score per test lumisection (JSON, or Arrow with metadata in the query)",
        tags: ["submissions"],
        params: TaskParamsSchema,
        headers: SubmissionHeadersSchema,
        querystring: SubmissionQuerySchema,
        body: bodyByMediaType({
          "application/json": SubmissionBodySchema,
          [ARROW_STREAM]: ArrowSubmissionSchema,
        }),
        response: {
          200: SubmissionSchema,
          201: SubmissionSchema,
          ...errorResponses(...AUTH_ERRORS, ...BODY_ERRORS, 404, 409, 429),
        },
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      const { task } = req.params;
      const input = Buffer.isBuffer(req.body) ? fromArrow(req.body, req.query) : fromJson(req.body);
      input.idempotencyKey = req.headers["idempotency-key"] ?? null;
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
        params: TaskParamsSchema,
        querystring: SubmissionsQuerySchema,
        response: { 200: PageSchema(SubmissionSchema), ...errorResponses(...AUTH_ERRORS, 400, 404) },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const { task } = req.params;
      const items = await listSubmissions(store, task, user, req.query.all);
      return { items, total: items.length, next: null };
    },
  );

  app.get(
    "/tasks/:task/submissions/:id",
    {
      schema: {
        summary: "One submission (its author or an admin)",
        tags: ["submissions"],
        params: SubmissionParamsSchema,
        response: { 200: SubmissionSchema, ...errorResponses(...AUTH_ERRORS, 400, 404) },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const { task, id } = req.params;
      const author = await store.submissions.authorOf((await store.tasks.get(task)).id, id);
      if (author === null || (author !== user.id && user.role !== "admin"))
        throw new NotFoundError(`task '${task}' has no submission ${id} of yours`);
      return submissionView(store, id, user);
    },
  );

  app.get(
    "/tasks/:task/leaderboard",
    {
      schema: {
        summary: "Ranked submissions (CSV with format=csv)",
        tags: ["leaderboard"],
        params: TaskParamsSchema,
        querystring: LeaderboardQuerySchema,
        response: {
          200: {
            content: {
              "application/json": { schema: LeaderboardSchema },
              "text/csv": { schema: CsvSchema },
            },
          },
          ...errorResponses(...AUTH_ERRORS, 400, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      const { task } = req.params;
      const q = req.query;
      const board = await leaderboard(store, task, user, {
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
};
