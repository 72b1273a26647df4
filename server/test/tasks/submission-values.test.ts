/**
 * The values and metadata of a submission are checked exactly, the same way for JSON bodies, Arrow
 * bodies and the CLI's files: runs and lumisections integers from 0 to 2147483647 (no truncation of
 * 315259.7, no wrapping of 2^32 + run, no aliasing of (run, 2^20 + ls) with (run + 1, ls)), scores
 * finite numbers without nulls, the metadata limits of the contract, each message naming the row.
 */
import fs from "node:fs";
import path from "node:path";
import {
  Float64,
  Int64,
  Table,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from "apache-arrow";
import { Table as WasmTable, writeParquet } from "parquet-wasm/node";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/api/app";
import { openTestStore, testEngines, type TestStore } from "../helpers/stores";
import { loadFixture, TASK_SPEC } from "../helpers/task-fixture";
import { requireBuiltCli, runCli, tempDir } from "../helpers/cli";

const ARROW = "application/vnd.apache.arrow.stream";
const TWO_32 = 2 ** 32;
const LUMI_BITS = 2 ** 20;

interface Row {
  run: number;
  lumisection: number;
  score: number;
}

describe.each(testEngines())("submission values and metadata on %s", (engine) => {
  let store: TestStore;
  let close: () => Promise<void>;
  let app: FastifyInstance;
  let token: string;
  let testSha: string;
  let rows: Row[];
  let dir: string;

  const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });
  const url = "/api/v1/tasks/values-task/submissions";

  const postJson = (scores: unknown[], extra: Record<string, unknown> = {}) =>
    app.inject({
      method: "POST",
      url,
      headers: headers(),
      payload: { method: "m", split_sha256: testSha, scores, ...extra },
    });

  const postArrow = (bytes: Uint8Array, query: Record<string, string> = {}) =>
    app.inject({
      method: "POST",
      url: `${url}?${new URLSearchParams({ method: "m", split_sha256: testSha, ...query }).toString()}`,
      headers: headers({ "content-type": ARROW }),
      body: Buffer.from(bytes),
    });

  /** An Arrow stream of the good rows, one column replaced by `vector`. */
  const arrowWith = (columns: Partial<Record<keyof Row, Vector>>): Uint8Array => {
    const table = new Table({
      run: columns.run ?? vectorFromArray(Int32Array.from(rows, (r) => r.run)),
      lumisection: columns.lumisection ?? vectorFromArray(Int32Array.from(rows, (r) => r.lumisection)),
      score: columns.score ?? vectorFromArray(Float64Array.from(rows, (r) => r.score)),
    });
    return tableToIPC(table, "stream");
  };
  const column = <T extends DataType>(values: unknown[], type: T) =>
    vectorFromArray(values as never, type) as unknown as Vector;
  const runsWith = (at: number, value: number) => rows.map((r, i) => (i === at ? value : r.run));

  const expectRefused = (
    res: { statusCode: number; json(): { message: string; where?: unknown } },
    message: string,
    where?: Record<string, unknown>,
  ) => {
    expect([res.statusCode, res.json().message]).toEqual([400, message]);
    if (where) expect(res.json().where).toEqual(where);
  };

  beforeAll(async () => {
    const opened = await openTestStore(engine);
    store = opened.store;
    close = opened.close;
    const tokens = await loadFixture(store);
    token = tokens.bob;
    app = await buildApp({ store });
    const created = await app.inject({
      method: "POST",
      url: "/api/v1/tasks",
      headers: { authorization: `Bearer ${tokens.admin}` },
      payload: { ...TASK_SPEC, name: "values-task", daily_limit: 100 },
    });
    expect(created.statusCode).toBe(201);
    const res = await app.inject({
      method: "GET",
      url: "/api/v1/tasks/values-task/splits/test",
      headers: headers(),
    });
    const test = tableFromIPC(res.rawPayload);
    testSha = res.headers["x-split-sha256"] as string;
    rows = Array.from({ length: test.numRows }, (_, i) => ({
      run: test.getChild("run")!.get(i) as number,
      lumisection: test.getChild("lumisection")!.get(i) as number,
      score: i / 10,
    }));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[1].lumisection).toBeGreaterThan(0);
    dir = tempDir("dqm-submission-values-");
  });
  afterAll(async () => {
    await app.close();
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("accepts the good rows as JSON and as Arrow, with Int64 and integral Float64 columns", async () => {
    expect((await postJson(rows)).statusCode).toBe(201);
    expect((await postArrow(arrowWith({}))).statusCode).toBe(201);
    const int64 = column(
      rows.map((r) => BigInt(r.run)),
      new Int64(),
    );
    const float = column(
      rows.map((r) => r.lumisection),
      new Float64(),
    );
    expect((await postArrow(arrowWith({ run: int64, lumisection: float }))).statusCode).toBe(201);
  });

  it("refuses a null score in an Arrow body (the validity bitmap is read)", async () => {
    const scores = column(
      rows.map((r, i) => (i === 3 ? null : r.score)),
      new Float64(),
    );
    expectRefused(
      await postArrow(arrowWith({ score: scores })),
      `row 4, column 'score': score of run ${rows[3].run} ls ${rows[3].lumisection} is null: scores must be finite numbers`,
      { row: 4, column: "score" },
    );
  });

  it("refuses fractional runs and lumisections in Arrow bodies instead of truncating them", async () => {
    const run = rows[1].run + 0.7;
    expectRefused(
      await postArrow(arrowWith({ run: column(runsWith(1, run), new Float64()) })),
      `row 2, column 'run': run is ${run}: runs must be integers from 0 to 2147483647`,
      { row: 2, column: "run" },
    );
    const lss = rows.map((r, i) => (i === 5 ? r.lumisection + 0.5 : r.lumisection));
    expectRefused(
      await postArrow(arrowWith({ lumisection: column(lss, new Float64()) })),
      `row 6, column 'lumisection': lumisection of run ${rows[5].run} is ${rows[5].lumisection + 0.5}: lumisections must be integers from 0 to 2147483647`,
      { row: 6, column: "lumisection" },
    );
  });

  it("refuses runs beyond 2^31 - 1 instead of wrapping them into real runs, as Int64 Arrow and as JSON, with one message", async () => {
    const wrapped = rows[4].run + TWO_32;
    const message = `row 5, column 'run': run is ${wrapped}: runs must be integers from 0 to 2147483647`;
    const int64 = column(
      rows.map((r, i) => BigInt(i === 4 ? wrapped : r.run)),
      new Int64(),
    );
    expectRefused(await postArrow(arrowWith({ run: int64 })), message, { row: 5, column: "run" });
    expectRefused(await postJson(rows.map((r, i) => (i === 4 ? { ...r, run: wrapped } : r))), message, {
      row: 5,
      column: "run",
    });
    expectRefused(await postArrow(arrowWith({ run: column(runsWith(4, wrapped), new Float64()) })), message);
  });

  it.each([
    ["-1", -1],
    ["2^31", 2 ** 31],
    ["2^32 + ls", TWO_32 + 1],
  ])("refuses a lumisection of %s as JSON and as Arrow with one message", async (_what, ls) => {
    const message = `row 2, column 'lumisection': lumisection of run ${rows[1].run} is ${ls}: lumisections must be integers from 0 to 2147483647`;
    expectRefused(await postJson(rows.map((r, i) => (i === 1 ? { ...r, lumisection: ls } : r))), message, {
      row: 2,
      column: "lumisection",
    });
    const lss = column(
      rows.map((r, i) => BigInt(i === 1 ? ls : r.lumisection)),
      new Int64(),
    );
    expectRefused(await postArrow(arrowWith({ lumisection: lss })), message);
  });

  it("does not let (run - 1, ls + 2^20) alias (run, ls) in the lookup", async () => {
    const k = 2;
    const alias = { run: rows[k].run - 1, lumisection: rows[k].lumisection + LUMI_BITS, score: 0 };
    const message = `row ${k + 1}: 1 unknown lumisection (not in the test split), first: run ${alias.run} ls ${alias.lumisection}`;
    const aliased = rows.map((r, i) => (i === k ? alias : r));
    expectRefused(await postJson(aliased), message, { row: k + 1 });
    const bytes = arrowWith({
      run: vectorFromArray(Int32Array.from(aliased, (r) => r.run)),
      lumisection: vectorFromArray(Int32Array.from(aliased, (r) => r.lumisection)),
    });
    expectRefused(await postArrow(bytes), message, { row: k + 1 });
  });

  it("refuses Arrow columns that are not numbers instead of parsing them", async () => {
    const text = column(
      rows.map((r) => String(r.run)),
      new Utf8(),
    );
    expectRefused(
      await postArrow(arrowWith({ run: text })),
      "column 'run': run is a column of Utf8: expected integers or floating-point numbers",
      { column: "run" },
    );
  });

  const tooLong: Array<[string, string, string]> = [
    ["link", "x".repeat(2001), "column 'link': link is longer than 2000 characters"],
    ["link", "x".repeat(12021), "column 'link': link is longer than 2000 characters"],
    [
      "client_version",
      "v".repeat(101),
      "column 'client_version': client version is longer than 100 characters",
    ],
    ["method", "m".repeat(201), "column 'method': method name is longer than 200 characters"],
    ["method", "", "column 'method': a method name is required"],
    ["description", "d".repeat(20001), "column 'description': description is longer than 20000 characters"],
  ];
  it.each(tooLong)(
    "applies the same limit and message to %s as JSON and as Arrow query metadata",
    async (field, value, message) => {
      expectRefused(await postJson(rows, { [field]: value }), message, { column: field });
      expectRefused(await postArrow(arrowWith({}), { [field]: value }), message, { column: field });
    },
  );

  it("stores a link of 2000 and a client version of 100 characters sent with Arrow", async () => {
    const link = "l".repeat(2000);
    const res = await postArrow(arrowWith({}), { link, client_version: "c".repeat(100) });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ link, clientVersion: "c".repeat(100) });
  });

  describe("the CLI gives the API's message for the same file", () => {
    const cli = async (file: string) => {
      requireBuiltCli();
      // the file is checked before the CLI looks for a server: a home of its own is enough
      const r = await runCli(["submit", "values-task", file, "-m", "m"], {
        home: path.join(dir, "home"),
        cwd: dir,
      });
      expect(r.code).toBe(1);
      return r.stderr.replace(/^dqm-playground: /, "").trimEnd();
    };
    const write = (name: string, content: string | Uint8Array) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, content);
      return f;
    };
    const arrowCases: Array<[string, () => Uint8Array]> = [
      [
        "a null score",
        () =>
          arrowWith({
            score: column(
              rows.map((r, i) => (i === 3 ? null : r.score)),
              new Float64(),
            ),
          }),
      ],
      ["a fractional run", () => arrowWith({ run: column(runsWith(1, rows[1].run + 0.7), new Float64()) })],
      [
        "a run of 2^32 + run",
        () =>
          arrowWith({
            run: column(
              rows.map((r, i) => BigInt(i === 4 ? r.run + TWO_32 : r.run)),
              new Int64(),
            ),
          }),
      ],
      [
        "a text column",
        () =>
          arrowWith({
            run: column(
              rows.map((r) => String(r.run)),
              new Utf8(),
            ),
          }),
      ],
    ];
    it.each(arrowCases)("as Arrow and Parquet files: %s", async (_what, bytes) => {
      const api = (await postArrow(bytes())).json().message as string;
      expect(api).toMatch(/^(row \d+, )?column '/);
      const arrow = write("scores.arrows", bytes());
      expect(await cli(arrow)).toBe(`${arrow}: ${api}`);
      if (!api.includes("Utf8")) {
        const parquet = write("scores.parquet", writeParquet(WasmTable.fromIPCStream(bytes())));
        expect(await cli(parquet)).toBe(`${parquet}: ${api}`);
      }
    });

    const csvCases: Array<[string, (r: Row, i: number) => Row]> = [
      ["a fractional run", (r, i) => (i === 1 ? { ...r, run: r.run + 0.7 } : r)],
      ["a run of 2^32 + run", (r, i) => (i === 4 ? { ...r, run: r.run + TWO_32 } : r)],
      ["a negative lumisection", (r, i) => (i === 6 ? { ...r, lumisection: -1 } : r)],
    ];
    it.each(csvCases)("as CSV (the same rows as Float64 Arrow columns): %s", async (_what, change) => {
      const changed = rows.map(change);
      const floats = (key: keyof Row) =>
        column(
          changed.map((r) => r[key]),
          new Float64(),
        );
      const api = (
        await postArrow(arrowWith({ run: floats("run"), lumisection: floats("lumisection") }))
      ).json();
      const row = (api.where as { row: number }).row;
      const csv = write(
        "scores.csv",
        ["run,lumisection,score", ...changed.map((r) => `${r.run},${r.lumisection},${r.score}`)].join("\n"),
      );
      expect(await cli(csv)).toBe(`${csv}, line ${row + 1}: ${api.message as string}`);
    });
  });
});
