/**
 * Service discovery: the rules of test/fixtures/discovery.json, which the Python launcher checks too
 * (extension/test_python/test_discovery_agreement.py), and server.json round trips.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { API_PREFIX, DISCOVERY, SERVICE_NAME } from "../src/wire";
import {
  findRunningServer,
  loginPath,
  parseServerInfo,
  readLogin,
  removeLogin,
  writeLogin,
  pidAlive,
  playgroundHome,
  probeHealth,
  readServerInfo,
  readToken,
  removeServerInfo,
  serverInfoPath,
  tokenPath,
  writeServerInfo,
  type ServerInfo,
} from "../src/wire/discovery";

interface Fixture {
  names: Record<string, string>;
  serviceName: string;
  healthPath: string;
  home: Array<{ env: Record<string, string>; expected: string }>;
  serverJson: {
    fields: string[];
    valid: Array<{ text: string; url: string; pid: number }>;
    invalid: string[];
  };
  token: Array<{ content: string | null; expected: string | null }>;
}

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, "fixtures", "discovery.json"), "utf8"),
) as Fixture;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-discovery-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("the names are the fixture's", () => {
  expect({ ...DISCOVERY }).toEqual(fixture.names);
  expect(SERVICE_NAME).toBe(fixture.serviceName);
  expect(`${API_PREFIX}/health`).toBe(fixture.healthPath);
});

test.each(fixture.home)("home for $env is $expected", ({ env, expected }) => {
  const want = expected.replace("{userhome}", os.homedir()).replace("{cwd}", process.cwd());
  expect(playgroundHome(env)).toBe(want);
});

test("an explicit home comes before the environment", () => {
  expect(playgroundHome({ DQM_PLAYGROUND_HOME: "/a" }, "/b/c/..")).toBe("/b");
});

test("valid server.json texts give url and pid", () => {
  for (const { text, url, pid } of fixture.serverJson.valid)
    expect(parseServerInfo(text)).toMatchObject({ url, pid });
});

test.each(fixture.serverJson.invalid)("no server in %j", (text) => {
  expect(parseServerInfo(text)).toBeNull();
});

test.each(fixture.token)("token file $content reads as $expected", ({ content, expected }) => {
  if (content !== null) fs.writeFileSync(tokenPath(dir), content);
  expect(readToken(dir)).toBe(expected);
});

test("server.json is written with the fixture's fields, read back and removed by its pid only", () => {
  const info: ServerInfo = {
    url: "http://127.0.0.1:8750",
    pid: process.pid,
    home: dir,
    engine: "pglite",
    startedAt: new Date(0).toISOString(),
  };
  expect(readServerInfo(dir)).toBeNull();
  writeServerInfo(info);
  expect(serverInfoPath(dir)).toBe(path.join(dir, "server.json"));
  expect(Object.keys(JSON.parse(fs.readFileSync(serverInfoPath(dir), "utf8")))).toEqual(
    fixture.serverJson.fields,
  );
  expect(fs.readdirSync(dir)).toEqual(["server.json"]);
  expect(readServerInfo(dir)).toEqual(info);
  removeServerInfo(dir, process.pid + 1);
  expect(readServerInfo(dir)).toEqual(info);
  removeServerInfo(dir, process.pid);
  expect(fs.existsSync(serverInfoPath(dir))).toBe(false);
});

describe("finding the running server", () => {
  let server: http.Server;
  let url: string;
  let answer: object;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const ok = req.url === `/${fixture.healthPath}`;
      res.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(ok ? answer : { statusCode: 404, error: "Not Found", message: "no" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("alive and answering as the service", async () => {
    answer = { service: "dqm-playground", version: "0", engine: "pglite", pid: process.pid };
    expect(await probeHealth(url)).toEqual(answer);
    expect(await probeHealth(`${url}/`)).toEqual(answer);
    writeServerInfo({ url, pid: process.pid, home: dir, engine: "pglite", startedAt: "" });
    const found = await findRunningServer(dir);
    expect(found?.info.url).toBe(url);
    expect(found?.health).toEqual(answer);
  });

  test("not another service, not a dead process, not nothing", async () => {
    answer = { service: "something-else" };
    expect(await probeHealth(url)).toBeNull();
    expect(await probeHealth("http://127.0.0.1:9", 500)).toBeNull();
    writeServerInfo({ url, pid: process.pid, home: dir, engine: "pglite", startedAt: "" });
    expect(await findRunningServer(dir)).toBeNull();
    answer = { service: "dqm-playground" };
    // a pid far above any pid_max is no process
    fs.writeFileSync(serverInfoPath(dir), JSON.stringify({ url, pid: 2 ** 30 }));
    expect(pidAlive(2 ** 30)).toBe(false);
    expect(await findRunningServer(dir)).toBeNull();
    expect(pidAlive(process.pid)).toBe(true);
  });
});

describe("login.json", () => {
  test("written with mode 0600 in a new 0700 home, read back, removed; anything but {url, token} is no login", () => {
    const home = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dqm-login-")), "home");
    expect(readLogin(home)).toBeNull();
    writeLogin(home, { url: "https://dqm.example", token: "t0k" });
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    expect(fs.statSync(loginPath(home)).mode & 0o777).toBe(0o600);
    expect(readLogin(home)).toEqual({ url: "https://dqm.example", token: "t0k" });
    for (const text of ["", "[]", '{"url": "x"}', '{"url": "", "token": "t"}', '{"url": "x", "token": 5}'])
      expect((fs.writeFileSync(loginPath(home), text), readLogin(home))).toBeNull();
    expect(removeLogin(home)).toBe(true);
    expect(removeLogin(home)).toBe(false);
    fs.rmSync(path.dirname(home), { recursive: true, force: true });
  });
});
