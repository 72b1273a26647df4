/** What the non-histogram ingest formats are turned into before they are stored. */

/** The formats `ingest` reads (kept here, free of the readers, so the CLI lists them without loading them). */
export const INGEST_FORMATS = ["csv", "parquet", "json", "root", "golden", "dcs", "oms", "flags"] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

/** Inclusive lumisection ranges per run, as in CMS golden / DCS-only JSON: `{"run": [[first, last], ...]}`. */
export type LumiRanges = Map<number, Array<[number, number]>>;

/** Which certification a set of ranges is. `flag` ranges list lumisections a subsystem group flagged bad. */
export type CertificationKind = "golden" | "dcs" | "flag";

/** Per-lumisection run conditions from OMS. Every field but run and lumisection may be unknown. */
export interface LumisectionMetadata {
  run: number;
  lumisection: number;
  fill?: number | null;
  deliveredLumi?: number | null;
  recordedLumi?: number | null;
  pileup?: number | null;
  physicsFlag?: boolean | null;
  beamsStable?: boolean | null;
  cmsActive?: boolean | null;
  /** Further boolean ready bits (for example ECAL `ebm_ready`), by name. */
  readyBits?: Record<string, boolean>;
}
