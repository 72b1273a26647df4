/**
 * Data sets: their summaries, monitor elements, runs and lumisections with OMS metadata, and the labels
 * shown with them. Runs in the test split of an open task have their certification (labels, golden
 * counts) withheld from everyone, admins included (no caller here knows the viewer): it would give
 * away the hidden test labels. Closing a task releases its runs' labels.
 */
import type { Kysely } from "kysely";
import type { Database } from "./schema";
import {
  datasetId,
  ensureDataset,
  toMonitorElement,
  type DatasetInfo,
  type MonitorElement,
} from "./datasets";
import type { RunRange } from "./histogram-read";
import {
  LabelIndex,
  lumiKey,
  runSummaries,
  upsertLumisectionMetadata,
  type Label,
  type LumiKey,
  type LumisectionMeta,
  type RunCounts,
  type RunSummary,
} from "./lumisections";
import { paginate, type Page, type PageRequest } from "./paging";
import { nearestReference, referenceRunNumbers } from "./reference-runs";
import { hiddenRuns } from "./run-roles";
import type { LumisectionMetadata } from "../ingest/types";
import { InputError, NotFoundError } from "../errors";
import type * as api from "@dqm-playground/api-types";

export type DatasetSummary = api.Dataset;

export type LumisectionRow = api.Lumisection;

/** A run's counts with the reference run that applies to it (the data set's designated runs, ascending). */
function withReference(r: RunCounts, designated: readonly number[]): RunSummary {
  return { ...r, referenceRun: nearestReference(designated, r.run), isReference: designated.includes(r.run) };
}

export class DatasetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<DatasetSummary[]> {
    const rows = await this.db
      .selectFrom("datasets as d")
      .select((eb) => [
        "d.name",
        "d.era",
        "d.primary_dataset",
        "d.description",
        eb
          .selectFrom("monitor_elements")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("dataset_id", "=", "d.id")
          .as("mes"),
        eb
          .selectFrom("runs")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("dataset_id", "=", "d.id")
          .as("runs"),
        eb
          .selectFrom("lumisections")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("dataset_id", "=", "d.id")
          .as("lss"),
      ])
      .orderBy("d.name")
      .execute();
    return rows.map((r) => ({
      name: r.name,
      era: r.era,
      primaryDataset: r.primary_dataset,
      description: r.description,
      monitorElements: Number(r.mes ?? 0),
      runs: Number(r.runs ?? 0),
      lumisections: Number(r.lss ?? 0),
    }));
  }

  async has(name: string): Promise<boolean> {
    return (
      (await this.db.selectFrom("datasets").select("id").where("name", "=", name).executeTakeFirst()) !==
      undefined
    );
  }

  async monitorElements(dataset: string): Promise<MonitorElement[]> {
    const id = await datasetId(this.db, dataset);
    const rows = await this.db
      .selectFrom("monitor_elements")
      .selectAll()
      .where("dataset_id", "=", id)
      .orderBy("name")
      .execute();
    return rows.map(toMonitorElement);
  }

  async runs(dataset: string, filter: RunRange, page: PageRequest): Promise<Page<RunSummary>> {
    const id = await datasetId(this.db, dataset);
    const withheld = await hiddenRuns(this.db, id);
    const references = await referenceRunNumbers(this.db, id);
    const all = (await runSummaries(this.db, id, { runMin: filter.min, runMax: filter.max }))
      .map((r) =>
        withheld.has(r.run)
          ? { ...r, golden: null, goldenFraction: null, bad: null, labelsWithheld: true }
          : r,
      )
      .map((r) => withReference(r, references));
    return paginate(all, page);
  }

  async lumisections(
    dataset: string,
    run: number,
    filter: { label?: Label },
    page: PageRequest,
  ): Promise<Page<LumisectionRow>> {
    const id = await datasetId(this.db, dataset);
    const rows = await this.db
      .selectFrom("lumisections")
      .selectAll()
      .where("dataset_id", "=", id)
      .where("run", "=", run)
      .orderBy("lumisection")
      .execute();
    if (rows.length === 0) throw new NotFoundError(`data set '${dataset}' has no run ${run}`);
    const withheld = (await hiddenRuns(this.db, id)).has(run);
    if (withheld && filter.label !== undefined)
      throw new InputError(
        `labels of run ${run} are withheld (it is in the test split of a task), so it cannot be filtered by label`,
        { column: "label" },
        403,
      );
    const labels = await LabelIndex.load(this.db, id, { min: run, max: run });
    const hidden = { golden: null, dcs: null, flags: [], label: null, labelsWithheld: true };
    const all = rows
      .map((r) => ({
        run: r.run,
        lumisection: r.lumisection,
        fill: r.fill,
        deliveredLumi: r.delivered_lumi,
        recordedLumi: r.recorded_lumi,
        pileup: r.pileup,
        physicsFlag: r.physics_flag,
        beamsStable: r.beams_stable,
        cmsActive: r.cms_active,
        ...(withheld ? hidden : { ...labels.labels(r.run, r.lumisection), labelsWithheld: false }),
      }))
      .filter((r) => filter.label === undefined || r.label === filter.label);
    return paginate(all, page);
  }

  /**
   * The OMS metadata of every lumisection of the data set in the run range (bounds included), by
   * `lumiKey(run, lumisection)`.
   */
  async lumisectionMetadata(dataset: string, runs: RunRange): Promise<Map<LumiKey, LumisectionMeta>> {
    const id = await datasetId(this.db, dataset);
    let q = this.db
      .selectFrom("lumisections")
      .select(["run", "lumisection", "fill", "delivered_lumi", "recorded_lumi", "pileup", "beams_stable"])
      .where("dataset_id", "=", id);
    if (runs.min !== undefined) q = q.where("run", ">=", runs.min);
    if (runs.max !== undefined) q = q.where("run", "<=", runs.max);
    const out = new Map<LumiKey, LumisectionMeta>();
    for (const r of await q.execute())
      out.set(lumiKey(r.run, r.lumisection), {
        fill: r.fill,
        deliveredLumi: r.delivered_lumi,
        recordedLumi: r.recorded_lumi,
        pileup: r.pileup,
        beamsStable: r.beams_stable,
      });
    return out;
  }

  /** Sets OMS metadata per lumisection; false when every value was already stored. */
  async setMetadata(dataset: DatasetInfo, rows: LumisectionMetadata[]): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const id = await ensureDataset(trx, dataset);
      return upsertLumisectionMetadata(trx, id, rows);
    });
  }
}
