/**
 * Designated reference runs: the certified runs shifters compare others with, set by an admin (REST PUT,
 * CLI `reference set`, or the demo). See reference-runs.ts for the rules.
 */
import type { Kysely } from "kysely";
import type { Database } from "./schema";
import { datasetId } from "./datasets";
import {
  listReferenceRuns,
  nearestReference,
  referenceRunNumbers,
  replaceReferenceRuns,
  type ReferenceRun,
  type ReferenceRunInput,
} from "./reference-runs";
import { NotFoundError } from "../errors";

export class ReferenceRunRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The designated reference runs of a data set, ascending. */
  async list(dataset: string): Promise<ReferenceRun[]> {
    return listReferenceRuns(this.db, await datasetId(this.db, dataset));
  }

  /**
   * Replaces the designated reference runs of a data set (an empty list clears them) and returns the
   * new list. Numbers alone keep the note of a run already designated. Refused (nothing changes) when a
   * run is listed twice, is not in the data set, or is in the hidden test split of an open task.
   * `setBy`: the admin's user name, recorded with each new designation.
   */
  async set(
    dataset: string,
    runs: ReadonlyArray<number | ReferenceRunInput>,
    opts: { setBy?: string | null } = {},
  ): Promise<ReferenceRun[]> {
    const id = await datasetId(this.db, dataset);
    const inputs = runs.map((r) => (typeof r === "number" ? { run: r } : r));
    await this.db
      .transaction()
      .execute((trx) => replaceReferenceRuns(trx, id, dataset, inputs, opts.setBy ?? null));
    return listReferenceRuns(this.db, id);
  }

  /**
   * The designated reference run for `run`: the nearest designated run before it (runs are numbered in
   * time order), else the nearest after it, never `run` itself; null when the data set has none.
   */
  async forRun(dataset: string, run: number): Promise<number | null> {
    const id = await datasetId(this.db, dataset);
    const exists = await this.db
      .selectFrom("runs")
      .select("run")
      .where("dataset_id", "=", id)
      .where("run", "=", run)
      .executeTakeFirst();
    if (!exists) throw new NotFoundError(`data set '${dataset}' has no run ${run}`);
    return nearestReference(await referenceRunNumbers(this.db, id), run);
  }
}
