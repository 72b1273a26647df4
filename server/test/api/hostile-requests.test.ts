/**
 * Requests an attacker or a clumsy client sends (issue 13, items 1 and 7): bodies that would stall the
 * event loop are refused before parsing, and every client error is a 4xx with its own reason phrase.
 */
import { MAX_JSON_BODY_BYTES } from "../../src/api/app";
import { MAX_JSON_DEPTH } from "../../src/json-depth";
import { testEngines } from "../helpers/stores";
import { fixtureApp, TASK_SPEC } from "../helpers/task-fixture";

describe.each(testEngines())("hostile requests on %s", (engine) => {
  const f = fixtureApp(engine);
  const submissions = "/api/v1/tasks/charge-task/submissions";

  const post = (
    url: string,
    payload: string | Buffer,
    contentType: string,
    who: "admin" | "alice" = "alice",
  ) =>
    f.app.inject({
      method: "POST",
      url,
      headers: { authorization: `Bearer ${f.tokens[who]}`, "content-type": contentType },
      payload,
    });

  beforeAll(async () => {
    const created = await post("/api/v1/tasks", JSON.stringify(TASK_SPEC), "application/json", "admin");
    expect(created.statusCode).toBe(201);
  });

  test("a deeply nested JSON submission is refused before parsing; /health answers meanwhile", async () => {
    // 20 MB of nesting, three at once (what stalled the server for 46 s).
    const nested = `{"x":${"[".repeat(10_000_000)}${"]".repeat(10_000_000)}}`;
    const attacks = Array.from({ length: 3 }, () => post(submissions, nested, "application/json"));
    const health = f.app.inject({ method: "GET", url: "/api/v1/health" });
    const [h, ...answers] = await Promise.all([health, ...attacks]);
    expect(h.statusCode).toBe(200);
    for (const a of answers) {
      expect(a.statusCode).toBe(400);
      expect(a.json()).toMatchObject({
        error: "Bad Request",
        message: `JSON body nested deeper than ${MAX_JSON_DEPTH} levels (at character ${MAX_JSON_DEPTH + 5})`,
      });
    }
  });

  test("a JSON body over the limit is a 413", async () => {
    const big = JSON.stringify({ scores: [], padding: "x".repeat(MAX_JSON_BODY_BYTES) });
    const res = await post(submissions, big, "application/json");
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: "Payload Too Large" });
    expect(res.json().message).toContain(`at most ${MAX_JSON_BODY_BYTES}`);
  });

  test("prototype poisoning is refused", async () => {
    const res = await post(submissions, '{"__proto__": {"admin": true}, "scores": []}', "application/json");
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("Bad Request");
  });

  test.each(["text/plain", "application/xml", "application/x-www-form-urlencoded"])(
    "a %s body is a 415 that says so",
    async (type) => {
      const res = await post(submissions, "run,lumisection,score\n1,1,0.5\n", type);
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ statusCode: 415, error: "Unsupported Media Type" });
      expect(res.json().message).toContain(type);
    },
  );

  test("every client error carries its own reason phrase", async () => {
    const unauthorized = await f.app.inject({ method: "GET", url: "/api/v1/tasks" });
    expect(unauthorized.json()).toMatchObject({ statusCode: 401, error: "Unauthorized" });
    const missing = await f.app.inject({
      method: "GET",
      url: "/api/v1/tasks/nope",
      headers: { authorization: `Bearer ${f.tokens.alice}` },
    });
    expect(missing.json()).toMatchObject({ statusCode: 404, error: "Not Found" });
  });
});
