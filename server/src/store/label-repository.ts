/**
 * Labels: the certifications of a data set (golden and DCS-only lumisection ranges, subsystems' bad
 * lists), from which every label is derived (store/lumisections.ts). Server only: it labels the runs
 * whose labels the API withholds too.
 */
import type { Kysely } from "kysely";
import type { Database } from "./schema";
import { datasetId, ensureDataset, type DatasetInfo } from "./datasets";
import type { RunRange } from "./histogram-read";
import { LabelIndex, replaceCertification } from "./lumisections";
import type { CertificationKind, LumiRanges } from "../ingest/types";

export class LabelRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The labels of the data set's lumisections in the run range (all runs when it has no bound). Server
   * only: it labels the runs that the API withholds too.
   */
  async index(dataset: string, runs: RunRange = {}): Promise<LabelIndex> {
    return LabelIndex.load(
      this.db,
      await datasetId(this.db, dataset),
      runs.min !== undefined || runs.max !== undefined
        ? { min: runs.min ?? 0, max: runs.max ?? 2 ** 31 - 1 }
        : undefined,
    );
  }

  /** Whether the data set exists and has a certification of this kind (golden, dcs or flags). */
  async has(dataset: string, kind: CertificationKind): Promise<boolean> {
    return (
      (await this.db
        .selectFrom("certifications")
        .innerJoin("datasets", "datasets.id", "certifications.dataset_id")
        .select("certifications.id")
        .where("datasets.name", "=", dataset)
        .where("certifications.kind", "=", kind)
        .executeTakeFirst()) !== undefined
    );
  }

  /** Loads golden / DCS-only ranges or a subsystem's bad-lumisection list; false if already loaded. */
  async ingest(
    dataset: DatasetInfo,
    cert: { kind: CertificationKind; name: string; source: string; sha256: string },
    ranges: LumiRanges,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const id = await ensureDataset(trx, dataset);
      return replaceCertification(trx, id, cert, ranges);
    });
  }
}
