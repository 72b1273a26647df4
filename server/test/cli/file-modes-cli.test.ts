/**
 * The file-backed home (embedded PGlite) is private to its owner: after `ingest` and while `serve`
 * runs, the home and every folder the service makes are 0700 and every file it writes is 0600 (token,
 * db.lock, server.json, block files). Inside home/db PGlite keeps its own modes (0644 files, 0755
 * folders under the usual umask): the 0700 db folder and home keep them out of other users' reach.
 * A home made before (0755 folders) is made private again by the next command that opens the store.
 * The block store's split and score files on both engines: test/store/file-modes.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { SERVER_DIR, requireBuiltCli, runCli, startServer, tempDir } from "../helpers/cli";
import { expectSuccess } from "./cli-checks";

const FIXTURE = path.join(SERVER_DIR, "test/fixtures/ingest/legacy-1d.csv");

/** Paths under `home` (itself included, home/db's contents left out) not 0700 (folders) or 0600 (files). */
function notPrivate(home: string): string[] {
  const wrong: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    const mode = st.mode & 0o777;
    const rel = path.relative(home, p) || ".";
    if (st.isDirectory()) {
      if (mode !== 0o700) wrong.push(`${rel}/ ${mode.toString(8)}`);
      if (rel !== "db") for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    } else if (mode !== 0o600) wrong.push(`${rel} ${mode.toString(8)}`);
  };
  walk(home);
  return wrong;
}

describe("file modes of a PGlite home", () => {
  let home: string;
  const opts = () => ({ home });

  beforeAll(() => {
    requireBuiltCli();
    home = tempDir();
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it("ingest makes the home private: 0700 folders, 0600 files", async () => {
    fs.chmodSync(home, 0o755); // as a home made by `mkdir` is
    expectSuccess(await runCli(["ingest", "csv", FIXTURE, "--dataset", "legacy"], opts()));
    expect(fs.readdirSync(home).sort()).toEqual(expect.arrayContaining(["blocks", "db"]));
    expect(fs.readdirSync(path.join(home, "blocks")).length).toBeGreaterThan(0);
    expect(notPrivate(home)).toEqual([]);
  }, 120_000);

  it("serve makes an older home private and writes server.json and the lock 0600", async () => {
    // A home written before files were private.
    for (const d of [".", "db", "blocks"]) fs.chmodSync(path.join(home, d), 0o755);
    const server = await startServer(opts());
    try {
      expect(fs.statSync(path.join(home, "server.json")).isFile()).toBe(true);
      expect(fs.statSync(path.join(home, "db.lock")).isFile()).toBe(true);
      expect(fs.statSync(path.join(home, "token")).isFile()).toBe(true);
      expect(notPrivate(home)).toEqual([]);
    } finally {
      expect((await server.stop()).code).toBe(0);
    }
  }, 120_000);
});
