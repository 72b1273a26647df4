/** Data sets and their monitor elements. */
import type { Kysely, Transaction } from "kysely";
import type { Database, MonitorElementRow } from "./schema";
import { InputError, NotFoundError } from "../errors";
import type * as api from "@dqm-playground/api-types";

export interface DatasetInfo {
  name: string;
  era?: string | null;
  primaryDataset?: string | null;
  description?: string | null;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Creates the data set if missing (inside the caller's transaction) and returns its id. */
/** Longest data set name: a short id that goes into URLs (`/datasets/{dataset}`), not CMS's full path. */
export const MAX_DATASET_NAME_LENGTH = 100;
const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * What is wrong with a data set name, or undefined: letters, digits, `.`, `_` and `-`, starting with a
 * letter or digit, at most 100 characters (a `/` would make it unreachable through the API; CMS's
 * dataset path belongs in `primaryDataset`).
 */
export function datasetNameProblem(name: string): string | undefined {
  if (name.length > MAX_DATASET_NAME_LENGTH)
    return `data set name of ${name.length} characters, at most ${MAX_DATASET_NAME_LENGTH} are allowed`;
  if (!DATASET_NAME.test(name))
    return `data set name ${JSON.stringify(name)} is not allowed: use letters, digits, '.', '_' and '-', starting with a letter or digit (the CMS dataset path goes in primaryDataset)`;
  return undefined;
}

export async function ensureDataset(trx: Db, info: DatasetInfo): Promise<number> {
  const problem = datasetNameProblem(info.name);
  if (problem) throw new InputError(problem);
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
