/**
 * Test stores on both engines: an embedded PGlite in a temporary home, and — when the test command
 * started a PostgreSQL server and exported TEST_DATABASE_URL — a fresh database on that server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { Store } from "../../src/store/store";
import { storeInternals, type StoreInternals } from "../../src/store/testing";
import type { PlaygroundConfig } from "../../src/config";
import { Kysely, Migrator } from "kysely";
import { PGlite } from "@electric-sql/pglite";
import { PGliteDialect } from "kysely-pglite-dialect";
import { migrationProvider } from "../../src/store/migrations";
import type { Database } from "../../src/store/schema";

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
 * PGlite in tests runs in memory, started from a dump of a migrated empty database: restoring a dump
 * takes a fraction of a second, creating a database several. (PGlite's file-backed mode fails under
 * jest's module sandbox, with "Bad file descriptor" on WAL writes; tests of the file-backed store run
 * the CLI in child processes instead.)
 */
let template: Promise<Blob> | null = null;
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const lite = new PGlite();
    const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
    await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    const dump = await lite.dumpDataDir("none");
    await db.destroy();
    return dump;
  })();
  return template;
}

/** A temporary home folder with an empty database: a copied PGlite folder, or a new PostgreSQL database. */
export async function makeTestHome(engine: TestEngine): Promise<TestHome> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-test-"));
  const config: PlaygroundConfig = { home, blockStore: path.join(home, "blocks") };
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

/**
 * A test's store: the store with its database and block folder in reach (`db`, `blocksDir`: the
 * test-only door of src/store/testing.ts), for tests that look under the store's interface.
 */
export type TestStore = Store & Readonly<StoreInternals>;

export function withInternals(store: Store): TestStore {
  const { db, blocksDir } = storeInternals(store);
  return Object.defineProperties(store, { db: { value: db }, blocksDir: { value: blocksDir } }) as TestStore;
}

export async function openTestStore(
  engine: TestEngine,
): Promise<{ store: TestStore; home: TestHome; close(): Promise<void> }> {
  const home = await makeTestHome(engine);
  const store = withInternals(
    engine === "pglite"
      ? await Store.open(home.config, { inMemory: true, loadDataDir: await pgliteTemplate() })
      : await Store.open(home.config),
  );
  return {
    store,
    home,
    close: async () => {
      await store.close();
      await home.cleanup();
    },
  };
}

/** A fresh store on `engine` (with its home) for every test of the enclosing describe block (closed after each). */
export function freshOpenedStoreEachTest(
  engine: TestEngine,
): () => Awaited<ReturnType<typeof openTestStore>> {
  let opened: Awaited<ReturnType<typeof openTestStore>> | null = null;
  beforeEach(async () => {
    opened = await openTestStore(engine);
  });
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });
  return () => {
    if (!opened) throw new Error("the test store is open only inside a test");
    return opened;
  };
}

/** A fresh store on `engine` for every test of the enclosing describe block (closed after each). */
export function freshStoreEachTest(engine: TestEngine): () => TestStore {
  const opened = freshOpenedStoreEachTest(engine);
  return () => opened().store;
}
