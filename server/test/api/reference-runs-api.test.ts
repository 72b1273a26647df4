/**
 * Designated reference runs: the store's rules (nearest before, else after; refusals) and the REST
 * routes GET/PUT /datasets/{dataset}/reference-runs with the `referenceRun` field of the runs list.
 */
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/api/app";
import { openTestStore, testEngines } from "../helpers/stores";
import { record1d } from "../helpers/records";
import type { TestStore as Store } from "../helpers/stores";
import { createUser } from "../../src/store/users";
import { MAX_NOTE_LENGTH, nearestReference } from "../../src/store/reference-runs";
import { datasetId } from "../../src/store/datasets";

const RUNS = [100, 101, 102, 103, 104, 105, 106];
/** Run 104 is in the test split of an open task, 105 in that of a closed one, 106 in a train split. */
const HIDDEN = 104;

/** A task row with the given split lumisections (inserted directly: the task engine is not under test). */
async function insertTask(
  store: Store,
  name: string,
  status: "open" | "closed",
  lumisections: Array<{ run: number; split: "train" | "test" }>,
): Promise<void> {
  const task = await store.db
    .insertInto("tasks")
    .values({
      name,
      title: name,
      description: "",
      dataset_id: await datasetId(store.db, "ds"),
      spec: "{}",
      status,
      train_sha256: `${name}-train`,
      test_sha256: `${name}-test`,
      train_size: 1,
      test_size: 1,
      daily_limit: 1,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await store.db
    .insertInto("task_lumisections")
    .values(
      lumisections.map((l) => ({
        task_id: task.id,
        run: l.run,
        lumisection: 1,
        split: l.split,
        part: l.split === "test" ? ("private" as const) : null,
        bad: 0,
      })),
    )
    .execute();
}

describe("nearestReference", () => {
  it("takes the nearest designated run before, else after, never the run itself", () => {
    expect(nearestReference([], 100)).toBeNull();
    expect(nearestReference([100], 100)).toBeNull();
    expect(nearestReference([100, 103], 102)).toBe(100);
    expect(nearestReference([100, 101, 103], 103)).toBe(101);
    expect(nearestReference([103, 105], 101)).toBe(103);
    expect(nearestReference([100, 103], 100)).toBe(103);
    expect(nearestReference([100, 103], 200)).toBe(103);
  });
});

describe.each(testEngines())("reference runs on %s", (engine) => {
  let store: Store;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let admin: string;
  let alice: string;

  beforeAll(async () => {
    const opened = await openTestStore(engine);
    store = opened.store;
    close = opened.close;
    await store.ingestHistograms(
      { name: "ds", era: "2018" },
      { format: "csv", source: "a.csv", sha256: "a" },
      RUNS.flatMap((run) => [1, 2].map((ls) => record1d(run, ls))),
    );
    await store.ingestHistograms(
      { name: "other" },
      { format: "csv", source: "b.csv", sha256: "b" },
      [1, 2].map((ls) => record1d(900, ls)),
    );
    await insertTask(store, "open-task", "open", [
      { run: HIDDEN, split: "test" },
      { run: 106, split: "train" },
    ]);
    await insertTask(store, "closed-task", "closed", [{ run: 105, split: "test" }]);
    admin = (await createUser(store.db, "boss", "admin")).token;
    alice = (await createUser(store.db, "alice", "participant")).token;
    app = await buildApp({ store });
  });
  afterAll(async () => {
    await app.close();
    await close();
  });

  const request = (method: "GET" | "PUT", url: string, token: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1/datasets/${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  describe("store", () => {
    afterEach(async () => {
      await store.setReferenceRuns("ds", []);
    });

    it("sets, lists and replaces reference runs; a number alone keeps an existing note", async () => {
      expect(await store.referenceRuns("ds")).toEqual([]);
      const set = await store.setReferenceRuns("ds", [{ run: 102, note: "stable beams, all good" }, 100]);
      expect(set.map((r) => [r.run, r.note, r.setBy])).toEqual([
        [100, null, null],
        [102, "stable beams, all good", null],
      ]);
      expect(Number.isNaN(Date.parse(set[0].setAt))).toBe(false);
      const replaced = await store.setReferenceRuns("ds", [102, 103], { setBy: "boss" });
      // 102 stays (with its note and who set it); 100 goes; 103 is new and names its admin.
      expect(replaced.map((r) => [r.run, r.note, r.setBy])).toEqual([
        [102, "stable beams, all good", null],
        [103, null, "boss"],
      ]);
      expect(replaced[0].setAt).toBe(set[1].setAt);
      const renoted = await store.setReferenceRuns("ds", [{ run: 102, note: null }, 103], { setBy: "boss" });
      expect(renoted.map((r) => [r.run, r.note, r.setBy])).toEqual([
        [102, null, "boss"],
        [103, null, "boss"],
      ]);
      expect(await store.setReferenceRuns("ds", [])).toEqual([]);
    });

    it("finds the reference run for a run: nearest before, else after, null when none", async () => {
      expect(await store.referenceRunFor("ds", 101)).toBeNull();
      await store.setReferenceRuns("ds", [101, 103]);
      expect(await store.referenceRunFor("ds", 100)).toBe(101);
      expect(await store.referenceRunFor("ds", 101)).toBe(103);
      expect(await store.referenceRunFor("ds", 102)).toBe(101);
      expect(await store.referenceRunFor("ds", 103)).toBe(101);
      expect(await store.referenceRunFor("ds", 106)).toBe(103);
      // Designations belong to one data set.
      expect(await store.referenceRunFor("other", 900)).toBeNull();
    });

    it("names an unknown run or data set", async () => {
      await expect(store.referenceRunFor("ds", 999)).rejects.toThrow("data set 'ds' has no run 999");
      await expect(store.referenceRunFor("nope", 100)).rejects.toThrow("no data set named 'nope'");
      await expect(store.referenceRuns("nope")).rejects.toThrow("no data set named 'nope'");
      await expect(store.setReferenceRuns("nope", [100])).rejects.toThrow("no data set named 'nope'");
    });

    it("refuses bad lists and changes nothing then", async () => {
      await store.setReferenceRuns("ds", [100]);
      await expect(store.setReferenceRuns("ds", [101, 999])).rejects.toThrow(
        expect.objectContaining({ statusCode: 400, message: "data set 'ds' has no run 999" }),
      );
      // Run 900 exists, but in another data set.
      await expect(store.setReferenceRuns("ds", [900])).rejects.toThrow("data set 'ds' has no run 900");
      await expect(store.setReferenceRuns("ds", [101, 101])).rejects.toThrow("run 101 is listed twice");
      await expect(
        store.setReferenceRuns("ds", [{ run: 101, note: "x".repeat(MAX_NOTE_LENGTH + 1) }]),
      ).rejects.toThrow(`the note of run 101 has ${MAX_NOTE_LENGTH + 1} characters; at most 500 are kept`);
      await expect(store.setReferenceRuns("ds", [101, HIDDEN])).rejects.toThrow(
        expect.objectContaining({
          statusCode: 409,
          message: `run ${HIDDEN} is in the hidden test split of open task open-task: designating it as reference would reveal that it is good`,
        }),
      );
      expect((await store.referenceRuns("ds")).map((r) => r.run)).toEqual([100]);
    });

    it("accepts runs whose labels are public: a closed task's test split, a train split", async () => {
      const set = await store.setReferenceRuns("ds", [105, 106]);
      expect(set.map((r) => r.run)).toEqual([105, 106]);
    });
  });

  describe("REST", () => {
    afterEach(async () => {
      await store.setReferenceRuns("ds", []);
    });

    it("lets an admin replace the list and anyone read it", async () => {
      const put = await request("PUT", "ds/reference-runs", admin, {
        runs: [101, { run: 103, note: "good run" }],
      });
      expect(put.statusCode).toBe(200);
      const body = put.json();
      expect(body).toMatchObject({ total: 2, next: null });
      expect(
        body.items.map((r: { run: number; note: string | null; setBy: string }) => [r.run, r.note, r.setBy]),
      ).toEqual([
        [101, null, "boss"],
        [103, "good run", "boss"],
      ]);
      const got = await request("GET", "ds/reference-runs", alice);
      expect(got.statusCode).toBe(200);
      expect(got.json()).toEqual(body);
      const page = (await request("GET", "ds/reference-runs?limit=1", alice)).json();
      expect([page.items.length, page.total, typeof page.next]).toEqual([1, 2, "string"]);
    });

    it("tells in the runs list which reference run applies to each run", async () => {
      await store.setReferenceRuns("ds", [101, 103]);
      const runs = (await request("GET", "ds/runs", alice)).json().items as Array<{
        run: number;
        referenceRun: number | null;
        isReference: boolean;
      }>;
      expect(runs.map((r) => [r.run, r.referenceRun, r.isReference])).toEqual([
        [100, 101, false],
        [101, 103, true],
        [102, 101, false],
        [103, 101, true],
        [104, 103, false],
        [105, 103, false],
        [106, 103, false],
      ]);
    });

    it("refuses a participant", async () => {
      const res = await request("PUT", "ds/reference-runs", alice, { runs: [101] });
      expect([res.statusCode, res.json().message]).toEqual([
        403,
        "user 'alice' is not an admin: this needs the admin role",
      ]);
      expect(await store.referenceRuns("ds")).toEqual([]);
    });

    it.each([
      ["a run not in the data set", { runs: [101, 999] }, 400, "data set 'ds' has no run 999"],
      ["a run twice", { runs: [101, 101] }, 400, "run 101 is listed twice"],
      [
        "a hidden test run",
        { runs: [HIDDEN] },
        409,
        `run ${HIDDEN} is in the hidden test split of open task open-task: designating it as reference would reveal that it is good`,
      ],
      ["no runs", {}, 400, "invalid request: body must have required property 'runs'"],
      ["a negative run", { runs: [-1] }, 400, /^invalid request: body\/runs\/0 must be >= 0/],
      ["a note without its run", { runs: [{ note: "x" }] }, 400, /^invalid request: body\/runs\/0 /],
      [
        "too long a note",
        { runs: [{ run: 101, note: "x".repeat(501) }] },
        400,
        /^invalid request: body\/runs\/0/,
      ],
    ])("refuses %s with %i and a message", async (_what, payload, status, message) => {
      const res = await request("PUT", "ds/reference-runs", admin, payload);
      expect(res.statusCode).toBe(status);
      expect(res.json().message).toEqual(
        typeof message === "string" ? message : expect.stringMatching(message),
      );
      expect(await store.referenceRuns("ds")).toEqual([]);
    });

    it("names an unknown data set", async () => {
      for (const [method, token] of [
        ["GET", alice],
        ["PUT", admin],
      ] as const) {
        const res = await request(
          method,
          "nope/reference-runs",
          token,
          method === "PUT" ? { runs: [] } : undefined,
        );
        expect([res.statusCode, res.json().message]).toEqual([404, "no data set named 'nope'"]);
      }
    });

    it("needs a token to read", async () => {
      const res = await app.inject({ method: "GET", url: "/api/v1/datasets/ds/reference-runs" });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toMatch(/^missing 'Authorization: Bearer <token>' header/);
    });

    it("documents both operations in the OpenAPI document", async () => {
      const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
      const ops = doc.paths["/api/v1/datasets/{dataset}/reference-runs"];
      expect(Object.keys(ops).sort()).toEqual(["get", "put"]);
      expect(ops.put.summary).toBe("Replace the designated reference runs of a data set (admin)");
      const runProps =
        doc.paths["/api/v1/datasets/{dataset}/runs"].get.responses["200"].content["application/json"].schema
          .properties.items.items.properties;
      expect(Object.keys(runProps)).toEqual(expect.arrayContaining(["referenceRun", "isReference"]));
    });
  });
});
