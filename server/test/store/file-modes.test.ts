/**
 * The block store is private to its owner: after an ingest, a published task (its split files) and a
 * submission (its score file), every folder under it is 0700 and every file 0600, staging folders
 * included; and opening a store makes an older, world-readable block folder private again (its top
 * folders only: what lies below a 0700 folder is out of reach whatever its own mode).
 * The file-backed PGlite home (db, lock, token, server.json) is checked through the CLI:
 * test/cli/file-modes-cli.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { tableFromIPC } from "apache-arrow";
import { buildApp } from "../../src/api/app";
import { makeIngestTmpDir, stageFiles } from "../../src/store/block-files";
import { openTestStore, testEngines, type TestStore } from "../helpers/stores";
import { loadFixture, TASK_SPEC } from "../helpers/task-fixture";

/** Every path under `root` (itself included) whose mode is not 0700 (folders) or 0600 (files). */
function notPrivate(root: string): string[] {
  const wrong: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    const mode = st.mode & 0o777;
    if (st.isDirectory()) {
      if (mode !== 0o700) wrong.push(`${path.relative(root, p) || "."}/ ${mode.toString(8)}`);
      for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    } else if (mode !== 0o600) wrong.push(`${path.relative(root, p)} ${mode.toString(8)}`);
  };
  walk(root);
  return wrong;
}

describe.each(testEngines())("file modes of the block store on %s", (engine) => {
  let store: TestStore;
  let close: () => Promise<void>;
  let blocks: string;
  let app: FastifyInstance;
  let tokens: { admin: string; alice: string };
  let savedUmask: number;

  beforeAll(async () => {
    // The modes must not depend on a strict umask of whoever runs the service.
    savedUmask = process.umask(0o022);
    const opened = await openTestStore(engine);
    store = opened.store;
    close = opened.close;
    blocks = opened.home.config.blockStore;
    tokens = await loadFixture(store);
    app = await buildApp({ store });
  });
  afterAll(async () => {
    await app.close();
    await close();
    process.umask(savedUmask);
  });

  const req = (who: keyof typeof tokens, method: "GET" | "POST", url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });

  it("writes histogram blocks, split files and score files 0600 in 0700 folders", async () => {
    expect((await req("admin", "POST", "/api/v1/tasks", TASK_SPEC)).statusCode).toBe(201);
    const split = await req("alice", "GET", "/api/v1/tasks/charge-task/splits/test");
    const test = tableFromIPC(split.rawPayload);
    const scores = Array.from({ length: test.numRows }, (_, i) => ({
      run: test.getChild("run")!.get(i) as number,
      lumisection: test.getChild("lumisection")!.get(i) as number,
      score: i % 7,
    }));
    const submitted = await req("alice", "POST", "/api/v1/tasks/charge-task/submissions", {
      method: "modes",
      split_sha256: split.headers["x-split-sha256"],
      scores,
    });
    expect(submitted.statusCode).toBe(201);

    // Histogram blocks, the two splits and the score file: more than one content folder.
    const files = fs.readdirSync(blocks).filter((n) => n.length === 2);
    expect(files.length).toBeGreaterThan(1);
    expect(notPrivate(blocks)).toEqual([]);
  });

  it("creates staging folders and their files private", async () => {
    const staged = await stageFiles(blocks);
    const tmp = await makeIngestTmpDir(blocks);
    try {
      fs.writeFileSync(path.join(tmp, "probe"), "", { mode: 0o600 });
      expect(fs.readdirSync(path.join(blocks, "tmp")).length).toBe(2);
      expect(notPrivate(blocks)).toEqual([]);
    } finally {
      await staged.release();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("makes an older block folder private when the store opens (its top folders, not every file)", async () => {
    // A store written before files were private: 0755 folders, 0644 files.
    fs.chmodSync(blocks, 0o755);
    fs.mkdirSync(path.join(blocks, "tmp"), { recursive: true });
    fs.chmodSync(path.join(blocks, "tmp"), 0o755);
    const prefix = fs.readdirSync(blocks).find((n) => n.length === 2)!;
    fs.chmodSync(path.join(blocks, prefix), 0o755);
    const file = path.join(blocks, prefix, fs.readdirSync(path.join(blocks, prefix))[0]);
    fs.chmodSync(file, 0o644);

    await store.removeOrphans(); // what Store.open runs
    const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
    expect([mode(blocks), mode(path.join(blocks, "tmp"))]).toEqual(["700", "700"]);
    // Below the 0700 block folder, older entries keep their modes: nobody else can reach them.
    expect(notPrivate(blocks).sort()).toEqual(
      [`${prefix}/ 755`, `${path.relative(blocks, file)} 644`].sort(),
    );
  });
});
