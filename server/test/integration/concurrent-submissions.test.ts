/**
 * Two `serve` processes on one PostgreSQL database (each with its own home, one shared block folder)
 * taking concurrent submissions for the same user and task: a retried request with one
 * Idempotency-Key makes exactly one submission, and submissions beyond the daily limit are refused
 * whichever server gets them. Needs TEST_DATABASE_URL (the test command starts a throw-away server);
 * skipped without it, unless REQUIRE_POSTGRES=1.
 */
import { roundTo } from "../../src/tasks/metrics-view";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { tableFromIPC } from "apache-arrow";
import {
  LEGACY_CSV_HEADER,
  blockFiles,
  cliJson,
  cliOk,
  legacyCsvRow,
  requireBuiltCli,
  startServer,
  tempDir,
  type ServerChild,
} from "../helpers/cli";
import { api, tmpEntries } from "../cli/cli-checks";
import type { SubmissionView } from "../../src/tasks/submissions";
import type { Leaderboard } from "../../src/tasks/leaderboard";
import { scoreAll } from "@dqm-playground/scoring";

const ADMIN_URL = process.env.TEST_DATABASE_URL;
if (!ADMIN_URL && process.env.REQUIRE_POSTGRES === "1")
  throw new Error("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: run the tests through `npm test`");
const SKIP_REASON =
  "skipped: TEST_DATABASE_URL is not set (run `source scripts/postgres-test-server.sh` or `npm test`)";
if (!ADMIN_URL) console.warn(`concurrent-submissions.test.ts ${SKIP_REASON}`);
const describePostgres = ADMIN_URL ? describe : describe.skip;

const TASK = "concurrent";
const DAILY_LIMIT = 3;
const RUNS = [316000, 316001, 316002, 316003, 316004, 316005, 316006, 316007];
const LUMISECTIONS = 12;

/** Runs of 12 lumisections each; ls 1 and 2 of every run are DCS-on but not golden (bad). */
function writeInputs(dir: string): { csv: string; dcs: string; golden: string; spec: string } {
  const rows = [LEGACY_CSV_HEADER];
  for (const run of RUNS)
    for (let ls = 1; ls <= LUMISECTIONS; ls++) {
      const bad = ls <= 2;
      const histo = [0, 5 + (ls % 3), bad ? 1 : 9, 4 + (run % 5), bad ? 8 : 2, 0];
      rows.push(legacyCsvRow(run, ls, "charge", 3, histo, { bins: 4, min: 0, max: 4 }));
    }
  const file = (name: string, content: string) => {
    fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };
  return {
    csv: file("charge.csv", rows.join("\n") + "\n"),
    dcs: file("dcs.json", JSON.stringify(Object.fromEntries(RUNS.map((r) => [r, [[1, LUMISECTIONS]]])))),
    golden: file(
      "golden.json",
      JSON.stringify(Object.fromEntries(RUNS.map((r) => [r, [[3, LUMISECTIONS]]]))),
    ),
    spec: file(
      "task.yaml",
      `name: ${TASK}\ndataset: conc\nfeatures: [charge]\nsplit: { test_fraction: 0.5, public_fraction: 0.5, seed: 1 }\ndaily_limit: ${DAILY_LIMIT}\n`,
    ),
  };
}

async function adminQuery<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describePostgres(
  `two serve processes on one PostgreSQL database${ADMIN_URL ? "" : ` (${SKIP_REASON})`}`,
  () => {
    const database = `dqm_concurrent_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    let databaseUrl: string;
    let blocks: string;
    let homes: string[] = [];
    let servers: ServerChild[] = [];
    let tokens: Record<"alice" | "bob", string>;
    let body: { split_sha256: string; scores: Array<{ run: number; lumisection: number; score: number }> };

    beforeAll(async () => {
      requireBuiltCli();
      await adminQuery(ADMIN_URL!, `create database ${database}`);
      const url = new URL(ADMIN_URL!);
      url.pathname = `/${database}`;
      databaseUrl = url.toString();
      blocks = tempDir("dqm-shared-blocks-");
      const [setupHome, homeA, homeB, inputs] = [tempDir(), tempDir(), tempDir(), tempDir("dqm-inputs-")];
      homes = [setupHome, homeA, homeB, inputs];
      const env = { DATABASE_URL: databaseUrl, DQM_PLAYGROUND_BLOCKS: blocks };
      const setup = { home: setupHome, env };

      const files = writeInputs(inputs);
      await cliOk(["ingest", "csv", files.csv, "--dataset", "conc"], setup);
      await cliOk(["ingest", "dcs", files.dcs, "--dataset", "conc"], setup);
      await cliOk(["ingest", "golden", files.golden, "--dataset", "conc"], setup);
      await cliOk(["task", "create", files.spec], setup);
      tokens = {
        alice: (await cliJson<{ token: string }>(["user", "add", "alice"], setup)).token,
        bob: (await cliJson<{ token: string }>(["user", "add", "bob"], setup)).token,
      };
      servers = await Promise.all([startServer({ home: homeA, env }), startServer({ home: homeB, env })]);

      const res = await fetch(`${servers[0].url}/api/v1/tasks/${TASK}/splits/test`, {
        headers: { authorization: `Bearer ${tokens.alice}` },
      });
      expect(res.status).toBe(200);
      const split = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
      const runs = split.getChild("run")!.toArray() as Int32Array;
      const lss = split.getChild("lumisection")!.toArray() as Int32Array;
      body = {
        split_sha256: res.headers.get("x-split-sha256")!,
        scores: Array.from(runs, (run, i) => ({ run, lumisection: lss[i], score: lss[i] <= 2 ? 0.9 : 0.1 })),
      };
      expect(body.scores.length).toBeGreaterThan(0);
    }, 180_000);

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      if (ADMIN_URL) await adminQuery(ADMIN_URL, `drop database if exists ${database} with (force)`);
      for (const dir of [...homes, blocks]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** POSTs one submission to each server in turn, all at once. */
    function submitConcurrently(
      user: "alice" | "bob",
      n: number,
      method: (i: number) => string,
      headers: Record<string, string> = {},
      scoreOf?: (i: number, run: number, lumisection: number) => number,
    ) {
      return Promise.all(
        Array.from({ length: n }, (_, i) =>
          api<SubmissionView & { message: string }>(
            servers[i % 2].url,
            tokens[user],
            `tasks/${TASK}/submissions`,
            {
              method: "POST",
              body: {
                ...body,
                method: method(i),
                scores: scoreOf
                  ? body.scores.map((x) => ({ ...x, score: scoreOf(i, x.run, x.lumisection) }))
                  : body.scores,
              },
              headers,
            },
          ),
        ),
      );
    }

    const submissionsOf = (user: string) =>
      adminQuery<{ id: number; method: string; scores_file: string }>(
        databaseUrl,
        `select s.id, s.method, s.scores_file from submissions s join users u on u.id = s.user_id where u.name = '${user}' order by s.id`,
      );

    it("serves both servers from the one database and block folder", async () => {
      const [a, b] = await Promise.all(servers.map((s) => api<{ engine: string }>(s.url, null, "health")));
      expect([a.body.engine, b.body.engine]).toEqual(["postgres", "postgres"]);
      expect(servers[0].pid).not.toBe(servers[1].pid);
      const tasks = await Promise.all(
        servers.map((s) => api<{ items: Array<{ name: string }> }>(s.url, tokens.bob, "tasks")),
      );
      expect(tasks.map((t) => t.body.items.map((x) => x.name))).toEqual([[TASK], [TASK]]);
    });

    it("gives each home on the shared database its own local admin, whose token keeps working", async () => {
      // homes[1] and homes[2] serve: each wrote its own token file.
      const homeTokens = homes.slice(1, 3).map((h) => fs.readFileSync(path.join(h, "token"), "utf8").trim());
      expect(new Set(homeTokens).size).toBe(2);
      const admins = await adminQuery<{ name: string; role: string }>(
        databaseUrl,
        `select name, role from users where name like 'local-admin%' order by name`,
      );
      expect(admins.length).toBeGreaterThanOrEqual(2);
      for (const a of admins)
        expect(a).toEqual({ name: expect.stringMatching(/^local-admin-[0-9a-f]{8}$/), role: "admin" });
      // Every serving home's token is accepted by both servers, after both started.
      for (const token of homeTokens)
        for (const s of servers) expect((await api(s.url, token, "tasks")).status).toBe(200);
    });

    it("makes exactly one submission of concurrent retries with one Idempotency-Key", async () => {
      const results = await submitConcurrently("alice", 8, () => "retried", { "idempotency-key": "retry-1" });
      for (const r of results) expect([200, 201]).toContain(r.status);
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      const ids = new Set(results.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      // The first is scored before it answers; a replay may catch it between its commit and its scoring.
      expect(results.find((r) => r.status === 201)!.body.status).toBe("scored");
      for (const r of results) {
        expect(r.body.user).toBe("alice");
        expect(["accepted", "scored"]).toContain(r.body.status);
      }

      const stored = await submissionsOf("alice");
      expect(stored.map((s) => s.id)).toEqual([...ids]);
      // Its scores went to the shared block folder, not a home's.
      expect(blockFiles(blocks)).toContain(stored[0].scores_file);
      for (const home of homes.slice(0, 3)) expect(blockFiles(path.join(home, "blocks"))).toEqual([]);
    });

    it(`accepts exactly ${DAILY_LIMIT} of concurrent submissions beyond the daily limit`, async () => {
      // Each submission's scores differ (noisy, so their metrics differ), to check them below.
      const scoreOf = (i: number, run: number, ls: number) =>
        (ls <= 2 ? 0.55 : 0.45) + (((run * 31 + ls * 17 + i * 7) % 10) - 4.5) / 40;
      const results = await submitConcurrently("bob", 8, (i) => `method-${i}`, {}, scoreOf);
      const accepted = results.filter((r) => r.status === 201);
      const refused = results.filter((r) => r.status !== 201);
      expect(accepted).toHaveLength(DAILY_LIMIT);
      expect(refused).toHaveLength(8 - DAILY_LIMIT);
      for (const r of refused) {
        expect(r.status).toBe(429);
        expect(r.body.message).toBe(
          `daily limit of ${DAILY_LIMIT} submissions to '${TASK}' reached for user 'bob'; it resets at 00:00 UTC`,
        );
      }
      const stored = await submissionsOf("bob");
      expect(stored.map((s) => s.id).sort((x, y) => x - y)).toEqual(
        accepted.map((r) => r.body.id).sort((x, y) => x - y),
      );

      // Both servers show the same leaderboard: alice's one submission and bob's accepted ones.
      const boards = await Promise.all(
        servers.map((s) => api<Leaderboard>(s.url, tokens.alice, `tasks/${TASK}/leaderboard`)),
      );
      const rows = boards.map((b) => b.body.rows.map((r) => [r.submission, r.user]));
      expect(rows[0]).toEqual(rows[1]);
      expect(rows[0]).toHaveLength(1 + DAILY_LIMIT);

      // The leaderboard matches a recomputation from the hidden labels of the public part, rounded as a
      // participant gets it while the task is open.
      const truth = await adminQuery<{ run: number; lumisection: number; bad: number }>(
        databaseUrl,
        `select run, lumisection, bad from task_lumisections where split = 'test' and part = 'public' order by run, lumisection`,
      );
      expect(truth.length).toBeGreaterThan(0);
      for (const row of boards[0].body.rows.filter((r) => r.user === "bob")) {
        const i = Number(row.method.replace("method-", ""));
        const expected = scoreAll(
          Float64Array.from(truth, (t) => scoreOf(i, t.run, t.lumisection)),
          Uint8Array.from(truth, (t) => t.bad),
        );
        const places = boards[0].body.precision;
        expect(places).toBe(3);
        expect(row.rocAuc).toBe(roundTo(expected.rocAuc, places!));
        expect(row.averagePrecision).toBe(roundTo(expected.averagePrecision, places!));
      }
      const aucs = new Set(boards[0].body.rows.filter((r) => r.user === "bob").map((r) => r.rocAuc));
      expect(aucs.size).toBeGreaterThan(1); // the recomputation compared different submissions
      // The retry of a refused request is refused again: the limit counts what was stored, not attempts.
      const again = await submitConcurrently("bob", 2, () => "later");
      expect(again.map((r) => r.status)).toEqual([429, 429]);

      // Every stored submission's scores file is in the shared folder, and no write is left in flight.
      const files = blockFiles(blocks);
      for (const sub of [...(await submissionsOf("alice")), ...stored])
        expect(files).toContain(sub.scores_file);
      expect(tmpEntries(blocks)).toEqual([]);
    });
  },
);
