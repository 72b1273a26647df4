/**
 * `submit TASK FILE --method NAME`: one anomaly score per test lumisection, read from CSV, Parquet or
 * Arrow (columns run, lumisection, score), sent to the server as an Arrow stream and scored there;
 * prints the public metrics, or the server's reason. The values are checked here by the server's own
 * checks (`checkScoreValues`, `scoresFromArrow` of tasks/submissions.ts), so a bad file gets the
 * message the API gives for the same table, with the file (and, for CSV, the line) in front; only
 * what the server never sees, CSV text that is not a number, has messages of its own.
 */
import fs from "node:fs";
import { pipeline } from "node:stream";
import type { Command } from "commander";
import type { Table } from "apache-arrow";
import { action } from "../actions";
import { formatTable, printableLine, say } from "../format";
import { ApiError, apiRequest, withApi, type ApiTarget } from "../store-access";
import { InputError } from "../../errors";
import { SERVER_VERSION } from "../../version";
import type { TaskView } from "../../tasks/task-view";
import type { SubmissionView } from "../../tasks/submissions";
import { metric } from "./leaderboard";

export const SCORE_FILE_FORMATS = ["csv", "parquet", "arrow"] as const;
export type ScoreFileFormat = (typeof SCORE_FILE_FORMATS)[number];
export const SCORE_COLUMNS = ["run", "lumisection", "score"] as const;

export interface ScoreColumns {
  runs: Int32Array;
  lumisections: Int32Array;
  scores: Float64Array;
  /** CSV only: the file line of each row (blank lines are skipped, so rows and lines can drift). */
  lines?: Int32Array;
}

interface SubmitOptions {
  method: string;
  description?: string;
  link?: string;
  splitHash?: string;
  idempotencyKey?: string;
  format?: string;
  json?: boolean;
}

/** The format of a score file: `--format`, else its first bytes (Parquet and Arrow have magic numbers). */
export function detectFormat(file: string): ScoreFileFormat {
  const head = Buffer.alloc(8);
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : `cannot open: ${code ?? String(err)}`, {
      file,
    });
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw new InputError("not a regular file", { file });
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const bytes = head.subarray(0, n);
    if (bytes.subarray(0, 4).toString("latin1") === "PAR1") return "parquet";
    if (bytes.subarray(0, 6).toString("latin1") === "ARROW1") return "arrow";
    if (n >= 4 && bytes.readUInt32LE(0) === 0xffffffff) return "arrow"; // IPC stream continuation marker
    return "csv";
  } finally {
    fs.closeSync(fd);
  }
}

/** The server's checks of submissions, loaded by submit alone (like apache-arrow), not by every command. */
const serverChecks = () => import("../../tasks/submissions.js");

/** A CSV cell as a number: the value checks (ranges, integers) are the server's, after reading. */
function csvNumber(text: string, file: string, line: number, column: string): number {
  const v = Number(text);
  if (text === "" || !Number.isFinite(v))
    throw new InputError(
      text === ""
        ? column === "score"
          ? "empty score"
          : "empty value"
        : column === "score"
          ? `'${text}' is not a finite number: scores must be finite numbers`
          : `'${text}' is not a number`,
      { file, line, column },
    );
  return v;
}

/** A growable column of numbers (a typed array doubles as needed). */
class Column<T extends Int32Array | Float64Array> {
  private length = 0;
  constructor(private values: T) {}
  push(v: number): void {
    if (this.length === this.values.length) {
      const bigger = new (this.values.constructor as new (n: number) => T)(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = v;
  }
  finish(): T {
    return this.values.slice(0, this.length) as T;
  }
}

/** Reads a CSV with a header naming run, lumisection and score (other columns are ignored). */
export async function readScoresCsv(file: string): Promise<ScoreColumns> {
  // csv-parse, apache-arrow and parquet-wasm are loaded by submit alone, not by every command.
  const { parse } = await import("csv-parse");
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
    relax_column_count: true,
  });
  pipeline(fs.createReadStream(file), parser, () => undefined);
  // Float64 columns: 315259.7 or 2^32 + 1 reach the value checks as they were written.
  const runs = new Column(new Float64Array(1024));
  const lumisections = new Column(new Float64Array(1024));
  const scores = new Column(new Float64Array(1024));
  const lines = new Column(new Int32Array(1024));
  let at: number[] | null = null;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      const line = info.lines;
      if (!at) {
        const missing = SCORE_COLUMNS.filter((c) => !record.includes(c));
        if (missing.length > 0)
          throw new InputError(
            `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: the header must name run, lumisection and score`,
            { file, line },
          );
        at = SCORE_COLUMNS.map((c) => record.indexOf(c));
        continue;
      }
      const [r, l, s] = at.map((i) => record[i] ?? "");
      runs.push(csvNumber(r, file, line, "run"));
      lumisections.push(csvNumber(l, file, line, "lumisection"));
      scores.push(csvNumber(s, file, line, "score"));
      lines.push(line);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException & { lines?: number };
    throw new InputError(e.code === "ENOENT" ? "no such file" : `not valid CSV: ${e.message}`, {
      file,
      line: e.lines,
    });
  }
  if (!at) throw new InputError("empty file: expected a header with run, lumisection and score", { file });
  const raw = { run: runs.finish(), lumisection: lumisections.finish(), score: scores.finish() };
  const fileLines = lines.finish();
  const { checkScoreValues } = await serverChecks();
  try {
    return {
      ...checkScoreValues(raw.run.length, (column: keyof typeof raw, i: number) => raw[column][i]),
      lines: fileLines,
    };
  } catch (err) {
    throw inFile(err, file, { lines: fileLines });
  }
}

/**
 * Takes run, lumisection and score out of an Arrow table (from an Arrow or Parquet file) with the
 * server's `scoresFromArrow`: the same column types, values and messages as an uploaded stream.
 */
export async function scoresFromTable(table: Table, file: string): Promise<ScoreColumns> {
  const { scoresFromArrow } = await serverChecks();
  try {
    return scoresFromArrow(table);
  } catch (err) {
    // a bad value names its row; a missing or wrongly typed column only the column
    if (err instanceof InputError && err.where.row === undefined) throw new InputError(err.message, { file });
    throw inFile(err, file, {});
  }
}

export async function readScores(file: string, format?: ScoreFileFormat): Promise<ScoreColumns> {
  const fmt = format ?? detectFormat(file);
  if (fmt === "csv") return readScoresCsv(file);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : `cannot read: ${code ?? String(err)}`, {
      file,
    });
  }
  const { tableFromIPC } = await import("apache-arrow");
  let table: Table;
  try {
    table =
      fmt === "parquet"
        ? tableFromIPC((await import("parquet-wasm/node")).readParquet(bytes).intoIPCStream())
        : tableFromIPC(bytes);
  } catch (err) {
    throw new InputError(
      `not ${fmt === "parquet" ? "a Parquet" : "an Arrow IPC"} file: ${err instanceof Error ? err.message : String(err)}`,
      { file },
    );
  }
  return scoresFromTable(table, file);
}

/**
 * The server (or its checks, run here on the file) names the row of the uploaded table a problem is
 * in; the message then also names the file and, for CSV, the row's line in it ("scores.csv, line 7:
 * row 6: ...").
 */
export function inFile(err: unknown, file: string, columns: Pick<ScoreColumns, "lines">): unknown {
  const where = err instanceof ApiError || err instanceof InputError ? err.where : undefined;
  // (a CSV reader's own InputError names its file and line already)
  if (!where || where.row === undefined || (err instanceof InputError && err.where.file !== undefined))
    return err;
  const line = columns.lines?.[where.row - 1];
  return new InputError((err as Error).message, line === undefined ? { file } : { file, line });
}

/** The Arrow stream the submission route takes. */
export async function scoresToArrow(columns: ScoreColumns): Promise<Uint8Array> {
  const { tableFromArrays, tableToIPC } = await import("apache-arrow");
  return tableToIPC(
    tableFromArrays({ run: columns.runs, lumisection: columns.lumisections, score: columns.scores }),
    "stream",
  );
}

/**
 * The public metrics as a "metric  public" table. (Private metrics stay out of the table even where
 * the server shows them to an admin: they are for the final ranking; `--json` has everything.)
 */
export function formatMetrics(view: SubmissionView): string {
  const m = view.publicMetrics;
  if (!m) return "no public metrics";
  return formatTable(
    ["metric", "public"],
    [
      ["ROC AUC", metric(m.rocAuc)],
      ["average precision", metric(m.averagePrecision)],
      ["saved effort", metric(m.greyZone.savedEffort)],
      ...Object.keys(m.recallAtFpr).map((t) => [`recall at FPR ${t}`, metric(m.recallAtFpr[t])]),
      // Counts come only from tasks that publish them (or to admins, or after close).
      ...(m.n === undefined ? [] : [["lumisections", m.n]]),
      ...(m.nBad === undefined ? [] : [["bad lumisections", m.nBad]]),
    ],
  );
}

/** Sends the scores to the task's submission route; the created (or, on a retry, earlier) submission. */
async function postScores(
  api: ApiTarget,
  task: string,
  columns: ScoreColumns,
  opts: SubmitOptions,
): Promise<{ view: SubmissionView; created: boolean }> {
  const taskPath = `tasks/${encodeURIComponent(task)}`;
  const splitHash =
    opts.splitHash ??
    ((await (await apiRequest(api, "GET", taskPath)).json()) as TaskView).splits.test.sha256;
  const query = new URLSearchParams({
    method: opts.method,
    split_sha256: splitHash,
    client_version: `dqm-playground-cli/${SERVER_VERSION}`,
  });
  if (opts.description !== undefined) query.set("description", opts.description);
  if (opts.link !== undefined) query.set("link", opts.link);
  const res = await apiRequest(
    api,
    "POST",
    `${taskPath}/submissions?${query.toString()}`,
    await scoresToArrow(columns),
    opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {},
  );
  return { view: (await res.json()) as SubmissionView, created: res.status === 201 };
}

export function registerSubmit(program: Command): void {
  program
    .command("submit")
    .description(
      "Submit one anomaly score per test lumisection of a task (higher = more anomalous). FILE is CSV with a " +
        "header, Parquet, or Arrow (IPC file or stream) with columns run, lumisection and score. Prints the public metrics.",
    )
    .argument("<task>", "task name")
    .argument("<file>", "scores: CSV, Parquet or Arrow with columns run, lumisection, score")
    .requiredOption("-m, --method <name>", "name of the method, shown on the leaderboard")
    .option("--description <text>", "what the method does")
    .option("--link <url>", "link to the code or notebook")
    .option(
      "--split-hash <sha256>",
      "sha256 of the test split the scores were computed on (default: the task's)",
    )
    .option(
      "--idempotency-key <key>",
      "a retry with the same key returns the first submission instead of a new one",
    )
    .option("--format <format>", `${SCORE_FILE_FORMATS.join(", ")} (default: from the file's first bytes)`)
    .option("--json", "print the submission as JSON")
    .action(
      action(async (task: string, file: string, opts: SubmitOptions) => {
        if (opts.format !== undefined && !(SCORE_FILE_FORMATS as readonly string[]).includes(opts.format))
          throw new Error(
            `unknown format '${opts.format}', expected one of ${SCORE_FILE_FORMATS.join(", ")}`,
          );
        const columns = await readScores(file, opts.format as ScoreFileFormat | undefined);
        const { view, created } = await withApi((api) =>
          postScores(api, task, columns, opts).catch((err: unknown) => {
            throw inFile(err, file, columns);
          }),
        );
        if (opts.json) process.stdout.write(JSON.stringify(view, null, 2) + "\n");
        else {
          const again = created ? "" : " (made earlier with this idempotency key)";
          say(
            `submission ${view.id} to ${view.task} by ${view.user}, method '${printableLine(view.method)}': ${view.status}${again}\n`,
          );
          if (view.status === "scored") say(formatMetrics(view) + "\n");
        }
        if (view.status === "failed")
          throw new Error(
            `submission ${view.id} was stored but not scored: ${view.failure ?? "unknown reason"}`,
          );
      }),
    );
}
