/**
 * `dqm-playground serve` failing to start: a bad DQM_PLAYGROUND_CORS_ORIGINS, or a server.json that
 * cannot be written once the store is open and the port taken. Each must exit 1 promptly with one
 * line saying what is wrong, and leave nothing behind: no lock, no server.json, the port free, so that
 * the next command opens the store at once. On PostgreSQL, a bad setting is refused before connecting.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { SERVER_DIR, requireBuiltCli, runCli, tempDir } from "../helpers/cli";
import { makeTestHome, type TestHome } from "../helpers/stores";
import { expectFailure, expectSuccess } from "./cli-checks";

const FIXTURE = path.join(SERVER_DIR, "test/fixtures/ingest/legacy-1d.csv");
/** Far less than the runner's own timeout: a serve that hangs after failing is killed and reported. */
const FAILURE_TIMEOUT_MS = 30_000;

const CORS_CASES: Array<[string, string]> = [
  [
    "swan.cern.ch",
    "DQM_PLAYGROUND_CORS_ORIGINS: 'swan.cern.ch' is not an origin: expected scheme://host[:port], such as https://swan.cern.ch, or *",
  ],
  [
    "*,https://swan.cern.ch",
    "DQM_PLAYGROUND_CORS_ORIGINS: '*' (any origin) cannot be listed with other origins: give either * alone or a list of origins",
  ],
  [
    "https://swan.cern.ch:443",
    "DQM_PLAYGROUND_CORS_ORIGINS: 'https://swan.cern.ch:443' is not written as browsers send it: write 'https://swan.cern.ch'",
  ],
];

describe("serve failing to start", () => {
  let home: string;
  const opts = (env: Record<string, string> = {}) => ({ home, env, timeoutMs: FAILURE_TIMEOUT_MS });
  const leftovers = () =>
    ["db.lock", "server.json"].filter(
      (f) => fs.existsSync(path.join(home, f)) && fs.statSync(path.join(home, f)).isFile(),
    );

  beforeAll(async () => {
    requireBuiltCli();
    home = tempDir();
    expectSuccess(await runCli(["ingest", "csv", FIXTURE, "--dataset", "legacy"], opts()));
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it.each(CORS_CASES)(
    "refuses DQM_PLAYGROUND_CORS_ORIGINS=%s with one line, releasing the store",
    async (value, message) => {
      const r = await runCli(
        ["serve", "--port", "0", "--quiet"],
        opts({ DQM_PLAYGROUND_CORS_ORIGINS: value }),
      );
      expectFailure(r, message);
      expect(leftovers()).toEqual([]);
      // The next command opens the store right away (a lock left behind would name a dead process).
      expect(expectSuccess(await runCli(["datasets"], opts()))).toContain("legacy");
    },
    60_000,
  );

  it("releases the store, the port and server.json when server.json cannot be written", async () => {
    // A folder where server.json goes: the failure comes after the store is open and the port taken.
    fs.mkdirSync(path.join(home, "server.json"));
    try {
      const r = await runCli(["serve", "--port", "0", "--quiet"], opts());
      expectFailure(r, /server\.json/);
      expect(leftovers()).toEqual([]);
      expect(fs.statSync(path.join(home, "server.json")).isDirectory()).toBe(true);
    } finally {
      fs.rmSync(path.join(home, "server.json"), { recursive: true, force: true });
    }
    expect(expectSuccess(await runCli(["datasets"], opts()))).toContain("legacy");
  }, 60_000);

  (process.env.TEST_DATABASE_URL ? describe : describe.skip)("on PostgreSQL", () => {
    let pgHome: TestHome;
    beforeAll(async () => {
      pgHome = await makeTestHome("postgres");
    });
    afterAll(async () => {
      await pgHome.cleanup();
    });

    it("refuses a bad DQM_PLAYGROUND_CORS_ORIGINS before connecting: the database is untouched", async () => {
      const env = {
        DATABASE_URL: pgHome.config.databaseUrl as string,
        DQM_PLAYGROUND_CORS_ORIGINS: "https://swan.cern.ch/lab",
      };
      const r = await runCli(["serve", "--port", "0", "--quiet"], {
        home: pgHome.config.home,
        env,
        timeoutMs: FAILURE_TIMEOUT_MS,
      });
      expectFailure(
        r,
        "DQM_PLAYGROUND_CORS_ORIGINS: 'https://swan.cern.ch/lab' is not an origin: expected scheme://host[:port], such as https://swan.cern.ch, or *",
      );
      expect(fs.existsSync(path.join(pgHome.config.home, "server.json"))).toBe(false);
      // Checked before the store is opened: no migration ran, no local admin was made.
      const client = new pg.Client({ connectionString: pgHome.config.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ t: string | null }>(
          "select to_regclass('public.users')::text as t",
        );
        expect(rows).toEqual([{ t: null }]);
      } finally {
        await client.end();
      }
    }, 60_000);
  });
});
