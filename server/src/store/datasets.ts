/** Data sets and their monitor elements. */
import type { Kysely, Transaction } from "kysely";
import type { Database, MonitorElementRow } from "./schema";
import { NotFoundError } from "../errors";
import type * as api from "@dqm-playground/api-types";

export interface DatasetInfo {
  name: string;
  era?: string | null;
  primaryDataset?: string | null;
  description?: string | null;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Creates the data set if missing (inside the caller's transaction) and returns its id. */
export async function ensureDataset(trx: Db, info: DatasetInfo): Promise<number> {
  await trx
    .insertInto("datasets")
    .values({
      name: info.name,
      era: info.era ?? null,
      primary_dataset: info.primaryDataset ?? null,
      description: info.description ?? null,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await trx
    .selectFrom("datasets")
    .select("id")
    .where("name", "=", info.name)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function datasetId(db: Db, name: string): Promise<number> {
  const row = await db.selectFrom("datasets").select("id").where("name", "=", name).executeTakeFirst();
  if (!row) throw new NotFoundError(`no data set named '${name}'`);
  return row.id;
}

export type MonitorElement = api.MonitorElement;

export function toMonitorElement(r: MonitorElementRow): MonitorElement {
  return {
    name: r.name,
    kind: r.kind,
    hasFlow: r.has_flow,
    binning: {
      dim: r.dim === 2 ? 2 : 1,
      xmin: r.x_min,
      xmax: r.x_max,
      xbins: r.x_bins,
      ymin: r.y_min,
      ymax: r.y_max,
      ybins: r.y_bins,
    },
  };
}

export async function monitorElementRow(db: Db, datasetIdValue: number, dataset: string, me: string) {
  const row = await db
    .selectFrom("monitor_elements")
    .selectAll()
    .where("dataset_id", "=", datasetIdValue)
    .where("name", "=", me)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`data set '${dataset}' has no monitor element '${me}'`);
  return row;
}
