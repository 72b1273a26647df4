/**
 * Creates the demo data set in a store: simulated histograms (one atomic ingest), OMS-style metadata,
 * then the real DCS-only and golden certification. Each step is idempotent, and the data set counts
 * as complete only once its last step (golden) is stored, so an interrupted `demo` simply resumes.
 */
import crypto from "node:crypto";
import type { Store } from "../store/store";
import { generateDemo } from "./generate";

export const DEMO_SIZES = ["small", "full"] as const;
export type DemoSize = (typeof DEMO_SIZES)[number];
export const DEFAULT_DEMO_SEED = 2018;

export function demoDatasetName(size: DemoSize): string {
  return size === "full" ? "demo-2018" : "demo-2018-small";
}

export interface DemoResult {
  dataset: string;
  created: boolean;
  lumisections: number;
  monitorElements: number;
}

export async function createDemo(
  store: Store,
  opts: { size: DemoSize; seed?: number },
  onProgress?: (done: number, total: number) => void,
): Promise<DemoResult> {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const demo = generateDemo({ size: opts.size, seed });
  const name = demoDatasetName(opts.size);
  const info = { name, era: demo.era, primaryDataset: demo.primaryDataset, description: demo.description };
  const summary = { dataset: name, lumisections: demo.count, monitorElements: demo.monitorElements.length };
  if (await store.hasDataset(name)) {
    const complete = await store.db
      .selectFrom("certifications")
      .innerJoin("datasets", "datasets.id", "certifications.dataset_id")
      .select("certifications.id")
      .where("datasets.name", "=", name)
      .where("certifications.kind", "=", "golden")
      .executeTakeFirst();
    if (complete) return { ...summary, created: false };
  }
  // The generator is deterministic, so (size, seed, generator version) identifies its output.
  const identity = (what: string) =>
    crypto.createHash("sha256").update(`demo:${demo.version}:${opts.size}:${seed}:${what}`).digest("hex");
  const total = demo.count * demo.monitorElements.length;
  await store.ingestHistograms(
    info,
    { format: "demo", source: `demo ${opts.size} seed ${seed}`, sha256: identity("histograms") },
    demo.records(),
    (n) => onProgress?.(n, total),
  );
  await store.ingestMetadata(info, Array.from(demo.metadata()));
  await store.ingestCertification(
    info,
    { kind: "dcs", name: "dcs", source: "json_DCSONLY_2018.txt", sha256: identity("dcs") },
    demo.dcs,
  );
  await store.ingestCertification(
    info,
    { kind: "golden", name: "golden", source: "json_GOLDEN_2018.txt", sha256: identity("golden") },
    demo.golden,
  );
  return { ...summary, created: true };
}
