/**
 * The native inflate under `ingest root` (src/ingest/root-baskets.ts): it puts the inflated baskets where
 * JSROOT looks for baskets in memory only while a read runs, and leaves what is not zlib to JSROOT.
 * (That the records read through it are exact is root.test.ts's "many baskets" test.)
 */
import path from "node:path";
import { withInflatedBaskets, type JsrootIo, type TreeWithBranches } from "../../src/ingest/root-baskets";

const fixture = (name: string): string => path.join(__dirname, "../fixtures/root", name);

interface ValueBranch {
  fName: string;
  fWriteBasket: number;
  fBaskets: { arr: unknown[] };
}
interface Opened {
  fd: number;
  readObject(name: string): Promise<{ fBranches: { arr: ValueBranch[] } }>;
}

async function open(name: string) {
  const jsroot = (await import("jsroot")) as unknown as { openFile(f: string): Promise<Opened> };
  const io = (await import("jsroot/io")) as unknown as JsrootIo;
  const file = await jsroot.openFile(fixture(name));
  const tree = await file.readObject("TH2Fs");
  const value = tree.fBranches.arr.find((b) => b.fName === "Value")!;
  const inMemory = () => value.fBaskets.arr.filter(Boolean).length;
  return { io, file, tree: tree as unknown as TreeWithBranches, value, inMemory };
}

const ALL = Array.from({ length: 90 }, (_, i) => i);

test("zlib baskets are in memory while the read runs, and only then", async () => {
  const { io, file, tree, value, inMemory } = await open("baskets-zlib.root");
  expect(value.fWriteBasket).toBeGreaterThan(5);
  const before = inMemory();
  const during = await withInflatedBaskets(io, file, file.fd, tree, ["Value"], ALL, async () => inMemory());
  expect(during - before).toBe(value.fWriteBasket);
  expect(inMemory()).toBe(before);
  // Only the baskets holding the entries asked for.
  const some = await withInflatedBaskets(io, file, file.fd, tree, ["Value"], [0, 1], async () => inMemory());
  expect(some - before).toBe(1);
});

test("the baskets are taken out again when the read fails", async () => {
  const { io, file, tree, inMemory } = await open("baskets-zlib.root");
  const before = inMemory();
  await expect(
    withInflatedBaskets(io, file, file.fd, tree, ["Value"], ALL, async () => {
      throw new Error("read failed");
    }),
  ).rejects.toThrow("read failed");
  expect(inMemory()).toBe(before);
});

test("LZ4 baskets are left to JSROOT", async () => {
  const { io, file, tree, value, inMemory } = await open("baskets-lz4.root");
  expect(value.fWriteBasket).toBeGreaterThan(5);
  const before = inMemory();
  expect(await withInflatedBaskets(io, file, file.fd, tree, ["Value"], ALL, async () => inMemory())).toBe(
    before,
  );
});
