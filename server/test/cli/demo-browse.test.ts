/** `demo`, `datasets`, `runs`, `user add` and every command's --help, run as child processes. */
import fs from "node:fs";
import { CommanderError, type Command } from "commander";
import { buildProgram } from "../../src/cli/main";
import { cliJson, cliOk, runCli, tempDir, requireBuiltCli } from "../helpers/cli";

interface DatasetJson {
  name: string;
  era: string | null;
  monitorElements: number;
  runs: number;
  lumisections: number;
}

interface RunJson {
  run: number;
  lumisections: number;
  golden: number | null;
  bad: number | null;
  goldenFraction: number | null;
  labelsWithheld: boolean;
}

describe("demo and browsing through the CLI", () => {
  let home: string;
  let datasets: DatasetJson[];
  const opts = () => ({ home });

  beforeAll(async () => {
    requireBuiltCli();
    home = tempDir();
    const out = await cliOk(["demo"], { home, timeoutMs: 120_000 });
    expect(out).toMatch(/^created demo data set demo-2018-small: \d+ lumisections, \d+ monitor elements\n/);
  }, 180_000);
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it("lists the demo data set as a table and as JSON", async () => {
    const table = await cliOk(["datasets"], opts());
    const lines = table.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^dataset\s+era\s+primary dataset\s+monitor elements\s+runs\s+lumisections$/);
    expect(lines[1]).toMatch(/^-+(\s+-+){5}$/);
    expect(lines.some((l) => /^demo-2018-small\s+2018\s+ZeroBias\s+\d+\s+\d+\s+\d+$/.test(l))).toBe(true);

    datasets = await cliJson<DatasetJson[]>(["datasets"], opts());
    const demo = datasets.find((d) => d.name === "demo-2018-small");
    expect(demo).toMatchObject({ era: "2018" });
    expect(demo!.runs).toBeGreaterThan(0);
    expect(demo!.lumisections).toBeGreaterThan(demo!.runs);
    expect(demo!.monitorElements).toBeGreaterThan(0);
  });

  it("lists the runs of the demo data set with their lumisection counts", async () => {
    const runs = await cliJson<RunJson[]>(["runs", "demo-2018-small"], opts());
    const demo = datasets.find((d) => d.name === "demo-2018-small")!;
    expect(runs).toHaveLength(demo.runs);
    expect(runs.reduce((a, r) => a + r.lumisections, 0)).toBe(demo.lumisections);
    // Runs of a task's test split have their certification counts withheld (the demo has tasks).
    for (const r of runs) {
      if (r.golden === null)
        expect(r).toMatchObject({ bad: null, goldenFraction: null, labelsWithheld: true });
      else expect(r.golden + (r.bad ?? 0)).toBeLessThanOrEqual(r.lumisections);
    }

    const table = (await cliOk(["runs", "demo-2018-small"], opts())).trimEnd().split("\n");
    expect(table[0]).toMatch(/^run\s+fill\s+lumisections\s+golden\s+bad\s+golden fraction$/);
    expect(table).toHaveLength(runs.length + 2);
    expect(table[2]).toMatch(new RegExp(`^${runs[0].run}\\s`));
    expect(table[2]).toMatch(/\d+\.\d%$|-$/);
  });

  it("says a second demo is already there", async () => {
    expect(await cliOk(["demo"], opts())).toBe("demo data set demo-2018-small is already there\n");
  });

  it("names an unknown data set in one line with exit code 1", async () => {
    const r = await runCli(["runs", "no-such-dataset"], opts());
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^dqm-playground: .*no-such-dataset.*\n$/);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("adds users and prints their token once", async () => {
    const out = await cliOk(["user", "add", "alice"], opts());
    const m =
      /^created participant 'alice'; its token \(shown only now, keep it secret\):\n([A-Za-z0-9_-]{43})\n$/.exec(
        out,
      );
    expect(m).not.toBeNull();
    const admin = await cliJson<{ name: string; role: string; token: string }>(
      ["user", "add", "carol", "--admin"],
      opts(),
    );
    expect(admin).toMatchObject({ name: "carol", role: "admin" });
    expect(admin.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(admin.token).not.toBe(m![1]);

    const again = await runCli(["user", "add", "alice"], opts());
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("dqm-playground: a user named 'alice' exists already\n");
    const bad = await runCli(["user", "add", "no spaces"], opts());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^dqm-playground: invalid user name 'no spaces': use 1-64 letters/);
  });
});

describe("--help of every command", () => {
  const home = tempDir();
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  const commands: Array<[string[], string[]]> = [
    [
      [],
      [
        "serve",
        "ingest",
        "demo",
        "datasets",
        "runs",
        "tasks",
        "task",
        "leaderboard",
        "submit",
        "user",
        "reference",
      ],
    ],
    [["serve"], ["--port", "--host", "--quiet"]],
    [["ingest"], ["--dataset", "--era", "--primary-dataset", "--name", "csv", "parquet", "flags"]],
    [["demo"], ["--size", "--seed"]],
    [["datasets"], ["--json"]],
    [["runs"], ["<dataset>", "--json"]],
    [["tasks"], ["--json"]],
    [["task"], ["create", "show", "close"]],
    [
      ["task", "create"],
      ["<file>", "JSON or YAML", "--json"],
    ],
    [
      ["task", "show"],
      ["<task>", "--json"],
    ],
    [
      ["task", "close"],
      ["<task>", "--json"],
    ],
    [["leaderboard"], ["<task>", "--json", "--csv", "--private", "--best-per-user"]],
    [
      ["submit"],
      [
        "<task>",
        "<file>",
        "--method",
        "--description",
        "--link",
        "--split-hash",
        "--idempotency-key",
        "--format",
        "--json",
        "CSV",
        "Parquet",
        "Arrow",
      ],
    ],
    [["user"], ["add"]],
    [
      ["user", "add"],
      ["<name>", "--admin", "--json"],
    ],
    [["reference"], ["list", "set", "clear"]],
    [
      ["reference", "list"],
      ["<dataset>", "--json"],
    ],
    [
      ["reference", "set"],
      ["<dataset>", "<runs...>", "--note", "--json", "hidden test split"],
    ],
    [["reference", "clear"], ["<dataset>"]],
  ];

  /** `--help` in this process: the commands as built by main.ts, with exits turned into errors. */
  async function helpText(command: string[]): Promise<{ exitCode: number; out: string }> {
    const program = buildProgram();
    let out = "";
    const quiet = (c: Command): void => {
      c.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
      c.commands.forEach(quiet);
    };
    quiet(program);
    try {
      await program.parseAsync(["node", "dqm-playground", ...command, "--help"]);
    } catch (err) {
      if (err instanceof CommanderError) return { exitCode: err.exitCode, out };
      throw err;
    }
    throw new Error(`${command.join(" ")} --help did not exit`);
  }

  it.each(commands)("dqm-playground %j --help exits 0 and names the options", async (command, mentions) => {
    const { exitCode, out } = await helpText(command);
    expect(exitCode).toBe(0);
    expect(out).toMatch(/^Usage: dqm-playground/);
    for (const m of mentions) expect(out).toContain(m);
  });

  it("exits 0 from --help in a real process", async () => {
    const results = await Promise.all([runCli(["--help"], { home }), runCli(["submit", "--help"], { home })]);
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^Usage: dqm-playground/);
    }
    expect(results[1].stdout).toContain("--idempotency-key");
  });
});
