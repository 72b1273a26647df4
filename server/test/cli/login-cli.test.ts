/**
 * `login URL` / `logout` (issue 14, first part): a home that uses a shared service with a participant's
 * token. The token goes in through standard input, is checked, stored with mode 0600 and never printed;
 * the commands then answer from that service without opening a local store.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  CLI,
  SERVER_DIR,
  childEnv,
  cliJson,
  cliOk,
  requireBuiltCli,
  runCli,
  startServer,
  tempDir,
  type CliResult,
  type ServerChild,
} from "../helpers/cli";

const FIXTURE = path.join(SERVER_DIR, "test/fixtures/ingest/legacy-1d.csv");

/** `dqm-playground login URL` on `home`, with `input` piped to its standard input. */
function login(url: string, home: string, input: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "login", url], { env: childEnv(home), cwd: home });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("login to a shared service", () => {
  let service: string;
  let client: string;
  let server: ServerChild;
  let token: string;

  beforeAll(async () => {
    requireBuiltCli();
    service = tempDir();
    client = tempDir();
    await cliOk(["ingest", "csv", FIXTURE, "--dataset", "legacy"], { home: service });
    token = (await cliJson<{ token: string }>(["user", "add", "alice", "--json"], { home: service })).token;
    server = await startServer({ home: service });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    for (const h of [service, client]) fs.rmSync(h, { recursive: true, force: true });
  });

  test("a refused token or a URL without a service stores nothing", async () => {
    const refused = await login(server.url, client, "not-a-token\n");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`dqm-playground: the service at ${server.url} refused this token\n`);
    const nothing = await login("http://127.0.0.1:9", client, `${token}\n`);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("no DQM Playground service answers at http://127.0.0.1:9");
    expect(nothing.stderr).not.toContain(token);
    expect(fs.existsSync(path.join(client, "login.json"))).toBe(false);
  });

  test("stores URL and token with mode 0600, prints neither the token nor asks for it as an argument", async () => {
    const ok = await login(`${server.url}/`, client, `${token}\n`);
    expect(ok.code).toBe(0);
    const file = path.join(client, "login.json");
    expect(ok.stdout).toBe(`logged in to ${server.url}; stored in ${file} (mode 0600)\n`);
    expect(ok.stdout + ok.stderr).not.toContain(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ url: server.url, token });
  });

  test("commands then answer from the service as that user, without a local store", async () => {
    const datasets = await cliJson<Array<{ name: string }>>(["datasets"], { home: client });
    expect(datasets.map((d) => d.name)).toEqual(["legacy"]);
    expect(fs.existsSync(path.join(client, "db"))).toBe(false);
    // A participant: admin routes refuse it.
    const admin = await runCli(["reference", "set", "legacy", "315257"], { home: client });
    expect(admin.code).toBe(1);
    expect(admin.stderr).toContain("is not an admin");
  });

  test("logout forgets it", async () => {
    expect(await cliOk(["logout"], { home: client })).toBe(
      `logged out: removed ${path.join(client, "login.json")}\n`,
    );
    expect(fs.existsSync(path.join(client, "login.json"))).toBe(false);
    expect(await cliOk(["logout"], { home: client })).toBe("not logged in\n");
  });
});
