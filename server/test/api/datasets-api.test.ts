import { tableFromIPC } from "apache-arrow";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/api/app";
import { openTestStore, testEngines } from "../helpers/stores";
import { record1d, record2d } from "../helpers/records";
import type { TestStore as Store } from "../helpers/stores";
import { createUser } from "../../src/store/users";

describe.each(testEngines())("datasets API on %s", (engine) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let token: string;

  beforeAll(async () => {
    const opened = await openTestStore(engine);
    store = opened.store;
    close = opened.close;
    const info = { name: "ds", era: "2018", primaryDataset: "ZeroBias" };
    await store.ingestHistograms(info, { format: "csv", source: "a.csv", sha256: "a" }, [
      ...[1, 2, 3, 4].map((ls) => record1d(100, ls)),
      ...[1, 2].map((ls) => record1d(101, ls)),
      ...[1, 2].map((ls) => record2d(100, ls)),
    ]);
    await store.ingestCertification(
      info,
      { kind: "dcs", name: "dcs", source: "dcs.json", sha256: "d" },
      new Map([
        [100, [[1, 4]]],
        [101, [[1, 2]]],
      ]),
    );
    await store.ingestCertification(
      info,
      { kind: "golden", name: "golden", source: "g.json", sha256: "g" },
      new Map([
        [100, [[1, 2]]],
        [101, [[1, 2]]],
      ]),
    );
    await store.ingestMetadata(info, [
      { run: 100, lumisection: 1, fill: 7000, pileup: 50.5, beamsStable: true },
    ]);
    token = (await createUser(store.db, "alice", "participant")).token;
    app = await buildApp({ store });
  });
  afterAll(async () => {
    await app.close();
    await close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}`, ...headers } });

  it("lists data sets with counts", async () => {
    const res = await get("/api/v1/datasets");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        {
          name: "ds",
          era: "2018",
          primaryDataset: "ZeroBias",
          description: null,
          monitorElements: 2,
          runs: 2,
          lumisections: 6,
        },
      ],
      total: 1,
      next: null,
    });
  });

  it("lists monitor elements with binning", async () => {
    const res = await get("/api/v1/datasets/ds/monitor-elements");
    expect(
      res.json().items.map((m: { name: string; binning: { dim: number } }) => [m.name, m.binning.dim]),
    ).toEqual([
      ["charge", 1],
      ["occupancy", 2],
    ]);
  });

  it("lists runs with golden fraction and pages through them", async () => {
    const first = await get("/api/v1/datasets/ds/runs?limit=1");
    const body = first.json();
    expect(body.items).toEqual([
      {
        run: 100,
        fill: 7000,
        lumisections: 4,
        golden: 2,
        goldenFraction: 0.5,
        bad: 2,
        labelsWithheld: false,
        referenceRun: null,
        isReference: false,
      },
    ]);
    expect(body.total).toBe(2);
    const second = (await get(`/api/v1/datasets/ds/runs?limit=1&cursor=${body.next}`)).json();
    expect(second.items.map((r: { run: number }) => r.run)).toEqual([101]);
    expect(second.next).toBeNull();
  });

  it("lists lumisections with labels and metadata, filtered by label", async () => {
    const all = (await get("/api/v1/datasets/ds/runs/100/lumisections")).json();
    expect(all.items.map((l: { label: string }) => l.label)).toEqual(["good", "good", "bad", "bad"]);
    expect(all.items[0]).toMatchObject({
      fill: 7000,
      pileup: 50.5,
      beamsStable: true,
      golden: true,
      dcs: true,
      flags: [],
    });
    const bad = (await get("/api/v1/datasets/ds/runs/100/lumisections?label=bad")).json();
    expect(bad.items.map((l: { lumisection: number }) => l.lumisection)).toEqual([3, 4]);
  });

  it("serves histograms as an Arrow stream with binning in the schema metadata", async () => {
    const res = await get("/api/v1/datasets/ds/histograms?me=charge&run=100", {
      accept: "application/vnd.apache.arrow.stream",
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/vnd.apache.arrow.stream");
    const table = tableFromIPC(res.rawPayload);
    expect(table.numRows).toBe(4);
    expect(table.schema.metadata.get("x_bin")).toBe("4");
    expect(Array.from(table.getChild("data")!.get(0)!.toArray() as Float32Array)).toEqual([
      (100 % 7) + 1,
      1,
      2,
      3,
    ]);
  });

  it("serves histograms as JSON like DIALS, 2D as data[y][x], flow on request", async () => {
    const res = (await get("/api/v1/datasets/ds/histograms?me=occupancy&run=100&limit=1")).json();
    expect(res.total).toBe(2);
    expect(res.items[0]).toMatchObject({ run: 100, lumisection: 1, me: "occupancy", x_bin: 3, y_bin: 2 });
    expect(res.items[0].data).toHaveLength(2);
    expect(res.items[0].data[0]).toHaveLength(3);
    const flow = (await get("/api/v1/datasets/ds/histograms?me=charge&run=101&include_flow=true")).json();
    expect(flow.items[0].data).toEqual([1, (101 % 7) + 1, 1, 2, 3, 1]);
    expect(flow.items[0]).toMatchObject({ x_bin: 6, x_min: -2.5, x_max: 12.5 });
  });

  it("filters histograms by label and minimum entries", async () => {
    const good = (await get("/api/v1/datasets/ds/histograms?me=charge&label=good")).json();
    expect(good.items.map((r: { run: number; lumisection: number }) => [r.run, r.lumisection])).toEqual([
      [100, 1],
      [100, 2],
      [101, 1],
      [101, 2],
    ]);
    const many = (await get("/api/v1/datasets/ds/histograms?me=charge&min_entries=14")).json();
    expect(many.items.every((r: { entries: number }) => r.entries >= 14)).toBe(true);
    expect(many.total).toBeGreaterThan(0);
    expect(many.total).toBeLessThan(6);
  });

  it.each([
    ["/api/v1/datasets/nope/runs", 404, "no data set named 'nope'"],
    ["/api/v1/datasets/ds/histograms?me=missing", 404, "data set 'ds' has no monitor element 'missing'"],
    ["/api/v1/datasets/ds/histograms", 400, "querystring must have required property 'me'"],
    ["/api/v1/datasets/ds/histograms?me=charge&run=abc", 400, "querystring/run must be integer"],
    [
      "/api/v1/datasets/ds/histograms?me=charge&run_min=5&run_max=2",
      400,
      "run_min 5 is greater than run_max 2",
    ],
    [
      "/api/v1/datasets/ds/histograms?me=charge&run=1&run_min=1",
      400,
      "give either run or run_min/run_max, not both",
    ],
    ["/api/v1/datasets/ds/runs?cursor=zzz", 400, "invalid cursor 'zzz'"],
    ["/api/v1/datasets/ds/runs/999/lumisections", 404, "data set 'ds' has no run 999"],
    [
      "/api/v1/datasets/ds/runs/100/lumisections?label=ugly",
      400,
      "querystring/label must be equal to one of the allowed values",
    ],
    ["/api/v1/nothing", 404, "no route GET /api/v1/nothing"],
  ])("GET %s answers %i with a message saying what is wrong", async (url, status, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.json().message).toContain(message);
  });

  it.each([
    [{}, "missing 'Authorization: Bearer <token>' header"],
    [{ authorization: "Basic abc" }, "malformed Authorization header"],
    [{ authorization: "Bearer not-a-token" }, "unknown or revoked token"],
  ])("refuses a request without a valid token (%j)", async (headers, message) => {
    const res = await app.inject({ method: "GET", url: "/api/v1/datasets", headers });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toContain(message);
    expect(res.json().message).not.toContain(token);
  });

  it("answers the service status without a token", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/health" });
    expect(res.json()).toMatchObject({ service: "dqm-playground", engine });
  });

  it("publishes an OpenAPI document covering every route", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    expect(doc.openapi).toBe("3.0.3");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/v1/datasets",
      "/api/v1/datasets/{dataset}/histograms",
      "/api/v1/datasets/{dataset}/monitor-elements",
      "/api/v1/datasets/{dataset}/reference-runs",
      "/api/v1/datasets/{dataset}/runs",
      "/api/v1/datasets/{dataset}/runs/{run}/lumisections",
      "/api/v1/health",
      "/api/v1/tasks",
      "/api/v1/tasks/{task}",
      "/api/v1/tasks/{task}/close",
      "/api/v1/tasks/{task}/leaderboard",
      "/api/v1/tasks/{task}/splits/{split}",
      "/api/v1/tasks/{task}/submissions",
      "/api/v1/tasks/{task}/submissions/{id}",
    ]);
  });
});
