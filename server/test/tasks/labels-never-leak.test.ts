/**
 * Test labels never leave the server: every GET route, for a participant and an admin, is crawled
 * and no response may carry a label, golden flag or golden count of a lumisection in a test split.
 * A submission that gives every lumisection its own score (whose exact ROC curve would spell out the
 * labels, one step per lumisection) is scored first: its curves may only be the fixed coarse grids.
 */
import { tableFromIPC } from "apache-arrow";
import type { FastifyInstance } from "fastify";
import { testEngines } from "../helpers/stores";
import { fixtureApp, TASK_SPEC, type FixtureApp } from "../helpers/task-fixture";
import { GREY_ZONE_ALPHA_GRID, ROC_FPR_GRID } from "@dqm-playground/scoring";
import { leaks } from "../helpers/label-leaks";

/** Every `curves` object in a JSON body; each must hold the fixed grids and one value per grid point. */
function curvesIn(
  body: unknown,
  path = "$",
): Array<{ path: string; curves: Record<string, unknown> | null }> {
  if (Array.isArray(body)) return body.flatMap((v, i) => curvesIn(v, `${path}[${i}]`));
  if (body === null || typeof body !== "object") return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([k, v]) =>
    k === "curves"
      ? [{ path: `${path}.${k}`, curves: v as Record<string, unknown> | null }]
      : curvesIn(v, `${path}.${k}`),
  );
}

function coarseShape(curves: Record<string, unknown>): unknown {
  const roc = curves.roc as { fpr: unknown[]; tpr: unknown[] };
  const zone = curves.greyZone as { alpha: unknown[]; savedEffort: unknown[] };
  return {
    keys: Object.keys(curves).sort(),
    fpr: roc.fpr,
    tpr: roc.tpr.length,
    alpha: zone.alpha,
    savedEffort: zone.savedEffort.length,
  };
}

const COARSE_SHAPE = {
  keys: ["greyZone", "roc"],
  fpr: [...ROC_FPR_GRID],
  tpr: ROC_FPR_GRID.length,
  alpha: [...GREY_ZONE_ALPHA_GRID],
  savedEffort: GREY_ZONE_ALPHA_GRID.length,
};

describe.each(testEngines())("labels never leak on %s", (engine) => {
  const f = fixtureApp(engine);
  let app: FastifyInstance;
  let tokens: FixtureApp["tokens"];
  let testRuns: Set<number>;

  beforeAll(async () => {
    ({ app, tokens } = f);
    const created = await app.inject({
      method: "POST",
      url: "/api/v1/tasks",
      headers: { authorization: `Bearer ${tokens.admin}` },
      payload: TASK_SPEC,
    });
    expect(created.statusCode).toBe(201);
    const split = await app.inject({
      method: "GET",
      url: "/api/v1/tasks/charge-task/splits/test",
      headers: { authorization: `Bearer ${tokens.alice}` },
    });
    const test = tableFromIPC(split.rawPayload);
    testRuns = new Set(test.getChild("run")!.toArray() as Int32Array);
    expect(testRuns.size).toBeGreaterThan(0);
    const runs = test.getChild("run")!.toArray() as Int32Array;
    const ls = test.getChild("lumisection")!.toArray() as Int32Array;
    const submitted = await app.inject({
      method: "POST",
      url: "/api/v1/tasks/charge-task/submissions",
      headers: { authorization: `Bearer ${tokens.alice}` },
      payload: {
        method: "one score each",
        split_sha256: split.headers["x-split-sha256"],
        scores: Array.from(runs, (run, i) => ({ run, lumisection: ls[i], score: i })),
      },
    });
    expect([submitted.statusCode, submitted.json().id]).toEqual([201, 1]);
  });

  it.each(["alice", "admin"] as const)("no GET route gives %s a test label", async (who) => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const run = [...testRuns][0];
    const fill: Record<string, string> = {
      dataset: "ds",
      task: "charge-task",
      split: "test",
      run: String(run),
      id: "1",
    };
    const urls: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      if (!("get" in ops)) continue;
      const url = path.replace(/\{(\w+)\}/g, (_, p: string) => fill[p]);
      urls.push(url, `${url}?me=charge`, `${url}?me=charge&label=bad`, `${url}?me=charge&label=good`);
    }
    urls.push(
      "/api/v1/tasks/charge-task/splits/train",
      `/api/v1/datasets/ds/runs/${run}/lumisections?label=bad`,
    );
    let checked = 0;
    let curvesSeen = 0;
    for (const url of urls) {
      const res = await app.inject({
        method: "GET",
        url,
        headers: { authorization: `Bearer ${tokens[who]}` },
      });
      const contentType = String(res.headers["content-type"] ?? "");
      if (contentType.includes("arrow")) {
        const t = tableFromIPC(res.rawPayload);
        const runs = t.getChild("run")?.toArray() as Int32Array | undefined;
        if (t.getChild("label") && runs) expect(runs.filter((r) => testRuns.has(r))).toHaveLength(0);
        checked++;
        continue;
      }
      if (contentType.includes("json")) {
        expect({ url, leaks: leaks(res.json(), testRuns) }).toEqual({ url, leaks: [] });
        for (const { path, curves } of curvesIn(res.json())) {
          expect({ url, path, curves }).not.toEqual({ url, path, curves: null });
          expect({ url, path, shape: coarseShape(curves!) }).toEqual({ url, path, shape: COARSE_SHAPE });
          curvesSeen++;
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // The leaderboard row, the submission and the submission list; an admin also sees private curves.
    expect(curvesSeen).toBeGreaterThanOrEqual(who === "admin" ? 6 : 3);
  });

  it("withholds certification of test runs and refuses to filter them by label", async () => {
    const get = (url: string) =>
      app.inject({ method: "GET", url, headers: { authorization: `Bearer ${tokens.alice}` } });
    const runs = (await get("/api/v1/datasets/ds/runs")).json().items as Array<{
      run: number;
      labelsWithheld: boolean;
      golden: number | null;
    }>;
    for (const r of runs)
      expect([r.run, r.labelsWithheld, r.golden === null]).toEqual([
        r.run,
        testRuns.has(r.run),
        testRuns.has(r.run),
      ]);
    const run = [...testRuns][0];
    const res = await get(`/api/v1/datasets/ds/runs/${run}/lumisections?label=bad`);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe(
      `column 'label': labels of run ${run} are withheld (it is in the test split of a task), so it cannot be filtered by label`,
    );
    const good = (await get("/api/v1/datasets/ds/histograms?me=charge&label=good&limit=10000")).json();
    expect(good.items.length).toBeGreaterThan(0);
    expect(good.items.filter((r: { run: number }) => testRuns.has(r.run))).toEqual([]);
  });
});
