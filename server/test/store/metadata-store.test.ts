/** OMS metadata per lumisection: upserted, and reported as unchanged when every value is already stored. */
import { freshStoreEachTest, testEngines } from "../helpers/stores";
import type { TestStore as Store } from "../helpers/stores";
import type { LumisectionMetadata } from "../../src/ingest/types";

describe.each(testEngines())("lumisection metadata on %s", (engine) => {
  const storeOf = freshStoreEachTest(engine);
  let store: Store;
  beforeEach(() => {
    store = storeOf();
  });

  const ds = { name: "oms" };
  const rows = (pileup: number | null, bits?: Record<string, boolean>): LumisectionMetadata[] => [
    { run: 300, lumisection: 1, fill: 7000, pileup: 30, beamsStable: true },
    { run: 300, lumisection: 2, fill: 7000, pileup, beamsStable: true, readyBits: bits },
  ];
  const stored = async () =>
    store.db
      .selectFrom("lumisections")
      .select(["lumisection", "pileup", "ready_bits"])
      .orderBy("lumisection")
      .execute();

  it("says whether anything changed: new rows, the same rows, one changed value, null and ready bits", async () => {
    expect(await store.ingestMetadata(ds, rows(31))).toBe(true);
    expect(await store.ingestMetadata(ds, rows(31))).toBe(false);
    expect(await store.ingestMetadata(ds, rows(32))).toBe(true);
    expect((await stored()).map((r) => r.pileup)).toEqual([30, 32]);
    expect(await store.ingestMetadata(ds, rows(null))).toBe(true);
    expect(await store.ingestMetadata(ds, rows(null))).toBe(false);
    expect(await store.ingestMetadata(ds, rows(null, { ebm_ready: true }))).toBe(true);
    expect(await store.ingestMetadata(ds, rows(null, { ebm_ready: true }))).toBe(false);
    expect(await stored()).toEqual([
      { lumisection: 1, pileup: 30, ready_bits: null },
      { lumisection: 2, pileup: null, ready_bits: '{"ebm_ready":true}' },
    ]);
  });

  it("a new run's fill alone is a change", async () => {
    expect(await store.ingestMetadata(ds, rows(31))).toBe(true);
    const otherFill = rows(31).map((r) => ({ ...r, fill: 7001 }));
    expect(await store.ingestMetadata(ds, otherFill)).toBe(true);
    const run = await store.db
      .selectFrom("runs")
      .select("fill")
      .where("run", "=", 300)
      .executeTakeFirstOrThrow();
    expect(run.fill).toBe(7001);
  });
});
