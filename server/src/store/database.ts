/**
 * Opens the playground database: embedded PGlite in the home folder by default, a PostgreSQL server
 * when a connection string is given. Both run the same migrations and the same Kysely queries.
 */
import fs from "node:fs";
import path from "node:path";
import { Kysely, Migrator, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { Database } from "./schema";
import { migrationProvider } from "./migrations";

export type Engine = "pglite" | "postgres";

export interface OpenDatabase {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * `dataDir` undefined with no URL gives an in-memory PGlite (tests). Counts and bigint offsets are
 * parsed to JS numbers on both engines: every value we store in them stays below 2^53.
 */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir?: string;
  /** A PGlite data folder dump (tar) to start an in-memory database from, instead of an empty one. */
  loadDataDir?: Blob;
}): Promise<OpenDatabase> {
  let db: Kysely<Database>;
  let engine: Engine;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      types: {
        getTypeParser: (oid: number, format?: string) =>
          oid === INT8_OID || oid === NUMERIC_OID
            ? (v: string) => Number(v)
            : pg.types.getTypeParser(oid, format as "text"),
      },
    });
    // An idle pooled connection closed by the server (restart, failover, a dropped database) is
    // reported on the pool; without a listener that error would crash the process. The pool drops
    // the client and opens a new one for the next query, where a lasting failure still surfaces.
    pool.on("error", () => {});
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    engine = "postgres";
  } else {
    if (opts.dataDir) fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
    const lite = new PGlite(opts.dataDir, {
      loadDataDir: opts.loadDataDir,
      parsers: { [INT8_OID]: (v: string) => Number(v), [NUMERIC_OID]: (v: string) => Number(v) },
    });
    await lite.waitReady;
    db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
    engine = "pglite";
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, engine, close: () => db.destroy() };
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
