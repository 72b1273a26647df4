/**
 * `dqm-playground serve` in child processes: server.json, /health, other commands going through the
 * running server, a second serve reusing the first, SIGTERM, and what a stale or foreign server.json,
 * a locked store or a taken port do.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import {
  SERVER_DIR,
  cliJson,
  finished,
  requireBuiltCli,
  runCli,
  startCli,
  startServer,
  tempDir,
  waitFor,
  type CliResult,
} from "../helpers/cli";
import { SERVER_VERSION } from "../../src/version";
import type { ServerInfo } from "../../src/service/server-info";
import { api, expectFailure, expectSuccess } from "./cli-checks";

type ServerJson = ServerInfo;

const FIXTURE = path.join(SERVER_DIR, "test/fixtures/ingest/legacy-1d.csv");

describe("serve through the CLI", () => {
  let home: string;
  const opts = () => ({ home });
  const serverJson = () => path.join(home, "server.json");
  const lockFile = () => path.join(home, "db.lock");
  const readServerJson = () => JSON.parse(fs.readFileSync(serverJson(), "utf8")) as ServerJson;

  beforeAll(async () => {
    requireBuiltCli();
    home = tempDir();
    expectSuccess(await runCli(["ingest", "csv", FIXTURE, "--dataset", "legacy"], opts()));
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  describe("a running server", () => {
    let child: ReturnType<typeof startCli>;
    let done: Promise<CliResult>;
    let stdout = "";
    let info: ServerJson;

    beforeAll(async () => {
      // Without --quiet: the request log shows which requests reach the server.
      child = startCli(["serve", "--port", "0"], opts());
      child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      done = finished(child, 120_000);
      info = await waitFor("server.json of the started server", () => {
        try {
          const parsed = readServerJson();
          return parsed.pid === child.pid ? parsed : null;
        } catch {
          return null;
        }
      });
    });
    afterAll(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await done.catch(() => undefined);
    });

    it("writes server.json and answers /health", async () => {
      expect(info).toEqual({
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as unknown,
        pid: child.pid,
        home,
        engine: "pglite",
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      });
      // The line comes after server.json is written (the request log may come first).
      const serving = `dqm-playground serving ${home} (pglite) at ${info.url}`;
      await waitFor("the serving line", () => stdout.split("\n").includes(serving));
      expect(fs.readFileSync(lockFile(), "utf8")).toBe(String(child.pid));
      expect(fs.statSync(path.join(home, "token")).mode & 0o777).toBe(0o600);

      const health = await api(info.url, null, "health");
      expect(health).toEqual({
        status: 200,
        body: { service: "dqm-playground", version: SERVER_VERSION, engine: "pglite", pid: child.pid },
      });
      const anonymous = await api<{ message: string }>(info.url, null, "datasets");
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.message).toBe(
        "missing 'Authorization: Bearer <token>' header (the local token is in $DQM_PLAYGROUND_HOME/token)",
      );
    });

    it("serves the commands that read, with the home's token", async () => {
      const datasets = await cliJson<Array<{ name: string; runs: number; lumisections: number }>>(
        ["datasets"],
        opts(),
      );
      expect(datasets).toEqual([expect.objectContaining({ name: "legacy", runs: 2, lumisections: 3 })]);
      const runs = await cliJson<Array<{ run: number; lumisections: number }>>(["runs", "legacy"], opts());
      expect(runs.map((r) => [r.run, r.lumisections])).toEqual([
        [315257, 2],
        [315259, 1],
      ]);
      expect(await cliJson<unknown[]>(["tasks"], opts())).toEqual([]);
      // The embedded store is the server's (its lock): the answers came through it, as its log shows.
      expect(fs.readFileSync(lockFile(), "utf8")).toBe(String(child.pid));
      await waitFor("the request log", () => stdout.includes('"url":"/api/v1/tasks"'));
      expect(stdout).toContain('"url":"/api/v1/datasets?limit=10000"');
      expect(stdout).toContain('"url":"/api/v1/datasets/legacy/runs?limit=10000&cursor="');
    });

    it("refuses ingest, demo and user add while the server has the store open", async () => {
      const holder = `the server at ${info.url} (pid ${child.pid}) has this home's embedded store open`;
      const [ingest, demo, user] = await Promise.all([
        runCli(["ingest", "csv", FIXTURE, "--dataset", "other"], opts()),
        runCli(["demo"], opts()),
        runCli(["user", "add", "alice"], opts()),
      ]);
      expectFailure(ingest, `${holder}; stop it before ingesting`);
      expectFailure(demo, `${holder}; stop it first`);
      expectFailure(user, `${holder}; stop it before adding users`);
    });

    it("reuses the running server for a second serve on the same home", async () => {
      const r = await runCli(["serve", "--port", "0"], opts());
      expect(expectSuccess(r)).toBe(
        `dqm-playground is already running at ${info.url} (pid ${child.pid}); reusing it\n`,
      );
      expect(readServerJson()).toEqual(info);
    });

    it("stops on SIGTERM, removing server.json and the lock", async () => {
      child.kill("SIGTERM");
      const r = await done;
      expect(r.code).toBe(0);
      expect(fs.existsSync(serverJson())).toBe(false);
      expect(fs.existsSync(lockFile())).toBe(false);
      // Now a command opens the store itself.
      const datasets = await cliJson<Array<{ name: string }>>(["datasets"], opts());
      expect(datasets.map((d) => d.name)).toEqual(["legacy"]);
    });
  });

  it("ignores the server.json of a killed server, and of a process that is not a playground server", async () => {
    const killed = await startServer(opts());
    killed.child.kill("SIGKILL");
    expect((await killed.stop()).signal).toBe("SIGKILL");
    expect(readServerJson().pid).toBe(killed.pid); // left behind
    expect(fs.readFileSync(lockFile(), "utf8")).toBe(String(killed.pid));

    // A live process (this one) at an address where nothing listens.
    const closedPort = await freePort();
    const foreign: ServerJson = {
      url: `http://127.0.0.1:${closedPort}`,
      pid: process.pid,
      home,
      engine: "pglite",
      startedAt: new Date().toISOString(),
    };
    for (const info of [null, foreign]) {
      if (info) fs.writeFileSync(serverJson(), JSON.stringify(info));
      const datasets = await cliJson<Array<{ name: string }>>(["datasets"], opts());
      expect(datasets.map((d) => d.name)).toEqual(["legacy"]);
    }

    // A new server takes over: its own server.json replaces the stale one.
    const fresh = await startServer(opts());
    try {
      expect(readServerJson()).toMatchObject({ pid: fresh.pid, url: fresh.url });
      expect(fresh.pid).not.toBe(killed.pid);
    } finally {
      // Stopped as soon as server.json names it: the signal handlers are already in place.
      expect((await fresh.stop()).code).toBe(0);
    }
    expect(fs.existsSync(serverJson())).toBe(false);
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it("fails with the holder's pid when another live process has the store locked", async () => {
    fs.writeFileSync(lockFile(), String(process.pid));
    try {
      expectFailure(
        await runCli(["serve", "--port", "0"], opts()),
        `the embedded store in ${home} is in use by process ${process.pid}; stop it, or let the CLI talk to it through its server`,
      );
      expect(fs.existsSync(serverJson())).toBe(false);
      // The failing command left the other process's lock alone.
      expect(fs.readFileSync(lockFile(), "utf8")).toBe(String(process.pid));
    } finally {
      fs.rmSync(lockFile(), { force: true });
    }
  });

  it("fails on a port in use, leaving no server.json and no lock", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      expectFailure(
        await runCli(["serve", "--port", String(port), "--quiet"], opts()),
        `listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
      );
    } finally {
      blocker.close();
    }
    expect(fs.existsSync(serverJson())).toBe(false);
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it("rejects a port that is not a number", async () => {
    const r = await runCli(["serve", "--port", "eighty"], opts());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: option '-p, --port <port>' argument 'eighty' is invalid\. 'eighty' is not a non-negative integer\n/,
    );
  });
});

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}
