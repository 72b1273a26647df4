/**
 * Schema migrations, run by Kysely's Migrator on both engines. Migrations are code, kept in this
 * file in order, so the compiled CommonJS build needs no migration folder on disk.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from "kysely";

// Migrations see the database before their own changes, so they are written against an untyped Kysely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const initial: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("datasets")
      .addColumn("id", "serial", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("era", "text")
      .addColumn("primary_dataset", "text")
      .addColumn("description", "text")
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable("monitor_elements")
      .addColumn("id", "serial", (c) => c.primaryKey())
      .addColumn("dataset_id", "integer", (c) => c.notNull().references("datasets.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("kind", "text")
      .addColumn("dim", "integer", (c) => c.notNull())
      .addColumn("x_min", "double precision", (c) => c.notNull())
      .addColumn("x_max", "double precision", (c) => c.notNull())
      .addColumn("x_bins", "integer", (c) => c.notNull())
      .addColumn("y_min", "double precision", (c) => c.notNull())
      .addColumn("y_max", "double precision", (c) => c.notNull())
      .addColumn("y_bins", "integer", (c) => c.notNull())
      .addColumn("has_flow", "boolean", (c) => c.notNull())
      .addUniqueConstraint("monitor_elements_dataset_name", ["dataset_id", "name"])
      .execute();

    await db.schema
      .createTable("runs")
      .addColumn("dataset_id", "integer", (c) => c.notNull().references("datasets.id").onDelete("cascade"))
      .addColumn("run", "integer", (c) => c.notNull())
      .addColumn("fill", "integer")
      .addPrimaryKeyConstraint("runs_pk", ["dataset_id", "run"])
      .execute();

    await db.schema
      .createTable("lumisections")
      .addColumn("dataset_id", "integer", (c) => c.notNull())
      .addColumn("run", "integer", (c) => c.notNull())
      .addColumn("lumisection", "integer", (c) => c.notNull())
      .addColumn("fill", "integer")
      .addColumn("delivered_lumi", "double precision")
      .addColumn("recorded_lumi", "double precision")
      .addColumn("pileup", "double precision")
      .addColumn("physics_flag", "boolean")
      .addColumn("beams_stable", "boolean")
      .addColumn("cms_active", "boolean")
      .addColumn("ready_bits", "text")
      .addPrimaryKeyConstraint("lumisections_pk", ["dataset_id", "run", "lumisection"])
      .addForeignKeyConstraint(
        "lumisections_run_fk",
        ["dataset_id", "run"],
        "runs",
        ["dataset_id", "run"],
        (c) => c.onDelete("cascade"),
      )
      .execute();

    await db.schema
      .createTable("certifications")
      .addColumn("id", "serial", (c) => c.primaryKey())
      .addColumn("dataset_id", "integer", (c) => c.notNull().references("datasets.id").onDelete("cascade"))
      .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('golden', 'dcs', 'flag')`))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("source_sha256", "text", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint("certifications_dataset_name", ["dataset_id", "kind", "name"])
      .execute();

    await db.schema
      .createTable("certification_ranges")
      .addColumn("certification_id", "integer", (c) =>
        c.notNull().references("certifications.id").onDelete("cascade"),
      )
      .addColumn("run", "integer", (c) => c.notNull())
      .addColumn("first_ls", "integer", (c) => c.notNull())
      .addColumn("last_ls", "integer", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("certification_ranges_run")
      .on("certification_ranges")
      .columns(["certification_id", "run"])
      .execute();

    await db.schema
      .createTable("ingests")
      .addColumn("id", "serial", (c) => c.primaryKey())
      .addColumn("dataset_id", "integer", (c) => c.notNull().references("datasets.id").onDelete("cascade"))
      .addColumn("format", "text", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("source_sha256", "text", (c) => c.notNull())
      .addColumn("records", "integer", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint("ingests_dataset_source", ["dataset_id", "format", "source_sha256"])
      .execute();

    await db.schema
      .createTable("histogram_blocks")
      .addColumn("id", "serial", (c) => c.primaryKey())
      .addColumn("dataset_id", "integer", (c) => c.notNull().references("datasets.id").onDelete("cascade"))
      .addColumn("me_id", "integer", (c) => c.notNull().references("monitor_elements.id").onDelete("cascade"))
      .addColumn("ingest_id", "integer", (c) => c.notNull().references("ingests.id").onDelete("cascade"))
      .addColumn("file", "text", (c) => c.notNull())
      .addColumn("offset", "bigint", (c) => c.notNull())
      .addColumn("length", "bigint", (c) => c.notNull())
      .addColumn("flow_file", "text")
      .addColumn("flow_offset", "bigint")
      .addColumn("flow_length", "bigint")
      .addColumn("run_min", "integer", (c) => c.notNull())
      .addColumn("run_max", "integer", (c) => c.notNull())
      .addColumn("rows", "integer", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("histogram_blocks_me_run")
      .on("histogram_blocks")
      .columns(["me_id", "run_min", "run_max"])
      .execute();
  },
};

const tasksAndSubmissions: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("users")
      .addColumn("id", "serial", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('participant', 'admin')`))
      .addColumn("token_sha256", "text", (c) => c.notNull().unique())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable("tasks")
      .addColumn("id", "serial", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull())
      .addColumn("dataset_id", "integer", (c) => c.notNull().references("datasets.id").onDelete("cascade"))
      .addColumn("spec", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('open', 'closed')`))
      .addColumn("train_sha256", "text", (c) => c.notNull())
      .addColumn("test_sha256", "text", (c) => c.notNull())
      .addColumn("train_size", "integer", (c) => c.notNull())
      .addColumn("test_size", "integer", (c) => c.notNull())
      .addColumn("daily_limit", "integer", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("closed_at", "timestamptz")
      .execute();

    await db.schema
      .createTable("task_lumisections")
      .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
      .addColumn("run", "integer", (c) => c.notNull())
      .addColumn("lumisection", "integer", (c) => c.notNull())
      .addColumn("split", "text", (c) => c.notNull().check(sql`split in ('train', 'test')`))
      .addColumn("part", "text", (c) => c.check(sql`part in ('public', 'private')`))
      .addColumn("bad", "smallint", (c) => c.notNull())
      .addPrimaryKeyConstraint("task_lumisections_pk", ["task_id", "run", "lumisection"])
      .execute();

    await db.schema
      .createTable("submissions")
      .addColumn("id", "serial", (c) => c.primaryKey())
      .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("method", "text", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull())
      .addColumn("link", "text")
      .addColumn("client_version", "text")
      .addColumn("split_sha256", "text", (c) => c.notNull())
      .addColumn("idempotency_key", "text")
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('accepted', 'scored', 'failed')`))
      .addColumn("failure", "text")
      .addColumn("baseline", "boolean", (c) => c.notNull().defaultTo(false))
      .addColumn("scores_file", "text")
      .addColumn("public_metrics", "text")
      .addColumn("private_metrics", "text")
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("scored_at", "timestamptz")
      .addUniqueConstraint("submissions_idempotency", ["task_id", "user_id", "idempotency_key"])
      .execute();
    await db.schema
      .createIndex("submissions_task")
      .on("submissions")
      .columns(["task_id", "user_id", "created_at"])
      .execute();
  },
};

/**
 * Designated reference runs of a data set: the certified runs shifters compare other runs with. A run
 * is designated once per data set; `note`, `set_by` and `set_at` say why, who and when.
 */
const referenceRuns: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("reference_runs")
      .addColumn("dataset_id", "integer", (c) => c.notNull())
      .addColumn("run", "integer", (c) => c.notNull())
      .addColumn("note", "text")
      .addColumn("set_by", "text")
      .addColumn("set_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint("reference_runs_pk", ["dataset_id", "run"])
      .addForeignKeyConstraint(
        "reference_runs_run_fk",
        ["dataset_id", "run"],
        "runs",
        ["dataset_id", "run"],
        (c) => c.onDelete("cascade"),
      )
      .execute();
  },
};

/** All migrations by name; names sort in the order they must run. */
export const migrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_tasks_and_submissions": tasksAndSubmissions,
  "0003_reference_runs": referenceRuns,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
