/**
 * One task of the service: its description, its splits as Arrow tables, submissions and the
 * leaderboard. A submission names the test split its scores were made on by its sha256.
 */
import { randomUUID } from "node:crypto";
import { SPLIT_SHA256_HEADER } from "@dqm-playground/api-types/wire";
import { tableFromArrays, tableToIPC, type Table } from "apache-arrow";
import { DisplayableObject } from "../display/show";
import type { MimeBundle } from "../display/sink";
import { lumisectionColumns } from "../data/arrow";
import { latestTestSplit, rememberSplit, splitInfo } from "../data/split-info";
import { CLIENT_VERSION } from "../version";
import { ARROW_STREAM, ServiceError, type Http } from "./http";
import type { LeaderboardInfo, SubmissionInfo, TaskInfo } from "./types";
import { Leaderboard, SubmissionResult, taskBundle } from "./views";

/** One score per lumisection: aligned with the test split's rows, or explicit rows. */
export type ScoreInput =
  | Float32Array
  | Float64Array
  | number[]
  | { runs: ArrayLike<number>; lumisections: ArrayLike<number>; scores: ArrayLike<number> };

export interface SubmitOptions {
  /** Method name shown on the leaderboard (required). */
  method: string;
  description?: string;
  link?: string;
  /** The test split the scores were made on; default: the one this task loaded last. */
  split?: Table;
  /** Body format; default "arrow" (compact). */
  format?: "arrow" | "json";
  /** Makes a retried submit safe; default a new random key per call. */
  idempotencyKey?: string;
  /** Show the result in the cell output; default true. */
  show?: boolean;
}

export interface LeaderboardOptions {
  scores?: "public" | "private";
  bestPerUser?: boolean;
}

function columns(
  scores: ScoreInput,
  split: Table | null,
): { runs: Int32Array; lumisections: Int32Array; scores: Float64Array } {
  if (!Array.isArray(scores) && !ArrayBuffer.isView(scores)) {
    const s = scores as Exclude<ScoreInput, number[] | Float32Array | Float64Array>;
    if (s.runs.length !== s.scores.length || s.lumisections.length !== s.scores.length)
      throw new RangeError(
        `runs, lumisections and scores have different lengths (${s.runs.length}, ${s.lumisections.length}, ${s.scores.length})`,
      );
    return {
      runs: Int32Array.from(s.runs),
      lumisections: Int32Array.from(s.lumisections),
      scores: Float64Array.from(s.scores),
    };
  }
  if (!split)
    throw new Error(
      "no test split to align the scores with: load it first with task.load('test') and score its rows",
    );
  const values = scores as ArrayLike<number>;
  if (values.length !== split.numRows)
    throw new RangeError(
      `got ${values.length} scores but the test split has ${split.numRows} lumisections: score every test row, in order (do not filter test rows)`,
    );
  const { runs, lumisections } = lumisectionColumns(split);
  return { runs, lumisections, scores: Float64Array.from(values) };
}

export class Task extends DisplayableObject {
  constructor(
    private readonly http: Http,
    readonly info: TaskInfo,
  ) {
    super();
  }

  get name(): string {
    return this.info.name;
  }

  /** Monitor elements the task's features use (column names of the splits). */
  get features(): string[] {
    return this.info.features;
  }

  /**
   * A split as an Arrow table (columns are views on the received buffer): run, lumisection, OMS
   * metadata, per feature a FixedSizeList<Float32> column and `<me>:entries`, and on train `label`.
   */
  async load(split: "train" | "test"): Promise<Table> {
    if (split !== "train" && split !== "test")
      throw new Error(`split must be "train" or "test", got '${String(split)}'`);
    const { table, headers } = await this.http.arrow(
      `tasks/${encodeURIComponent(this.name)}/splits/${split}`,
    );
    const sha256 = headers.get(SPLIT_SHA256_HEADER) ?? "";
    rememberSplit(table, { task: this.name, split, sha256, url: this.http.baseUrl });
    return table;
  }

  /**
   * Submits one score per test lumisection (higher = more anomalous) and resolves to the scored
   * submission with its rank. Service refusals throw a ServiceError with the service's message.
   */
  async submit(scores: ScoreInput, opts: SubmitOptions): Promise<SubmissionResult> {
    const split = opts.split ?? latestTestSplit(this.http.baseUrl, this.name);
    const info = split ? splitInfo(split) : null;
    if (split && info && (info.task !== this.name || info.split !== "test"))
      throw new Error(
        `scores must be made on the test split of '${this.name}', not the ${info.split} split of '${info.task}'`,
      );
    const rows = columns(scores, split);
    const sha = info?.sha256 ?? this.info.splits.test.sha256;
    const meta = {
      method: opts.method,
      description: opts.description,
      link: opts.link,
      client_version: CLIENT_VERSION,
      split_sha256: sha,
    };
    const path = `tasks/${encodeURIComponent(this.name)}/submissions`;
    const headers = { "idempotency-key": opts.idempotencyKey ?? randomUUID() };
    let res: Response;
    if ((opts.format ?? "arrow") === "json") {
      const body = {
        ...meta,
        scores: Array.from(rows.scores, (score, i) => ({
          run: rows.runs[i],
          lumisection: rows.lumisections[i],
          score,
        })),
      };
      res = await this.http.request("POST", path, { json: body, headers, accept: "application/json" });
    } else {
      const bytes = tableToIPC(
        tableFromArrays({ run: rows.runs, lumisection: rows.lumisections, score: rows.scores }),
        "stream",
      );
      res = await this.http.request("POST", path, {
        query: meta,
        bytes,
        contentType: ARROW_STREAM,
        headers,
        accept: "application/json",
      });
    }
    const submission = (await res.json()) as SubmissionInfo;
    let board: LeaderboardInfo | null = null;
    try {
      board = await this.leaderboardInfo();
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
    }
    const row = board?.rows.find((r) => r.submission === submission.id);
    const result = new SubmissionResult(
      submission,
      row?.rank ?? null,
      row ? board!.rows.length : null,
      this.http.url(`tasks/${encodeURIComponent(this.name)}/leaderboard`),
      board,
      res.status === 200,
    );
    if (opts.show ?? true) result.show();
    return result;
  }

  private leaderboardInfo(opts: LeaderboardOptions = {}): Promise<LeaderboardInfo> {
    return this.http.get<LeaderboardInfo>(`tasks/${encodeURIComponent(this.name)}/leaderboard`, {
      scores: opts.scores,
      best_per_user: opts.bestPerUser,
    });
  }

  /** The ranked submissions (public scores while open); shows as a table. */
  async leaderboard(opts: LeaderboardOptions = {}): Promise<Leaderboard> {
    return new Leaderboard(await this.leaderboardInfo(opts));
  }

  /** Your submissions to this task with their status and metrics. */
  async submissions(): Promise<SubmissionInfo[]> {
    return this.http.all<SubmissionInfo>(`tasks/${encodeURIComponent(this.name)}/submissions`);
  }

  toMimeBundle(): MimeBundle {
    return taskBundle(this.info);
  }
}
