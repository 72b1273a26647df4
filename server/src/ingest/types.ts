/** What the non-histogram ingest formats are turned into before they are stored. */

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
