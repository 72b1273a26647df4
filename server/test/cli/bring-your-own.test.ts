/**
 * docs/bring-your-own-data.md end to end, in child processes on a fresh home: `ingest root`, `ingest dcs`,
 * `ingest golden` of the walk-through's files (server/test/fixtures/root/walkthrough*), `task create` from
 * a spec, `serve`, the splits over REST compared bin by bin with what ROOT wrote, the walk-through's
 * notebook cells (the kernel library: train an autoencoder, `task.submit`), `submit` of a CSV, and
 * `leaderboard --json`.
 */
import fs from "node:fs";
import path from "node:path";
import { tableFromIPC, type Table } from "apache-arrow";
import {
  SERVER_DIR,
  childEnv,
  cliJson,
  finished,
  requireBuiltCli,
  runCli,
  startServer,
  tempDir,
  type ServerChild,
} from "../helpers/cli";
import { expectSuccess, homeToken } from "./cli-checks";
import { spawn } from "node:child_process";
import type { TaskView } from "../../src/tasks/task-view";
import type { SubmissionView } from "../../src/tasks/submissions";
import type { Leaderboard } from "../../src/tasks/leaderboard";

const FIXTURES = path.join(SERVER_DIR, "test/fixtures/root");
const KERNEL = path.join(SERVER_DIR, "../kernel-lib/dist/index.js");
const TASK = "my-dqmio-task";
const CHARGE = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1";

interface Expected {
  runs: number[];
  lumisections: number[];
  bad: Record<string, number[]>;
  monitorElements: string[];
  histograms: {
    run: number;
    lumisection: number;
    me: string;
    xbins: number;
    ybins: number;
    entries: number;
    /** ROOT's bins with under/overflow, GetBinContent(0..GetNcells()-1). */
    full: number[];
  }[];
}
const expected = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, "walkthrough.expected.json"), "utf8"),
) as Expected;
/** The lumisection that DCS marks off (left out of every task). */
const DCS_OFF = { run: 380310, lumisection: 10 };

/** The spec of docs/bring-your-own-data.md. */
const SPEC = `# A task on my own nanoDQMIO file: pixel charge, strip signal-to-noise and the pixel z-phi map.
name: my-dqmio-task
title: My runs, three monitor elements
dataset: my-dqmio
features:
  - PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1
  - SiStrip/MechanicalView/TIB/layer_1/Summary_ClusterStoNCorr__OnTrack__TIB__layer__1
  - PixelPhase1/Tracks/PXBarrel/clusterposition_zphi_ontrack_PXLayer_1
labelling: golden-among-dcs   # among DCS-on lumisections: good = in the golden JSON, bad = not
split: { strategy: random, test_fraction: 0.5, public_fraction: 0.5, seed: 1, public_seed: 2 }
daily_limit: 10
`;

/** The walk-through's notebook cells, as a script (the kernel library's CommonJS build). */
const NOTEBOOK = `
const dqm = require(${JSON.stringify(KERNEL)});
(async () => {
  const pg = await dqm.connect();
  const task = await pg.task("my-dqmio-task");
  const train = await task.load("train");
  const prep = { drop: "underflow-overflow", normalize: "l1" };
  const references = dqm.runReferences(train, prep);
  const xFit = dqm.runRelative(train, { ...prep, references, excludeOwnRun: true, select: "good" });
  const scaler = dqm.BlockScaler.fit(xFit);
  const ae = dqm.models.autoencoder({ inputDim: xFit.cols, hidden: [32, 8], loss: "mse", seed: 1 });
  await ae.fit(scaler.transform(xFit), { epochs: 30, batchSize: 16 });
  const xTrain = dqm.runRelative(train, { ...prep, references, excludeOwnRun: true });
  const onTrain = dqm.evaluate.metrics(ae.score(scaler.transform(xTrain)), dqm.labels(train));
  const test = await task.load("test");
  const scores = ae.score(scaler.transform(dqm.runRelative(test, { ...prep, references })));
  const result = await task.submit(scores, { method: "AE 32-8", description: "the walk-through's autoencoder" });
  process.stdout.write("\\nRESULT " + JSON.stringify({ features: task.features, cols: xFit.cols, fit: xFit.rows, onTrain, submission: result.submission ?? result }));
})().catch((err) => { process.stderr.write(String((err && err.stack) || err)); process.exit(1); });
`;

/** The bins of a split's feature column at a row: Float32 without under/overflow, 2D row-major. */
function bins(table: Table, me: string, row: number): number[] {
  return Array.from((table.getChild(me)!.get(row) as { toArray(): Float32Array }).toArray());
}

/** ROOT's bins without under/overflow, in the split's order (data[y * xbins + x]). */
function inner(h: Expected["histograms"][number]): number[] {
  const out: number[] = [];
  for (let y = 0; y < h.ybins; y++)
    for (let x = 0; x < h.xbins; x++)
      out.push(h.ybins === 1 ? h.full[x + 1] : h.full[(y + 1) * (h.xbins + 2) + x + 1]);
  return out;
}

describe("bring your own DQMIO files: ingest, task, notebook, submit (docs/bring-your-own-data.md)", () => {
  let home: string;
  let dir: string;
  let server: ServerChild | undefined;
  const opts = () => ({ home, cwd: dir });
  const fixture = (name: string) => path.join(FIXTURES, name);
  const splits: Record<string, Table> = {};
  let trainSize = 0;
  let testSize = 0;

  beforeAll(() => {
    requireBuiltCli();
    if (!fs.existsSync(KERNEL)) throw new Error(`${KERNEL} is missing: build first (npm run build)`);
    home = tempDir();
    dir = tempDir("dqm-byo-");
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("ingests the histograms, then the DCS and golden JSON of the same runs", async () => {
    const root = fixture("walkthrough.root");
    const dcs = fixture("walkthrough-dcs.json");
    const golden = fixture("walkthrough-golden.json");
    expect(expectSuccess(await runCli(["ingest", "root", root, "--dataset", "my-dqmio"], opts()))).toBe(
      `ingested ${root} into my-dqmio: 360 records, 120 lumisections, 3 monitor elements\n`,
    );
    expect(expectSuccess(await runCli(["ingest", "dcs", dcs, "--dataset", "my-dqmio"], opts()))).toBe(
      `ingested ${dcs} into my-dqmio: 119 records, 119 lumisections\n`,
    );
    expect(expectSuccess(await runCli(["ingest", "golden", golden, "--dataset", "my-dqmio"], opts()))).toBe(
      `ingested ${golden} into my-dqmio: 105 records, 105 lumisections\n`,
    );
    const runs = expectSuccess(await runCli(["runs", "my-dqmio"], opts()))
      .trimEnd()
      .split("\n")
      .slice(2)
      .map((l) => l.split(/\s+/));
    expect(runs.map((r) => Number(r[0]))).toEqual(expected.runs);
    // lumisections, golden, bad per run: bad = DCS-on and not golden.
    expect(runs.map((r) => r.slice(2, 5).map(Number))).toEqual(
      expected.runs.map((run) => {
        const bad = expected.bad[run]?.length ?? 0;
        const off = run === DCS_OFF.run ? 1 : 0;
        return [10, 10 - bad - off, bad];
      }),
    );
  }, 120_000);

  it("publishes a task from a spec", async () => {
    const spec = path.join(dir, "my-task.yaml");
    fs.writeFileSync(spec, SPEC);
    const out = expectSuccess(await runCli(["task", "create", spec], opts()));
    const m =
      /^created task my-dqmio-task on my-dqmio: train (\d+) lumisections, test (\d+) lumisections; test split sha256 [0-9a-f]{64}\n$/.exec(
        out,
      );
    expect(m).not.toBeNull();
    [trainSize, testSize] = [Number(m![1]), Number(m![2])];
    // Every DCS-on lumisection has the three features: all 119 are labelled and split.
    expect(trainSize + testSize).toBe(119);
    expect(trainSize).toBeGreaterThan(0);
    const view = await cliJson<TaskView>(["task", "show", TASK], opts());
    expect(view).toMatchObject({ dataset: "my-dqmio", features: expected.monitorElements, status: "open" });
    expect(view.splits.train.size).toBe(trainSize);
  }, 60_000);

  it("serves the splits with the ingested histograms, bin for bin, and the labels of the certification JSON", async () => {
    server = await startServer(opts());
    for (const split of ["train", "test"]) {
      const res = await fetch(`${server.url}/api/v1/tasks/${TASK}/splits/${split}`, {
        headers: { authorization: `Bearer ${homeToken(home)}` },
      });
      expect(res.status).toBe(200);
      splits[split] = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    }
    const { train, test } = splits;
    expect(train.numRows).toBe(trainSize);
    expect(test.numRows).toBe(testSize);
    expect(test.schema.fields.map((f) => f.name)).not.toContain("label");
    const rows = (t: Table) =>
      Array.from({ length: t.numRows }, (_, i) => ({
        run: t.getChild("run")!.get(i) as number,
        ls: t.getChild("lumisection")!.get(i) as number,
      }));
    const trainRows = rows(train);
    const testRows = rows(test);
    // A run never spans both splits; together they are every DCS-on lumisection.
    const trainRuns = new Set(trainRows.map((r) => r.run));
    expect(testRows.filter((r) => trainRuns.has(r.run))).toEqual([]);
    const all = [...trainRows, ...testRows].map((r) => `${r.run}:${r.ls}`).sort();
    const dcsOn = expected.runs
      .flatMap((run) => expected.lumisections.map((ls) => `${run}:${ls}`))
      .filter((k) => k !== `${DCS_OFF.run}:${DCS_OFF.lumisection}`)
      .sort();
    expect(all).toEqual(dcsOn);
    // The train labels: bad exactly where the golden JSON leaves out a DCS-on lumisection.
    const labels = Array.from(train.getChild("label")!.toArray() as Int8Array);
    expect(labels).toEqual(trainRows.map((r) => (expected.bad[r.run]?.includes(r.ls) ? 1 : 0)));
    expect(labels.filter((l) => l === 1).length).toBeGreaterThan(0);

    // Every histogram ROOT wrote down (lumisections 1 and 5 of each run, every anomalous one) is in
    // a split exactly, its entries too.
    let compared = 0;
    for (const h of expected.histograms) {
      if (h.run === DCS_OFF.run && h.lumisection === DCS_OFF.lumisection) continue;
      const [table, list] = trainRuns.has(h.run) ? [train, trainRows] : [test, testRows];
      const row = list.findIndex((r) => r.run === h.run && r.ls === h.lumisection);
      expect(row).toBeGreaterThanOrEqual(0);
      expect(bins(table, h.me, row)).toEqual(inner(h));
      expect(table.getChild(`${h.me}:entries`)!.get(row)).toBe(h.entries);
      compared++;
    }
    expect(compared).toBe(expected.histograms.length);
    // The 2D map is 6 x 4 bins, its dead row (y bins 2 and 3 of 4) empty in an anomalous lumisection.
    const zphi = expected.monitorElements[2];
    const bad = expected.histograms.find(
      (h) => h.me === zphi && expected.bad[h.run]?.includes(h.lumisection),
    )!;
    const b = inner(bad);
    expect(b).toHaveLength(24);
    expect(b.slice(12, 18)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(b.slice(0, 6).every((v) => v > 0)).toBe(true);
  }, 60_000);

  it("trains and submits with the walk-through's notebook cells", async () => {
    const script = path.join(dir, "notebook.js");
    fs.writeFileSync(script, NOTEBOOK);
    const child = spawn(process.execPath, [script], {
      env: childEnv(home),
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const r = await finished(child, 180_000);
    if (r.code !== 0) throw new Error(`the notebook cells failed (${r.code}): ${r.stderr}\n${r.stdout}`);
    // The library logs training progress; the script's result is its last line.
    const out = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf("\nRESULT ") + 8)) as {
      features: string[];
      cols: number;
      fit: number;
      onTrain: { rocAuc: number };
      submission: { status: string; method: string; publicMetrics: { rocAuc: number } };
    };
    expect(out.features).toEqual(expected.monitorElements);
    const trainBad = Array.from(splits.train.getChild("label")!.toArray() as Int8Array).filter(
      (l) => l === 1,
    ).length;
    expect(out.fit).toBe(trainSize - trainBad);
    // The anomalies are plain to see: the autoencoder separates them on train.
    expect(out.onTrain.rocAuc).toBeGreaterThan(0.9);
    expect(out.submission).toMatchObject({ status: "scored", method: "AE 32-8" });
    expect(out.submission.publicMetrics.rocAuc).toBeGreaterThan(0.9);
  }, 240_000);

  it("submits a CSV of scores with the CLI and shows it on the leaderboard", async () => {
    // The distance of each test lumisection's mean pixel charge from the split's median mean charge.
    const test = splits.test;
    const means = Array.from({ length: test.numRows }, (_, i) => {
      const h = bins(test, CHARGE, i);
      const sum = h.reduce((a, v) => a + v, 0);
      return h.reduce((a, v, b) => a + v * (b + 0.5) * 5, 0) / sum;
    });
    const median = [...means].sort((a, b) => a - b)[Math.floor(means.length / 2)];
    const lines = ["run,lumisection,score"];
    for (let i = 0; i < test.numRows; i++)
      lines.push(
        `${test.getChild("run")!.get(i)},${test.getChild("lumisection")!.get(i)},${Math.abs(means[i] - median)}`,
      );
    const csv = path.join(dir, "scores.csv");
    fs.writeFileSync(csv, lines.join("\n") + "\n");
    const view = await cliJson<SubmissionView>(["submit", TASK, csv, "--method", "mean-charge"], opts());
    expect(view).toMatchObject({ task: TASK, method: "mean-charge", status: "scored" });
    // The charge peak of an anomalous lumisection is shifted from 45 to 22: a perfect separation.
    expect(view.publicMetrics!.rocAuc).toBe(1);
    expect(view.privateMetrics!.rocAuc).toBe(1);
    expect(view.publicMetrics!.n! + view.privateMetrics!.n!).toBe(testSize);

    const board = await cliJson<Leaderboard>(["leaderboard", TASK], opts());
    expect(board).toMatchObject({ task: TASK, status: "open", scores: "public" });
    const mine = board.rows.filter((r) => r.mine);
    expect(mine.map((r) => r.method).sort()).toEqual(["AE 32-8", "mean-charge"]);
    expect(mine.find((r) => r.method === "mean-charge")!.rocAuc).toBe(1);
  }, 120_000);
});
