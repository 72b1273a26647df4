/**
 * Test stores on both engines: an embedded PGlite in a temporary home, and — when the test command
 * started a PostgreSQL server and exported TEST_DATABASE_URL — a fresh database on that server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { Store } from "../../src/store/store";
import type { PlaygroundConfig } from "../../src/config";
import { openDatabase } from "../../src/store/database";
import { migrations } from "../../src/store/migrations";

export type TestEngine = "pglite" | "postgres";

export function testEngines(): TestEngine[] {
  if (process.env.TEST_DATABASE_URL) return ["pglite", "postgres"];
  if (process.env.REQUIRE_POSTGRES === "1")
    throw new Error("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: run the tests through `npm test`");
  return ["pglite"];
}

export interface TestHome {
  config: PlaygroundConfig;
  cleanup(): Promise<void>;
}

/**
 * A migrated, empty PGlite data folder to copy into each test home: opening an existing folder takes
 * well under a second, creating one several seconds. Built once per schema version and shared by
 * test processes (written aside, then renamed into place).
 */
async function pgliteTemplate(): Promise<string> {
  const version = Object.keys(migrations).join(",");
  const dir = path.join(os.tmpdir(), `dqm-test-pglite-template-${Buffer.from(version).toString("base64url").slice(-24)}`);
  if (fs.existsSync(dir)) return dir;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-test-template-"));
  const { close } = await openDatabase({ dataDir: path.join(scratch, "db") });
  await close();
  try {
    fs.renameSync(path.join(scratch, "db"), dir);
  } catch {
    // another test process won the race; its template is as good
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  return dir;
}

/** A temporary home folder with an empty database: a copied PGlite folder, or a new PostgreSQL database. */
export async function makeTestHome(engine: TestEngine): Promise<TestHome> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-test-"));
  const config: PlaygroundConfig = { home, blocksDir: path.join(home, "blocks") };
  if (engine === "pglite") fs.cpSync(await pgliteTemplate(), path.join(home, "db"), { recursive: true });
  let drop = async () => {};
  if (engine === "postgres") {
    const admin = process.env.TEST_DATABASE_URL as string;
    const name = `dqm_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`create database ${name}`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    config.databaseUrl = url.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  return {
    config,
    cleanup: async () => {
      await drop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function openTestStore(
  engine: TestEngine,
): Promise<{ store: Store; home: TestHome; close(): Promise<void> }> {
  const home = await makeTestHome(engine);
  const store = await Store.open(home.config);
  return {
    store,
    home,
    close: async () => {
      await store.close();
      await home.cleanup();
    },
  };
}
