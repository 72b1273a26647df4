/**
 * The task specification's schema is the contract's (TaskSpecInputSchema): checkTaskSpec validates
 * files and bodies with it, fills its defaults and adds the rules JSON Schema cannot say; the POST /tasks
 * route takes it as its body schema, and the OpenAPI document shows it.
 */
import type { FastifyInstance } from "fastify";
import { TaskSpecInputSchema, type TaskSpecInput } from "@dqm-playground/api-types";
import { buildApp } from "../../src/api/app";
import { checkTaskSpec, taskSpecSchema, type TaskSpec } from "../../src/tasks/task-spec";
import { openTestStore, testEngines, type TestStore } from "../helpers/stores";
import { loadFixture, TASK_SPEC } from "../helpers/task-fixture";

const minimal: TaskSpecInput = { name: "t1", dataset: "ds", features: ["charge"] };

describe("checkTaskSpec", () => {
  it("uses the contract's schema", () => {
    expect(taskSpecSchema).toBe(TaskSpecInputSchema);
  });

  it("fills in every default and resolves title and description, leaving its argument alone", () => {
    const given = structuredClone(minimal);
    const expected: TaskSpec = {
      name: "t1",
      title: "t1",
      description: "",
      dataset: "ds",
      features: ["charge"],
      labelling: "golden-among-dcs",
      split: { strategy: "random", test_fraction: 0.5, public_fraction: 0.5, seed: 1 },
      preprocessing: { include_flow: false, min_entries: 0 },
      metrics: { alpha: 0.01, beta: 0.01, fpr_targets: [0.01, 0.001], precision: 3, publish_counts: false },
      daily_limit: 5,
    };
    expect(checkTaskSpec(given)).toEqual(expected);
    expect(given).toEqual(minimal);
  });

  it("keeps what the specification gives", () => {
    const spec = checkTaskSpec({ ...TASK_SPEC, runs: { min: 1, max: 2 }, split: { public_seed: 9 } });
    expect(spec).toMatchObject({
      title: "Charge",
      description: "test task",
      daily_limit: 3,
      runs: { min: 1, max: 2 },
    });
    expect(spec.split).toEqual({
      strategy: "random",
      test_fraction: 0.5,
      public_fraction: 0.5,
      seed: 1,
      public_seed: 9,
    });
  });

  it.each([
    [{ ...minimal, owner: "me" }, "the specification: unknown field 'owner'"],
    [{ ...minimal, metrics: { gamma: 1 } }, "metrics: unknown field 'gamma'"],
    [{ ...minimal, runs: { min: -1 } }, "runs.min must be >= 0"],
    [{ ...minimal, labelling: "golden" }, "labelling: must be one of golden-among-dcs"],
    [{ ...minimal, split: { strategy: "latest" } }, "split.strategy: must be one of random, chronological"],
    [
      { ...minimal, features: ["a", "a"] },
      "features must NOT have duplicate items (items ## 1 and 0 are identical)",
    ],
    [{ ...minimal, features: [] }, "features must NOT have fewer than 1 items"],
    [{ ...minimal, metrics: { fpr_targets: [1] } }, "metrics.fpr_targets.0 must be < 1"],
    [{ ...minimal, daily_limit: 0 }, "daily_limit must be >= 1"],
    [{ ...minimal, split: { public_seed: 2 ** 31 } }, "split.public_seed must be <= 2147483647"],
    [{ ...minimal, runs: { min: 3, max: 2 } }, "runs.min 3 is greater than runs.max 2"],
    // Every problem at once.
    [
      { name: "X", features: ["a"], split: { seed: -1 } },
      "the specification must have required property 'dataset'; name must match pattern \"^[a-z0-9][a-z0-9-]{1,62}$\"; split.seed must be >= 0",
    ],
  ])("refuses %j", (spec, message) => {
    expect(() => checkTaskSpec(spec)).toThrow(`invalid task specification: ${message}`);
  });
});

describe.each(testEngines())("POST /tasks takes the contract's task specification on %s", (engine) => {
  let store: TestStore;
  let close: () => Promise<void>;
  let app: FastifyInstance;
  let admin: string;

  beforeAll(async () => {
    const opened = await openTestStore(engine);
    store = opened.store;
    close = opened.close;
    admin = (await loadFixture(store)).admin;
    app = await buildApp({ store });
  });
  afterAll(async () => {
    await app.close();
    await close();
  });

  const post = (payload: object) =>
    app.inject({
      method: "POST",
      url: "/api/v1/tasks",
      headers: { authorization: `Bearer ${admin}` },
      payload,
    });

  it("publishes a task from a specification that leaves out every default", async () => {
    const res = await post(minimal);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: "t1",
      title: "t1",
      description: "",
      labelling: "golden-among-dcs",
      preprocessing: { include_flow: false, min_entries: 0 },
      metrics: { alpha: 0.01, beta: 0.01, fpr_targets: [0.01, 0.001], precision: 3, publish_counts: false },
      split: { strategy: "random", test_fraction: 0.5, public_fraction: 0.5, seed: 1 },
      dailyLimit: 5,
    });
    expect(JSON.parse((await store.tasks.get("t1")).spec).split.public_seed).toEqual(expect.any(Number));
  });

  it.each([
    [{ ...minimal, name: "t2", owner: "me" }, "body must NOT have additional properties"],
    [
      { ...minimal, name: "t2", split: { strategy: "latest" } },
      "body/split/strategy must be equal to one of the allowed values",
    ],
    [
      { ...minimal, name: "t2", runs: { min: 3, max: 2 } },
      "invalid task specification: runs.min 3 is greater than runs.max 2",
    ],
  ])("refuses %j", async (spec, message) => {
    const res = await post(spec);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it("shows the specification in the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const body = doc.paths["/api/v1/tasks"].post.requestBody;
    expect(body.required).toBe(true);
    const schema = body.content["application/json"].schema;
    expect(schema).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["name", "dataset", "features"],
    });
    expect(Object.keys(schema.properties)).toEqual(Object.keys(TaskSpecInputSchema.properties));
    expect(schema.properties.features.description).toBe("Monitor elements whose histograms are the features");
    expect(schema.properties.split).toMatchObject({
      type: "object",
      additionalProperties: false,
      default: {},
    });
    expect(schema.properties.split.properties.strategy).toMatchObject({
      enum: ["random", "chronological"],
      default: "random",
    });
    expect(schema.properties.metrics.properties.precision).toMatchObject({
      minimum: 1,
      maximum: 6,
      default: 3,
    });
    expect(schema.properties.daily_limit).toMatchObject({ minimum: 1, maximum: 1000, default: 5 });
  });
});
