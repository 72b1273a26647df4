/**
 * Response schemas drop nothing. Fastify serializes a JSON answer with fast-json-stringify from the
 * route's response schema, which writes only the properties the schema names: a field a handler returns
 * but the schema lacks is silently left out of the response. This test answers every JSON route on the
 * task fixture (participants and admin, open and closed task, JSON and Arrow submissions, errors),
 * records each handler's payload before serialization and the JSON sent after it, and fails on any
 * field dropped or changed on the way (and on a route with a JSON response that it did not exercise).
 */
import { tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";
import type { FastifyInstance, FastifyRequest, LightMyRequestResponse } from "fastify";
import {
  ARROW_STREAM,
  MAX_REFERENCE_NOTE_LENGTH,
  SPLIT_SHA256_HEADER,
  type Page,
  type Submission,
} from "@dqm-playground/api-types";
import { buildApp } from "../../src/api/app";
import { MAX_NOTE_LENGTH } from "../../src/store/reference-runs";
import { openTestStore } from "../helpers/stores";
import { loadFixture, TASK_SPEC } from "../helpers/task-fixture";
import { record2d } from "../helpers/records";

/** One JSON answer: what the handler returned, and what was sent. */
interface Exchange {
  route: string;
  status: number;
  returned: unknown;
  sent: string;
}

/** Where `sent` differs from `returned` as plain JSON would write it (undefined left out, NaN as null). */
function differences(returned: unknown, sent: unknown, path = "$"): string[] {
  const show = (v: unknown) => JSON.stringify(v) ?? "undefined";
  if (Array.isArray(returned)) {
    if (!Array.isArray(sent)) return [`${path}: returned an array, sent ${show(sent)}`];
    if (sent.length !== returned.length)
      return [`${path}: returned ${returned.length} items, sent ${sent.length}`];
    return returned.flatMap((r, i) => differences(r, sent[i], `${path}[${i}]`));
  }
  if (returned !== null && typeof returned === "object") {
    if (sent === null || typeof sent !== "object" || Array.isArray(sent))
      return [`${path}: returned an object, sent ${show(sent)}`];
    const out: string[] = [];
    const s = sent as Record<string, unknown>;
    for (const [key, value] of Object.entries(returned)) {
      if (!(key in s)) out.push(`${path}.${key}: returned, but not in the response schema (dropped)`);
      else out.push(...differences(value, s[key], `${path}.${key}`));
    }
    for (const key of Object.keys(s))
      if (!(key in returned)) out.push(`${path}.${key}: sent, but not returned`);
    return out;
  }
  return Object.is(returned, sent) ? [] : [`${path}: returned ${show(returned)}, sent ${show(sent)}`];
}

test("differences finds a dropped field, a changed value and a field added", () => {
  expect(differences({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } })).toEqual([]);
  expect(differences({ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 2 } })).toEqual([
    "$.b.d: returned, but not in the response schema (dropped)",
  ]);
  expect(differences({ a: [{ x: "1" }] }, { a: [{ x: 1, y: 2 }] })).toEqual([
    '$.a[0].x: returned "1", sent 1',
    "$.a[0].y: sent, but not returned",
  ]);
});

test("the note limit of the reference-runs body is the store's", () => {
  expect(MAX_REFERENCE_NOTE_LENGTH).toBe(MAX_NOTE_LENGTH);
});

describe("every JSON answer is sent whole by its response schema", () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let tokens: { admin: string; alice: string; bob: string };
  const exchanges: Exchange[] = [];
  /** Routes (method and URL pattern) with a JSON schema for a 2xx answer. */
  const jsonRoutes = new Set<string>();

  const routeOf = (req: FastifyRequest) => `${req.method} ${req.routeOptions.url ?? req.url}`;

  const send = (
    who: keyof typeof tokens | null,
    method: "GET" | "POST" | "PUT",
    url: string,
    body?: object | Buffer,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}), ...headers },
      ...(body === undefined ? {} : Buffer.isBuffer(body) ? { body } : { payload: body }),
    });

  beforeAll(async () => {
    const opened = await openTestStore("pglite");
    close = opened.close;
    tokens = await loadFixture(opened.store);
    // a 2D monitor element too, for the 2D rows of the histogram route
    await opened.store.ingestHistograms(
      { name: "ds", era: "2018" },
      { format: "csv", source: "occupancy.csv", sha256: "occupancy" },
      [1, 2, 3].map((ls) => record2d(100, ls)),
    );
    const returned = new WeakMap<FastifyRequest, unknown>();
    app = await buildApp({
      store: opened.store,
      beforeRoutes: (root) => {
        root.addHook("onRoute", (route) => {
          const response = (route.schema?.response ?? {}) as Record<string, unknown>;
          // a 2xx schema, unless it names media types and JSON is not one of them (an Arrow stream)
          const isJson = (schema: unknown) =>
            !(schema && typeof schema === "object" && "content" in schema) ||
            "application/json" in (schema.content as object);
          const json = Object.entries(response).some(
            ([status, schema]) => status.startsWith("2") && isJson(schema),
          );
          const methods = Array.isArray(route.method) ? route.method : [route.method];
          if (json) for (const m of methods) if (m !== "HEAD") jsonRoutes.add(`${m} ${route.url}`);
        });
        root.addHook("preSerialization", async (req, _reply, payload) => {
          returned.set(req, payload);
          return payload;
        });
        root.addHook("onSend", async (req, reply, payload) => {
          if (returned.has(req) && typeof payload === "string")
            exchanges.push({
              route: routeOf(req),
              status: reply.statusCode,
              returned: returned.get(req),
              sent: payload,
            });
          return payload;
        });
      },
    });

    // data sets
    const ok = async (res: Promise<LightMyRequestResponse>, status = 200) => {
      const r = await res;
      expect({ status: r.statusCode, body: r.statusCode === status ? "" : r.body }).toEqual({
        status,
        body: "",
      });
      return r;
    };
    await ok(send(null, "GET", "/health"));
    await ok(send("alice", "GET", "/datasets"));
    await ok(send("alice", "GET", "/datasets/ds/monitor-elements"));
    await ok(
      send("admin", "PUT", "/datasets/ds/reference-runs", { runs: [{ run: 101, note: "clean" }, 103] }),
    );
    await ok(send("alice", "GET", "/datasets/ds/reference-runs"));
    await ok(send("alice", "GET", "/datasets/ds/runs"));
    await ok(send("alice", "GET", "/datasets/ds/runs/100/lumisections"));
    await ok(send("alice", "GET", "/datasets/ds/histograms?me=charge&limit=3"));
    await ok(send("alice", "GET", "/datasets/ds/histograms?me=charge&include_flow=true&limit=3"));
    await ok(send("alice", "GET", "/datasets/ds/histograms?me=occupancy"));

    // a task, submissions (JSON, a replay, Arrow) and the leaderboard while it is open
    await ok(send("admin", "POST", "/tasks", TASK_SPEC), 201);
    await ok(send("alice", "GET", "/tasks"));
    await ok(send("alice", "GET", `/tasks/${TASK_SPEC.name}`));
    await ok(send("admin", "GET", `/tasks/${TASK_SPEC.name}`));
    const split = await ok(send("alice", "GET", `/tasks/${TASK_SPEC.name}/splits/test`));
    const sha = String(split.headers[SPLIT_SHA256_HEADER]);
    const test = tableFromIPC(split.rawPayload);
    const runs = test.getChild("run")!.toArray() as Int32Array;
    const lss = test.getChild("lumisection")!.toArray() as Int32Array;
    const scores = Array.from(runs, (run, i) => ({
      run,
      lumisection: lss[i],
      score: (run % 2) + lss[i] / 100,
    }));
    const submission = { method: "AE", description: "autoencoder", split_sha256: sha, scores };
    const key = { "idempotency-key": "once" };
    const first = await ok(
      send("alice", "POST", `/tasks/${TASK_SPEC.name}/submissions`, submission, key),
      201,
    );
    await ok(send("alice", "POST", `/tasks/${TASK_SPEC.name}/submissions`, submission, key), 200);
    const arrow = Buffer.from(
      tableToIPC(
        tableFromArrays({ run: runs, lumisection: lss, score: Float64Array.from(runs, (r) => r % 3) }),
        "stream",
      ),
    );
    await ok(
      send("bob", "POST", `/tasks/${TASK_SPEC.name}/submissions?method=arrow&split_sha256=${sha}`, arrow, {
        "content-type": ARROW_STREAM,
      }),
      201,
    );
    const id = (first.json() as Submission).id;
    await ok(send("alice", "GET", `/tasks/${TASK_SPEC.name}/submissions`));
    await ok(send("alice", "GET", `/tasks/${TASK_SPEC.name}/submissions/${id}`));
    await ok(send("admin", "GET", `/tasks/${TASK_SPEC.name}/submissions?all=true`));
    await ok(send("alice", "GET", `/tasks/${TASK_SPEC.name}/leaderboard`));
    await ok(send("admin", "GET", `/tasks/${TASK_SPEC.name}/leaderboard?scores=private&best_per_user=true`));

    // errors: no token, unknown names, invalid parameters, not an admin, a bad row, a closed task
    await ok(send(null, "GET", "/datasets"), 401);
    await ok(send("alice", "GET", "/datasets/nope/runs"), 404);
    await ok(send("alice", "GET", "/datasets/ds/runs?limit=0"), 400);
    await ok(send("alice", "PUT", "/datasets/ds/reference-runs", { runs: [] }), 403);
    await ok(send("alice", "GET", `/tasks/${TASK_SPEC.name}/leaderboard?scores=private`), 403);
    const badRow = { ...submission, scores: [{ run: 1, lumisection: 1, score: 0.5 }, ...scores.slice(1)] };
    await ok(send("bob", "POST", `/tasks/${TASK_SPEC.name}/submissions`, badRow), 400);

    // closed: exact metrics for everyone, private scores on the leaderboard
    await ok(send("admin", "POST", `/tasks/${TASK_SPEC.name}/close`));
    await ok(send("alice", "GET", `/tasks/${TASK_SPEC.name}/submissions/${id}`));
    await ok(send("alice", "GET", `/tasks/${TASK_SPEC.name}/leaderboard?scores=private`));
    await ok(send("alice", "POST", `/tasks/${TASK_SPEC.name}/submissions`, submission), 409);
  });

  afterAll(async () => {
    await app?.close();
    await close?.();
  });

  test("no answer loses or changes a field in serialization", () => {
    expect(exchanges.length).toBeGreaterThan(30);
    const found = exchanges.flatMap((e) =>
      differences(JSON.parse(JSON.stringify(e.returned)), JSON.parse(e.sent)).map(
        (d) => `${e.route} (${e.status}): ${d}`,
      ),
    );
    expect(found).toEqual([]);
  });

  test("the answers looked at include the data the schemas could miss", () => {
    // nested and optional parts: curves, exact grey-zone cuts, 2D rows, reference notes, error `where`
    const sent = exchanges.map((e) => JSON.parse(e.sent) as Record<string, unknown>);
    const subs = sent.filter((b) => "publicMetrics" in b) as unknown as Submission[];
    expect(subs.some((s) => s.publicMetrics?.curves && s.publicMetrics.greyZone.lowCut !== undefined)).toBe(
      true,
    );
    const pages = sent.filter((b) => Array.isArray(b.items)) as unknown as Array<
      Page<Record<string, unknown>>
    >;
    expect(pages.some((p) => p.items.some((i) => "y_bin" in i))).toBe(true);
    expect(pages.some((p) => p.items.some((i) => i.note === "clean"))).toBe(true);
    expect(sent.some((b) => b.statusCode === 400 && b.where !== undefined)).toBe(true);
  });

  test("every route with a JSON answer was exercised with a 2xx answer", () => {
    const answered = new Set(exchanges.filter((e) => e.status < 300).map((e) => e.route));
    const missing = [...jsonRoutes].filter((r) => !answered.has(r) && !r.endsWith("/openapi.json"));
    expect(jsonRoutes.size).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});
