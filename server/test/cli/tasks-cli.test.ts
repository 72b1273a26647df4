/**
 * Tasks through the CLI in child processes, on a demo home: `tasks`, `task show|create|close`,
 * `submit` (CSV, Arrow, Parquet; wrong files and wrong submissions), `leaderboard`, and what a closed
 * task shows. Commands reach the data through a server started on the home (one PGlite start).
 */
import fs from "node:fs";
import path from "node:path";
import { tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";
import { Table as WasmTable, writeParquet } from "parquet-wasm/node";
import {
  cliJson,
  cliOk,
  requireBuiltCli,
  runCli,
  startServer,
  tempDir,
  type ServerChild,
} from "../helpers/cli";
import { api, expectFailure, expectSuccess, homeToken } from "./cli-checks";
import type { TaskView } from "../../src/tasks/task-view";
import type { SubmissionView } from "../../src/tasks/submissions";
import type { Leaderboard } from "../../src/tasks/leaderboard";

const TASK = "pixel-2018-charge";
const FEATURE = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1";
/** The demo pixel task's monitor elements: the barrel's four charge layers and layer 1's cluster size. */
const PIXEL_FEATURES = [1, 2, 3, 4]
  .map((layer) => `PixelPhase1/Tracks/PXBarrel/charge_PXLayer_${layer}`)
  .concat("PixelPhase1/Tracks/PXBarrel/size_PXLayer_1");
const DEMO = "demo-2018-small";

interface Split {
  sha256: string;
  runs: Int32Array;
  lumisections: Int32Array;
  /** One anomaly score per lumisection: the distance of the mean bin from the split's median mean bin. */
  scores: Float64Array;
}

/** The test split of a task as the API sends it (Arrow), with a simple score per lumisection. */
async function fetchTestSplit(url: string, token: string, task: string, feature: string): Promise<Split> {
  const res = await fetch(`${url}/api/v1/tasks/${task}/splits/test`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
  expect(table.schema.fields.map((f) => f.name)).not.toContain("label");
  const runs = Int32Array.from(table.getChild("run")!.toArray() as Int32Array);
  const lumisections = Int32Array.from(table.getChild("lumisection")!.toArray() as Int32Array);
  const hist = table.getChild(feature)!;
  const means = Float64Array.from({ length: table.numRows }, (_, i) => {
    const bins = hist.get(i) as { toArray(): Float32Array };
    let sum = 0;
    let weighted = 0;
    bins.toArray().forEach((v, b) => {
      sum += v;
      weighted += v * b;
    });
    return sum > 0 ? weighted / sum : 0;
  });
  const median = Float64Array.from(means).sort()[Math.floor(means.length / 2)];
  return {
    sha256: res.headers.get("x-split-sha256") ?? "",
    runs,
    lumisections,
    scores: means.map((m) => Math.abs(m - median)),
  };
}

function csvOf(split: Pick<Split, "runs" | "lumisections" | "scores">, extra: string[] = []): string {
  const lines = ["run,lumisection,score"];
  split.runs.forEach((run, i) => lines.push(`${run},${split.lumisections[i]},${split.scores[i]}`));
  return [...lines, ...extra].join("\n") + "\n";
}

describe("tasks, submissions and leaderboards through the CLI", () => {
  let home: string;
  let dir: string;
  let server: ServerChild;
  let split: Split;
  let alice: string;
  let tasksWithoutServer: TaskView[];
  const opts = () => ({ home });
  const file = (name: string, content: string | Uint8Array) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    return f;
  };
  const submitted: SubmissionView[] = [];

  beforeAll(async () => {
    requireBuiltCli();
    home = tempDir();
    dir = tempDir("dqm-task-files-");
    expect(await cliOk(["demo"], { home, timeoutMs: 180_000 })).toMatch(
      /^created demo data set demo-2018-small/,
    );
    alice = (await cliJson<{ token: string }>(["user", "add", "alice"], opts())).token;
    // With no server running, a command starts a private one for itself.
    tasksWithoutServer = await cliJson<TaskView[]>(["tasks"], opts());
    server = await startServer(opts());
    split = await fetchTestSplit(server.url, homeToken(home), TASK, FEATURE);
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists the demo's tasks as a table and as JSON", async () => {
    expect(tasksWithoutServer.map((t) => t.name)).toEqual([TASK, "tracker-2018-multi"]);
    const tasks = await cliJson<TaskView[]>(["tasks"], opts());
    expect(tasks).toEqual(tasksWithoutServer);
    const pixel = tasks[0];
    expect(pixel).toMatchObject({ dataset: DEMO, features: PIXEL_FEATURES, status: "open", closedAt: null });
    expect(pixel.splits.test).toEqual({ size: split.runs.length, sha256: split.sha256 });

    const table = (await cliOk(["tasks"], opts())).trimEnd().split("\n");
    expect(table[0]).toMatch(/^task\s+status\s+dataset\s+features\s+train\s+test\s+daily limit\s+title$/);
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(
      new RegExp(
        `^${TASK}\\s+open\\s+${DEMO}\\s+${PIXEL_FEATURES.length}\\s+${pixel.splits.train.size}\\s+${pixel.splits.test.size}\\s+${pixel.dailyLimit}\\s+${pixel.title}$`,
      ),
    );
  });

  it("shows a task with its split hashes", async () => {
    const view = await cliJson<TaskView>(["task", "show", TASK], opts());
    expect(view.splits.test.sha256).toBe(split.sha256);
    const lines = (await cliOk(["task", "show", TASK], opts())).split("\n");
    expect(lines[0]).toBe(`task           ${TASK}`);
    expect(lines).toContain(`features       ${PIXEL_FEATURES.join(", ")}`);
    expect(lines).toContain(`daily limit    ${view.dailyLimit} submissions per user`);
    expect(lines).toContain(`test split     ${split.runs.length} lumisections, sha256 ${split.sha256}`);
    expectFailure(await runCli(["task", "show", "no-such-task"], opts()), "no task named 'no-such-task'");
  });

  describe("task create", () => {
    const spec = [
      "# a task on layer 2, one submission a day",
      "name: pixel-layer2",
      "title: Layer 2 cluster charge",
      `dataset: ${DEMO}`,
      "features:",
      "  - PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2",
      "split: { test_fraction: 0.4, public_fraction: 0.5, seed: 3 }",
      "daily_limit: 1",
      "",
    ].join("\n");

    it("publishes a task from a YAML specification, and from JSON", async () => {
      const yaml = file("layer2.yaml", spec);
      const out = expectSuccess(await runCli(["task", "create", yaml], opts()));
      const m =
        /^created task pixel-layer2 on demo-2018-small: train (\d+) lumisections, test (\d+) lumisections; test split sha256 ([0-9a-f]{64})\n$/.exec(
          out,
        );
      expect(m).not.toBeNull();
      const view = await cliJson<TaskView>(["task", "show", "pixel-layer2"], opts());
      expect(view).toMatchObject({
        title: "Layer 2 cluster charge",
        dailyLimit: 1,
        split: { test_fraction: 0.4, public_fraction: 0.5, seed: 3 },
        splits: { train: { size: Number(m![1]) }, test: { size: Number(m![2]), sha256: m![3] } },
      });

      const json = file(
        "layer3.json",
        JSON.stringify(
          {
            name: "pixel-layer3",
            dataset: DEMO,
            features: [FEATURE.replace("_1", "_3")],
            split: { seed: 7 },
          },
          null,
          2,
        ),
      );
      const created = await cliJson<TaskView>(["task", "create", json], opts());
      expect(created).toMatchObject({
        name: "pixel-layer3",
        title: "pixel-layer3",
        dailyLimit: 5,
        status: "open",
      });
      expect((await cliJson<TaskView[]>(["tasks"], opts())).map((t) => t.name)).toEqual([
        TASK,
        "pixel-layer2",
        "pixel-layer3",
        "tracker-2018-multi",
      ]);
      expectFailure(
        await runCli(["task", "create", yaml], opts()),
        "a task named 'pixel-layer2' exists already: published tasks never change, choose another name",
      );
    });

    const bad: Array<[string, string, string]> = [
      [
        "a YAML syntax error",
        spec.replace("  - PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2", "  - [PixelPhase1"),
        ", line 7: not valid JSON or YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 7, column 1:",
      ],
      [
        "an unknown field",
        spec.replace("daily_limit: 1", "daily_limit: 1\nowner: me"),
        ", line 9: invalid task specification: the specification: unknown field 'owner'",
      ],
      [
        "a value out of range",
        spec.replace("test_fraction: 0.4", "test_fraction: 1.4"),
        ", line 7: invalid task specification: split.test_fraction must be < 1",
      ],
      [
        "a missing field",
        spec.replace(/features:\n {2}- .*\n/, ""),
        ", line 2: invalid task specification: the specification must have required property 'features'",
      ],
      [
        "runs.min above runs.max",
        spec.replace("daily_limit: 1", "runs:\n  min: 320000\n  max: 310000"),
        ", line 9: invalid task specification: runs.min 320000 is greater than runs.max 310000",
      ],
    ];
    it.each(bad)("names the file and line of %s", async (_what, text, message) => {
      const f = file("bad.yaml", text);
      expectFailure(await runCli(["task", "create", f], opts()), `${f}${message}`);
    });

    it("passes on the server's reasons and a missing file", async () => {
      const f = file(
        "unknown-me.yaml",
        spec.replace("charge_PXLayer_2", "charge_PXLayer_9").replace("pixel-layer2", "x9"),
      );
      expectFailure(
        await runCli(["task", "create", f], opts()),
        `features[0]: data set '${DEMO}' has no monitor element 'PixelPhase1/Tracks/PXBarrel/charge_PXLayer_9'`,
      );
      const missing = path.join(dir, "missing.yaml");
      expectFailure(await runCli(["task", "create", missing], opts()), `${missing}: no such file`);
    });
  });

  describe("submit", () => {
    it("takes CSV, Arrow and Parquet and prints the public metrics", async () => {
      const csv = file("scores.csv", csvOf(split));
      const out = expectSuccess(
        await runCli(
          ["submit", TASK, csv, "--method", "mean-bin", "--description", "distance of the mean bin"],
          opts(),
        ),
      );
      const lines = out.trimEnd().split("\n");
      expect(lines[0]).toMatch(
        new RegExp(`^submission (\\d+) to ${TASK} by local-admin, method 'mean-bin': scored$`),
      );
      expect(lines[1]).toMatch(/^\s*metric\s+public$/);
      expect(lines.slice(3).map((l) => l.trim().split(/\s{2,}/)[0])).toEqual([
        "ROC AUC",
        "average precision",
        "saved effort",
        "recall at FPR 0.01",
        "recall at FPR 0.001",
        "lumisections",
        "bad lumisections",
      ]);

      const columns = { run: split.runs, lumisection: split.lumisections, score: split.scores };
      const arrow = file("scores.arrow", tableToIPC(tableFromArrays(columns), "file"));
      const parquet = file(
        "scores.parquet",
        writeParquet(WasmTable.fromIPCStream(tableToIPC(tableFromArrays(columns), "stream"))),
      );
      for (const [f, method] of [
        [csv, "mean-bin-csv"],
        [arrow, "mean-bin-arrow"],
        [parquet, "mean-bin-parquet"],
      ]) {
        const view = await cliJson<SubmissionView>(["submit", TASK, f, "-m", method], opts());
        expect(view).toMatchObject({
          task: TASK,
          user: "local-admin",
          method,
          status: "scored",
          failure: null,
        });
        expect(view.splitSha256).toBe(split.sha256);
        expect(view.clientVersion).toMatch(/^dqm-playground-cli\//);
        submitted.push(view);
      }
      // The same scores in three formats: the same metrics. The admin sees the private ones too.
      const [a, b, c] = submitted;
      expect(b.publicMetrics).toEqual(a.publicMetrics);
      expect(c.publicMetrics).toEqual(a.publicMetrics);
      expect(a.privateMetrics).not.toBeNull();
      // An admin gets exact metrics, counts included.
      expect(a.publicMetrics!.n! + a.privateMetrics!.n!).toBe(split.runs.length);
      expect(lines[3]).toMatch(new RegExp(`^ROC AUC\\s+${a.publicMetrics!.rocAuc.toFixed(4)}$`));
    });

    it("returns the first submission when retried with the same idempotency key", async () => {
      const csv = path.join(dir, "scores.csv");
      const args = ["submit", TASK, csv, "-m", "retried", "--idempotency-key", "key-1"];
      const first = expectSuccess(await runCli(args, opts())).split("\n")[0];
      const again = expectSuccess(await runCli(args, opts())).split("\n")[0];
      const id = /^submission (\d+) /.exec(first)![1];
      expect(first).toBe(`submission ${id} to ${TASK} by local-admin, method 'retried': scored`);
      expect(again).toBe(`${first} (made earlier with this idempotency key)`);
    });

    // the server names the row of the uploaded table; the CLI adds the file and the row's CSV line
    const wrong: Array<[string, () => string, string[], (file: string) => string]> = [
      [
        "missing lumisections",
        () =>
          csvOf({
            ...split,
            runs: split.runs.slice(3),
            lumisections: split.lumisections.slice(3),
            scores: split.scores.slice(3),
          }),
        [],
        () => `missing 3 lumisections, first: run ${split.runs[0]} ls ${split.lumisections[0]}`,
      ],
      [
        "an unknown lumisection",
        () => csvOf(split, ["1,1,0.5"]),
        [],
        (f) =>
          `${f}, line ${split.runs.length + 2}: row ${split.runs.length + 1}: 1 unknown lumisection (not in the test split), first: run 1 ls 1`,
      ],
      [
        "a lumisection twice, after a blank line",
        () => csvOf(split, ["", `${split.runs[0]},${split.lumisections[0]},0.5`]),
        [],
        (f) =>
          `${f}, line ${split.runs.length + 3}: row ${split.runs.length + 1}: run ${split.runs[0]} ls ${split.lumisections[0]} appears more than once (rows 1 and ${split.runs.length + 1})`,
      ],
      [
        "another split's hash",
        () => csvOf(split),
        ["--split-hash", "0".repeat(64)],
        () =>
          `column 'split_sha256': split hash ${"0".repeat(64)} is not the hash of this task's test split (${split.sha256}): reload the test split and score it again`,
      ],
      [
        "an empty method name",
        () => csvOf(split),
        ["--method", " "],
        () => "column 'method': a method name is required",
      ],
    ];
    it.each(wrong)(
      "exits 1 with the server's message for %s, storing nothing",
      async (_what, content, args, message) => {
        const f = file("wrong.csv", content());
        expectFailure(await runCli(["submit", TASK, f, "-m", "wrong", ...args], opts()), message(f));
      },
    );

    it("checks the file before sending it", async () => {
      const nan = file("nan.csv", csvOf(split).replace(/\n(\d+,\d+),[^\n]*\n/, "\n$1,NaN\n"));
      expectFailure(
        await runCli(["submit", TASK, nan, "-m", "x"], opts()),
        `${nan}, line 2, column 'score': 'NaN' is not a finite number: scores must be finite numbers`,
      );
      const noScore = file("no-score.csv", "run,lumisection,value\n1,1,0.5\n");
      expectFailure(
        await runCli(["submit", TASK, noScore, "-m", "x"], opts()),
        `${noScore}, line 1: missing column score: the header must name run, lumisection and score`,
      );
      expectFailure(
        await runCli(["submit", TASK, noScore, "-m", "x", "--format", "xlsx"], opts()),
        "unknown format 'xlsx', expected one of csv, parquet, arrow",
      );
      expectFailure(
        await runCli(["submit", "no-such-task", noScore.replace("no-score", "scores"), "-m", "x"], opts()),
        "no task named 'no-such-task'",
      );
    });

    it("stops at the daily limit", async () => {
      const layer2 = await fetchTestSplit(
        server.url,
        homeToken(home),
        "pixel-layer2",
        FEATURE.replace("_1", "_2"),
      );
      const f = file("layer2.csv", csvOf(layer2));
      expectSuccess(await runCli(["submit", "pixel-layer2", f, "-m", "first"], opts()));
      expectFailure(
        await runCli(["submit", "pixel-layer2", f, "-m", "second"], opts()),
        "daily limit of 1 submissions to 'pixel-layer2' reached for user 'local-admin'; it resets at 00:00 UTC",
      );
    });
  });

  describe("leaderboard", () => {
    it("ranks the submissions with the baselines, as a table, JSON and CSV", async () => {
      const board = await cliJson<Leaderboard>(["leaderboard", TASK], opts());
      expect(board).toMatchObject({ task: TASK, status: "open", scores: "public", bestPerUser: false });
      // Ours (5: four formats and the idempotent one, failed ones stored nothing) and the three baselines.
      const mine = board.rows.filter((r) => r.mine);
      expect(mine.map((r) => r.method).sort()).toEqual([
        "mean-bin",
        "mean-bin-arrow",
        "mean-bin-csv",
        "mean-bin-parquet",
        "retried",
      ]);
      expect(board.rows.filter((r) => r.baseline)).toHaveLength(3);
      expect(board.rows).toHaveLength(8);
      // The refused submissions stored nothing: the admin's own list holds exactly these five.
      const own = await api<{ items: SubmissionView[] }>(
        server.url,
        homeToken(home),
        `tasks/${TASK}/submissions`,
      );
      expect(own.body.items.map((s) => [s.method, s.status])).toEqual([
        ["mean-bin", "scored"],
        ["mean-bin-csv", "scored"],
        ["mean-bin-arrow", "scored"],
        ["mean-bin-parquet", "scored"],
        ["retried", "scored"],
      ]);
      expect(board.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const csvRow = board.rows.find((r) => r.method === "mean-bin-csv")!;
      expect(csvRow.rocAuc).toBe(submitted[0].publicMetrics!.rocAuc);
      for (let i = 1; i < board.rows.length; i++)
        expect(board.rows[i - 1].rocAuc).toBeGreaterThanOrEqual(board.rows[i].rocAuc);

      const table = (await cliOk(["leaderboard", TASK], opts())).trimEnd().split("\n");
      expect(table[0]).toBe(`${TASK} (open): public scores`);
      expect(table[1]).toMatch(
        /^rank\s+user\s+method\s+ROC AUC\s+avg precision\s+saved effort\s+recall@FPR 0\.01\s+recall@FPR 0\.001\s+submission\s+submitted$/,
      );
      expect(table.filter((l) => l.includes("local-admin (you)"))).toHaveLength(5);
      expect(table.filter((l) => l.includes("baseline (baseline)"))).toHaveLength(3);

      const csv = (await cliOk(["leaderboard", TASK, "--csv"], opts())).trimEnd().split("\n");
      expect(csv).toHaveLength(9);
      expect(csv[0]).toMatch(/^rank,/);

      const best = await cliJson<Leaderboard>(["leaderboard", TASK, "--best-per-user"], opts());
      expect(best.rows.filter((r) => r.user === "local-admin")).toHaveLength(1);
      expect(best.rows.filter((r) => r.baseline)).toHaveLength(3);

      expectFailure(
        await runCli(["leaderboard", TASK, "--json", "--csv"], opts()),
        "choose one of --json and --csv",
      );
    });

    it("shows private scores to the admin only, until the task is closed", async () => {
      const admin = await cliJson<Leaderboard>(["leaderboard", TASK, "--private"], opts());
      expect(admin.scores).toBe("private");
      expect(admin.rows.find((r) => r.method === "mean-bin-csv")!.rocAuc).toBe(
        submitted[0].privateMetrics!.rocAuc,
      );
      const hidden = await api<{ message: string }>(
        server.url,
        alice,
        `tasks/${TASK}/leaderboard?scores=private`,
      );
      expect(hidden).toEqual({
        status: 403,
        body: expect.objectContaining({
          message: `private scores of '${TASK}' are hidden until the task is closed`,
        }) as unknown,
      });

      const out = expectSuccess(await runCli(["task", "close", TASK], opts()));
      expect(out).toMatch(
        new RegExp(
          `^closed task ${TASK} at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z: it takes no more submissions; the leaderboard now ranks by private scores\\n$`,
        ),
      );
      const closed = await cliJson<Leaderboard>(["leaderboard", TASK], opts());
      expect(closed).toMatchObject({ status: "closed", scores: "private" });
      expect(closed.rows.find((r) => r.method === "mean-bin-csv")!.rocAuc).toBe(
        submitted[0].privateMetrics!.rocAuc,
      );
      expect((await cliOk(["leaderboard", TASK], opts())).split("\n")[0]).toBe(
        `${TASK} (closed): private scores`,
      );

      const participant = await api<Leaderboard>(server.url, alice, `tasks/${TASK}/leaderboard`);
      expect(participant.status).toBe(200);
      expect(participant.body.scores).toBe("private");
      expect(participant.body.rows.map((r) => [r.submission, r.rocAuc])).toEqual(
        closed.rows.map((r) => [r.submission, r.rocAuc]),
      );
      expect(participant.body.rows.some((r) => r.mine)).toBe(false);

      expect((await cliJson<TaskView>(["task", "show", TASK], opts())).status).toBe("closed");
      expectFailure(
        await runCli(["submit", TASK, path.join(dir, "scores.csv"), "-m", "late"], opts()),
        `task '${TASK}' is closed: it takes no more submissions`,
      );
    });
  });
});
