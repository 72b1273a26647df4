/** Runs, lumisections, their OMS metadata and their certification labels. */
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "./schema";
import type { CertificationKind, LumiRanges, LumisectionMetadata } from "../ingest/types";
import { inChunks } from "./chunks";
import type * as api from "@dqm-playground/api-types";

type Db = Kysely<Database> | Transaction<Database>;

/** One number per (run, lumisection): runs fit in 31 bits and lumisections in 20, so this stays below 2^53. */
export type LumiKey = number;
export const LUMI_BITS = 2 ** 20;
export function lumiKey(run: number, lumisection: number): LumiKey {
  return run * LUMI_BITS + lumisection;
}
export function runOfKey(key: LumiKey): number {
  return Math.floor(key / LUMI_BITS);
}
export function lumisectionOfKey(key: LumiKey): number {
  return key % LUMI_BITS;
}

/** Adds runs and lumisections that are not there yet (histogram ingests create them). */
export async function insertLumisectionKeys(
  trx: Db,
  datasetId: number,
  keys: Iterable<LumiKey>,
): Promise<void> {
  const sorted = Array.from(keys).sort((a, b) => a - b);
  const runs = [...new Set(sorted.map(runOfKey))];
  await inChunks(runs, (chunk) =>
    trx
      .insertInto("runs")
      .values(chunk.map((run) => ({ dataset_id: datasetId, run, fill: null })))
      .onConflict((oc) => oc.columns(["dataset_id", "run"]).doNothing())
      .execute(),
  );
  await inChunks(sorted, (chunk) =>
    trx
      .insertInto("lumisections")
      .values(
        chunk.map((k) => ({
          dataset_id: datasetId,
          run: runOfKey(k),
          lumisection: lumisectionOfKey(k),
          fill: null,
          delivered_lumi: null,
          recorded_lumi: null,
          pileup: null,
          physics_flag: null,
          beams_stable: null,
          cms_active: null,
          ready_bits: null,
        })),
      )
      .onConflict((oc) => oc.columns(["dataset_id", "run", "lumisection"]).doNothing())
      .execute(),
  );
}

/** The OMS metadata columns of a lumisection (all but its key). */
const METADATA_COLUMNS = [
  "fill",
  "delivered_lumi",
  "recorded_lumi",
  "pileup",
  "physics_flag",
  "beams_stable",
  "cms_active",
  "ready_bits",
] as const;

/**
 * Sets OMS metadata, creating the lumisections (and runs) it names; later values replace earlier ones.
 * Rows whose values are already stored are left alone (`IS DISTINCT FROM` in the upsert), so the
 * result says whether anything changed: false when the same file is ingested again.
 */
export async function upsertLumisectionMetadata(
  trx: Db,
  datasetId: number,
  rows: LumisectionMetadata[],
): Promise<boolean> {
  let changed = 0n;
  const count = (results: Array<{ numInsertedOrUpdatedRows?: bigint }>) => {
    for (const r of results) changed += r.numInsertedOrUpdatedRows ?? 0n;
  };
  const fills = new Map<number, number | null>();
  for (const r of rows) if (!fills.has(r.run) || r.fill != null) fills.set(r.run, r.fill ?? null);
  const runRows = [...fills].map(([run, fill]) => ({ dataset_id: datasetId, run, fill }));
  await inChunks(runRows, async (chunk) =>
    count(
      await trx
        .insertInto("runs")
        .values(chunk)
        .onConflict((oc) =>
          oc
            .columns(["dataset_id", "run"])
            .doUpdateSet({ fill: (eb) => eb.ref("excluded.fill") })
            .where((eb) => eb(eb.ref("excluded.fill"), "is distinct from", eb.ref("runs.fill"))),
        )
        .execute(),
    ),
  );
  await inChunks(rows, async (chunk) =>
    count(
      await trx
        .insertInto("lumisections")
        .values(
          chunk.map((r) => ({
            dataset_id: datasetId,
            run: r.run,
            lumisection: r.lumisection,
            fill: r.fill ?? null,
            delivered_lumi: r.deliveredLumi ?? null,
            recorded_lumi: r.recordedLumi ?? null,
            pileup: r.pileup ?? null,
            physics_flag: r.physicsFlag ?? null,
            beams_stable: r.beamsStable ?? null,
            cms_active: r.cmsActive ?? null,
            ready_bits: r.readyBits ? JSON.stringify(r.readyBits) : null,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(["dataset_id", "run", "lumisection"])
            .doUpdateSet((eb) =>
              Object.fromEntries(METADATA_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)])),
            )
            .where((eb) =>
              eb.or(
                METADATA_COLUMNS.map((c) =>
                  eb(eb.ref(`excluded.${c}`), "is distinct from", eb.ref(`lumisections.${c}`)),
                ),
              ),
            ),
        )
        .execute(),
    ),
  );
  return changed > 0n;
}

/**
 * Stores a certification (replacing an earlier one of the same kind and name). Returns false when the
 * very same file was loaded before, so re-running an ingest changes nothing.
 */
export async function replaceCertification(
  trx: Db,
  datasetId: number,
  cert: { kind: CertificationKind; name: string; source: string; sha256: string },
  ranges: LumiRanges,
): Promise<boolean> {
  const old = await trx
    .selectFrom("certifications")
    .select(["id", "source_sha256"])
    .where("dataset_id", "=", datasetId)
    .where("kind", "=", cert.kind)
    .where("name", "=", cert.name)
    .executeTakeFirst();
  if (old?.source_sha256 === cert.sha256) return false;
  if (old) await trx.deleteFrom("certifications").where("id", "=", old.id).execute();
  const { id } = await trx
    .insertInto("certifications")
    .values({
      dataset_id: datasetId,
      kind: cert.kind,
      name: cert.name,
      source: cert.source,
      source_sha256: cert.sha256,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const rows = [...ranges].flatMap(([run, rs]) =>
    rs.map(([first, last]) => ({ certification_id: id, run, first_ls: first, last_ls: last })),
  );
  await inChunks(rows, (chunk) => trx.insertInto("certification_ranges").values(chunk).execute());
  return true;
}

/** Certification label of a lumisection: good = golden; bad = DCS-on (or DCS unknown) but not golden. */
export type Label = api.Label;

export type LumisectionLabels = Pick<api.Lumisection, "golden" | "dcs" | "flags" | "label">;

interface CertRanges {
  kind: CertificationKind;
  name: string;
  ranges: Map<number, Array<[number, number]>>;
}

/** Looks up labels of lumisections of the given runs (all runs when `runs` is undefined). */
export class LabelIndex {
  private constructor(private readonly certs: CertRanges[]) {}

  static async load(db: Db, datasetId: number, runs?: { min: number; max: number }): Promise<LabelIndex> {
    const certs = await db
      .selectFrom("certifications")
      .select(["id", "kind", "name"])
      .where("dataset_id", "=", datasetId)
      .orderBy("id")
      .execute();
    const byId = new Map<number, CertRanges>(
      certs.map((c) => [c.id, { kind: c.kind, name: c.name, ranges: new Map() }]),
    );
    if (certs.length > 0) {
      let q = db
        .selectFrom("certification_ranges")
        .select(["certification_id", "run", "first_ls", "last_ls"])
        .where(
          "certification_id",
          "in",
          certs.map((c) => c.id),
        );
      if (runs) q = q.where("run", ">=", runs.min).where("run", "<=", runs.max);
      for (const r of await q.execute()) {
        const cert = byId.get(r.certification_id);
        if (!cert) continue;
        const list = cert.ranges.get(r.run) ?? [];
        list.push([r.first_ls, r.last_ls]);
        cert.ranges.set(r.run, list);
      }
    }
    return new LabelIndex([...byId.values()]);
  }

  get hasGolden(): boolean {
    return this.certs.some((c) => c.kind === "golden");
  }

  labels(run: number, ls: number): LumisectionLabels {
    let golden: boolean | null = null;
    let dcs: boolean | null = null;
    const flags: string[] = [];
    for (const c of this.certs) {
      const inside = (c.ranges.get(run) ?? []).some(([a, b]) => ls >= a && ls <= b);
      if (c.kind === "golden") golden = inside;
      else if (c.kind === "dcs") dcs = inside;
      else if (inside) flags.push(c.name);
    }
    let label: Label | null = null;
    if (golden === true) label = "good";
    else if (golden === false) label = dcs === false ? "dcs-off" : "bad";
    return { golden, dcs, flags, label };
  }
}

/** The OMS metadata of a lumisection, as task splits carry it. */
export interface LumisectionMeta {
  fill: number | null;
  deliveredLumi: number | null;
  recordedLumi: number | null;
  pileup: number | null;
  beamsStable: boolean | null;
}

export type RunSummary = api.RunSummary;
/** A run's counts, before the store adds which reference run applies (`Store.runs`). */
export type RunCounts = Omit<RunSummary, "referenceRun" | "isReference">;

/** Per-run lumisection counts and golden fraction, computed in SQL over the certification ranges. */
export async function runSummaries(
  db: Db,
  datasetId: number,
  filter: { runMin?: number; runMax?: number },
): Promise<RunCounts[]> {
  const certs = await db
    .selectFrom("certifications")
    .select(["id", "kind"])
    .where("dataset_id", "=", datasetId)
    .execute();
  const golden = certs.find((c) => c.kind === "golden")?.id ?? null;
  const dcs = certs.find((c) => c.kind === "dcs")?.id ?? null;
  const inside = (certId: number) =>
    sql<boolean>`exists (select 1 from certification_ranges cr
      where cr.certification_id = ${certId} and cr.run = l.run
        and l.lumisection between cr.first_ls and cr.last_ls)`;
  const goldenCount =
    golden === null ? sql<number>`0` : sql<number>`count(*) filter (where ${inside(golden)})`;
  // bad = DCS-on (or DCS unknown) and not golden
  const badCount =
    golden === null
      ? sql<number>`0`
      : dcs === null
        ? sql<number>`count(*) filter (where not ${inside(golden)})`
        : sql<number>`count(*) filter (where ${inside(dcs)} and not ${inside(golden)})`;
  let q = db
    .selectFrom("lumisections as l")
    .innerJoin("runs as r", (j) => j.onRef("r.dataset_id", "=", "l.dataset_id").onRef("r.run", "=", "l.run"))
    .select((eb) => [
      "l.run",
      "r.fill",
      eb.fn.countAll<number>().as("lumisections"),
      goldenCount.as("golden"),
      badCount.as("bad"),
    ])
    .where("l.dataset_id", "=", datasetId)
    .groupBy(["l.run", "r.fill"])
    .orderBy("l.run");
  if (filter.runMin !== undefined) q = q.where("l.run", ">=", filter.runMin);
  if (filter.runMax !== undefined) q = q.where("l.run", "<=", filter.runMax);
  const rows = await q.execute();
  return rows.map((r) => {
    const n = Number(r.lumisections);
    const g = golden === null ? null : Number(r.golden);
    const bad = g === null ? null : Number(r.bad);
    return {
      run: r.run,
      fill: r.fill,
      lumisections: n,
      golden: g,
      goldenFraction: g === null ? null : g / n,
      bad,
      labelsWithheld: false,
    };
  });
}
