/**
 * `reference list|set|clear` in child processes: on a home with no server (set goes through a private
 * server, list opens the store), then through the home's running server; refusals are one line.
 */
import fs from "node:fs";
import path from "node:path";
import { cliJson, cliOk, queryStore, requireBuiltCli, runCli, startServer, tempDir } from "../helpers/cli";
import { expectFailure, expectSuccess } from "./cli-checks";
import type { ReferenceRun } from "../../src/store/reference-runs";

/** Run 103 is in the test split of an open task: its labels are hidden. */
const HIDDEN = 103;

describe("reference runs through the CLI", () => {
  let home: string;
  const opts = () => ({ home });

  beforeAll(async () => {
    requireBuiltCli();
    home = tempDir();
    const oms = path.join(home, "oms.json");
    fs.writeFileSync(
      oms,
      JSON.stringify(
        [100, 101, 102, 103].flatMap((run) =>
          [1, 2].map((ls) => ({ run_number: run, lumisection_number: ls, fill_number: 7000 })),
        ),
      ),
    );
    expectSuccess(await runCli(["ingest", "oms", oms, "-d", "ds"], opts()));
    // An open task whose test split holds run 103 (inserted directly: tasks are not under test here).
    await queryStore(
      home,
      `
      const { id: dataset_id } = await store.db.selectFrom("datasets").select("id").where("name", "=", "ds").executeTakeFirstOrThrow();
      const { id } = await store.db.insertInto("tasks").values({
        name: "open-task", title: "t", description: "", dataset_id, spec: "{}", status: "open",
        train_sha256: "a", test_sha256: "b", train_size: 1, test_size: 1, daily_limit: 1,
      }).returning("id").executeTakeFirstOrThrow();
      await store.db.insertInto("task_lumisections")
        .values({ task_id: id, run: ${HIDDEN}, lumisection: 1, split: "test", part: "public", bad: 0 }).execute();
      return null;
    `,
    );
  }, 120_000);
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it("sets, lists and clears reference runs without a running server", async () => {
    expect(await cliOk(["reference", "list", "ds"], opts())).toBe(
      "data set ds has no designated reference runs\n",
    );
    expect(await cliOk(["reference", "set", "ds", "102", "100", "--note", "clean runs"], opts())).toBe(
      "data set ds has 2 reference runs: 100, 102\n",
    );
    const listed = await cliJson<ReferenceRun[]>(["reference", "list", "ds"], opts());
    expect(listed.map((r) => [r.run, r.note, r.setBy])).toEqual([
      [100, "clean runs", "local-admin"],
      [102, "clean runs", "local-admin"],
    ]);
    const table = (await cliOk(["reference", "list", "ds"], opts())).trimEnd().split("\n");
    expect(table[0]).toMatch(/^run\s+set by\s+set at\s+note$/);
    expect(table.slice(2).map((l) => l.split(/\s+/)[0])).toEqual(["100", "102"]);
    expect(table[2]).toMatch(/^100\s+local-admin\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+clean runs$/);

    const runs = await cliJson<Array<{ run: number; referenceRun: number | null; isReference: boolean }>>(
      ["runs", "ds"],
      opts(),
    );
    expect(runs.map((r) => [r.run, r.referenceRun, r.isReference])).toEqual([
      [100, 102, true],
      [101, 100, false],
      [102, 100, true],
      [103, 102, false],
    ]);

    expect(await cliOk(["reference", "clear", "ds"], opts())).toBe(
      "data set ds has no designated reference runs now\n",
    );
    expect(await cliJson<ReferenceRun[]>(["reference", "list", "ds"], opts())).toEqual([]);
  }, 120_000);

  it("refuses unknown runs, hidden test runs, bad numbers and unknown data sets in one line", async () => {
    expectFailure(
      await runCli(["reference", "set", "ds", "100", "999"], opts()),
      "data set 'ds' has no run 999",
    );
    expectFailure(
      await runCli(["reference", "set", "ds", String(HIDDEN)], opts()),
      `run ${HIDDEN} is in the hidden test split of open task open-task: designating it as reference would reveal that it is good`,
    );
    const bad = await runCli(["reference", "set", "ds", "abc"], opts());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^error: command-argument value 'abc' is invalid for argument 'runs'\. 'abc' is not a non-negative integer\n/,
    );
    expectFailure(await runCli(["reference", "list", "nope"], opts()), "no data set named 'nope'");
    expect(await cliJson<ReferenceRun[]>(["reference", "list", "ds"], opts())).toEqual([]);
  }, 120_000);

  it("goes through the running server of the home", async () => {
    const server = await startServer(opts());
    try {
      expect(await cliOk(["reference", "set", "ds", "101"], opts())).toBe(
        "data set ds has 1 reference run: 101\n",
      );
      const listed = await cliJson<ReferenceRun[]>(["reference", "list", "ds"], opts());
      expect(listed.map((r) => r.run)).toEqual([101]);
      expectFailure(
        await runCli(["reference", "set", "ds", String(HIDDEN)], opts()),
        `run ${HIDDEN} is in the hidden test split of open task open-task: designating it as reference would reveal that it is good`,
      );
    } finally {
      await server.stop();
    }
  }, 120_000);
});
