/**
 * Hidden labels stay hidden across tasks and servers: two open tasks on one data set, and a participant
 * who crawls every GET route of the OpenAPI document (data sets, runs, lumisections, histograms with
 * label filters, tasks, the splits of every task, submissions, leaderboards as JSON and CSV) finds no
 * label of a run in an open task's test split. Closing a task releases its runs' labels (unless another
 * open task still holds them). Run on PGlite and PostgreSQL, and with two app instances on one
 * PostgreSQL database: one publishes, takes submissions and closes, the other is crawled.
 */
import { tableFromIPC } from "apache-arrow";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/api/app";
import { Store } from "../../src/store/store";
import { openTestStore, testEngines, type TestEngine } from "../helpers/stores";
import { loadFixture, TASK_SPEC } from "../helpers/task-fixture";
import { LABEL_FIELDS, leaks } from "../helpers/label-leaks";

const TASKS = [TASK_SPEC, { ...TASK_SPEC, name: "second-task", split: { ...TASK_SPEC.split, seed: 11 } }];

/** Leaks in any body the service sends: JSON, Arrow (a label column) or CSV (a label column). */
function leaksIn(res: LightMyRequestResponse, hidden: Set<number>): string[] {
  const type = String(res.headers["content-type"] ?? "");
  if (type.includes("json")) return leaks(res.json(), hidden);
  if (type.includes("arrow")) {
    const t = tableFromIPC(res.rawPayload);
    const runs = t.getChild("run")?.toArray() as Int32Array | undefined;
    if (!runs || !t.schema.fields.some((f) => LABEL_FIELDS.includes(f.name))) return [];
    return [...new Set(runs.filter((r) => hidden.has(r)))].map((r) => `arrow row of run ${r} with labels`);
  }
  if (type.includes("csv")) {
    const [header, ...rows] = res.body.trimEnd().split("\n");
    const columns = header.split(",");
    const run = columns.indexOf("run");
    const labelled = columns.filter((c) => LABEL_FIELDS.includes(c));
    if (run < 0 || labelled.length === 0) return [];
    return rows.filter((r) => hidden.has(Number(r.split(",")[run]))).map((r) => `csv row ${r}`);
  }
  return [];
}

interface Variant {
  engine: TestEngine;
  twoApps: boolean;
}

const variants: Variant[] = testEngines().map((engine) => ({ engine, twoApps: false }));
if (testEngines().includes("postgres")) variants.push({ engine: "postgres", twoApps: true });

describe.each(variants)("hidden labels on $engine (two app instances: $twoApps)", ({ engine, twoApps }) => {
  /** `writer` publishes, takes submissions and closes; `reader` is crawled (the same app unless twoApps). */
  let writer: FastifyInstance;
  let reader: FastifyInstance;
  let closeAll: () => Promise<void>;
  let tokens: { admin: string; alice: string; bob: string };
  /** Test runs of each task. */
  const testRuns = new Map<string, Set<number>>();
  const submissionIds: number[] = [];

  const get = (app: FastifyInstance, who: keyof typeof tokens, url: string) =>
    app.inject({ method: "GET", url, headers: { authorization: `Bearer ${tokens[who]}` } });
  const post = (who: keyof typeof tokens, url: string, payload?: object) =>
    writer.inject({ method: "POST", url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });

  const hiddenBy = (tasks: string[]) => new Set(tasks.flatMap((t) => [...testRuns.get(t)!]));

  beforeAll(async () => {
    const opened = await openTestStore(engine);
    tokens = await loadFixture(opened.store);
    writer = await buildApp({ store: opened.store });
    let second: Store | null = null;
    if (twoApps) {
      second = await Store.open(opened.home.config);
      reader = await buildApp({ store: second });
    } else reader = writer;
    closeAll = async () => {
      if (reader !== writer) await reader.close();
      await second?.close();
      await writer.close();
      await opened.close();
    };
    for (const spec of TASKS) {
      const created = await post("admin", "/api/v1/tasks", spec);
      expect([created.statusCode, created.json().name]).toEqual([201, spec.name]);
      // Read back through the other instance: the split files and rows are shared.
      const split = await get(reader, "alice", `/api/v1/tasks/${spec.name}/splits/test`);
      expect(split.statusCode).toBe(200);
      const table = tableFromIPC(split.rawPayload);
      const runs = table.getChild("run")!.toArray() as Int32Array;
      const ls = table.getChild("lumisection")!.toArray() as Int32Array;
      testRuns.set(spec.name, new Set(runs));
      for (const who of ["alice", "bob"] as const) {
        // Every lumisection its own score: the submission a decoder would make.
        const submitted = await post(who, `/api/v1/tasks/${spec.name}/submissions`, {
          method: "one score each",
          split_sha256: split.headers["x-split-sha256"],
          scores: Array.from(runs, (run, i) => ({
            run,
            lumisection: ls[i],
            score: who === "alice" ? i : -i,
          })),
        });
        expect(submitted.statusCode).toBe(201);
        submissionIds.push(submitted.json().id as number);
      }
    }
  });
  afterAll(async () => {
    await closeAll();
  });

  /** Every GET URL worth asking: each OpenAPI path with every task, split, hidden run and submission. */
  async function crawlUrls(runs: number[]): Promise<string[]> {
    const doc = (await reader.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const values: Record<string, string[]> = {
      dataset: ["ds"],
      task: TASKS.map((t) => t.name),
      split: ["train", "test"],
      run: runs.map(String),
      id: submissionIds.map(String),
    };
    const urls: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      if (!("get" in ops)) continue;
      let filled = [path];
      for (const [param, options] of Object.entries(values))
        if (path.includes(`{${param}}`))
          filled = filled.flatMap((p) => options.map((v) => p.replace(`{${param}}`, v)));
      for (const url of filled)
        urls.push(
          url,
          `${url}?me=charge`,
          `${url}?me=charge&label=bad&limit=10000`,
          `${url}?me=charge&label=good&limit=10000`,
          `${url}?label=bad`,
          `${url}?format=csv`,
          `${url}?scores=public&best_per_user=true`,
          `${url}?all=true`,
          `${url}?format=arrow&me=charge&label=bad`,
        );
    }
    return urls;
  }

  async function crawl(who: keyof typeof tokens, hidden: Set<number>): Promise<number> {
    let ok = 0;
    for (const url of await crawlUrls([...hidden].slice(0, 3))) {
      const res = await get(reader, who, url);
      expect({ url, leaks: leaksIn(res, hidden) }).toEqual({ url, leaks: [] });
      if (res.statusCode === 200) ok++;
    }
    return ok;
  }

  it("gives a participant (and an admin) no label of a run in an open task's test split", async () => {
    const hidden = hiddenBy(TASKS.map((t) => t.name));
    expect(hidden.size).toBeGreaterThan(0);
    expect(await crawl("alice", hidden)).toBeGreaterThan(60);
    expect(await crawl("admin", hidden)).toBeGreaterThan(60);
    // Every task's train split was crawled: it holds no hidden run, or it is refused.
    for (const { name } of TASKS) {
      const res = await get(reader, "alice", `/api/v1/tasks/${name}/splits/train`);
      if (res.statusCode === 200) {
        const runs = tableFromIPC(res.rawPayload).getChild("run")!.toArray() as Int32Array;
        expect(runs.filter((r) => hidden.has(r))).toHaveLength(0);
      } else expect([res.statusCode, res.json().message]).toEqual([403, expect.stringContaining("withheld")]);
    }
  });

  it("releases a task's labels when it closes, except those another open task still holds", async () => {
    const [first, second] = TASKS.map((t) => t.name);
    expect((await post("admin", `/api/v1/tasks/${first}/close`)).json().status).toBe("closed");
    const stillHidden = hiddenBy([second]);
    expect(await crawl("alice", stillHidden)).toBeGreaterThan(60);
    const runs = (await get(reader, "alice", "/api/v1/datasets/ds/runs")).json().items as Array<{
      run: number;
      labelsWithheld: boolean;
      golden: number | null;
    }>;
    expect(runs.map((r) => [r.run, r.labelsWithheld, r.golden === null])).toEqual(
      runs.map((r) => [r.run, stillHidden.has(r.run), stillHidden.has(r.run)]),
    );

    expect((await post("admin", `/api/v1/tasks/${second}/close`)).json().status).toBe("closed");
    const released = [...hiddenBy([first, second])];
    for (const run of released) {
      const res = await get(reader, "alice", `/api/v1/datasets/ds/runs/${run}/lumisections?label=good`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items.length).toBeGreaterThan(0);
      expect(res.json().items.every((l: { labelsWithheld: boolean }) => !l.labelsWithheld)).toBe(true);
    }
    const after = (await get(reader, "alice", "/api/v1/datasets/ds/runs")).json().items as Array<{
      labelsWithheld: boolean;
      golden: number | null;
    }>;
    expect(after.filter((r) => r.labelsWithheld || r.golden === null)).toEqual([]);
    const histograms = (
      await get(reader, "alice", "/api/v1/datasets/ds/histograms?me=charge&label=bad&limit=10000")
    ).json().items as Array<{ run: number }>;
    expect(histograms.filter((h) => released.includes(h.run)).length).toBeGreaterThan(0);
    for (const { name } of TASKS)
      expect((await get(reader, "alice", `/api/v1/tasks/${name}/splits/train`)).statusCode).toBe(200);
  });
});
