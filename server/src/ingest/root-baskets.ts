/**
 * Native inflate for JSROOT's tree reading.
 *
 * Why by hand: JSROOT inflates zlib-compressed baskets with its own JavaScript inflate (about two thirds of
 * the time of `ingest root` on histogram maps), and offers no way to plug another one in. It does use a
 * basket it finds already in memory (`TBranch::fBaskets`, where ROOT keeps the baskets written with the
 * tree) without reading or inflating it. So before JSROOT reads a range of entries, this module reads the
 * baskets that range needs, inflates them with Node's zlib (native), and puts them there; afterwards it
 * takes them out again. A basket it cannot inflate so (another algorithm: LZ4, ZSTD, LZMA; a size that does
 * not add up) is left to JSROOT, which reads it the usual way and reports what is wrong with it.
 */
import fs from "node:fs";
import zlib from "node:zlib";

/** The JSROOT exports used here (its own types declare the modules as `any`). */
export interface JsrootIo {
  TBuffer: new (view: DataView, pos: number, file: unknown) => JsrootBuffer;
  clTBasket: string;
}
interface JsrootBuffer {
  classStreamer(obj: Record<string, unknown>, className: string): BasketHeader;
}
interface BasketHeader {
  fNbytes: number;
  fObjlen: number;
  fKeylen: number;
  fBufferRef?: JsrootBuffer;
}
/** The TBranch members this needs. */
interface Branch {
  fName: string;
  fWriteBasket: number;
  fBasketSeek: ArrayLike<number | bigint>;
  fBasketBytes: ArrayLike<number>;
  fBasketEntry: ArrayLike<number | bigint>;
  fBaskets?: { arr: unknown[] };
  fFileName?: string;
}
export interface TreeWithBranches {
  fBranches?: { arr: Branch[] };
}

const ZLIB_BLOCK_HEADER = 9;

/**
 * Runs `read` with the baskets of `branches` that hold any of `entries` (ascending) inflated in memory.
 * `fd` is the file's descriptor (JSROOT's own, so both read the same file).
 */
export async function withInflatedBaskets<T>(
  io: JsrootIo,
  file: unknown,
  fd: number | undefined,
  tree: TreeWithBranches,
  branchNames: readonly string[],
  entries: readonly number[],
  read: () => Promise<T>,
): Promise<T> {
  const placed: Array<{ branch: Branch; basket: number }> = [];
  try {
    if (typeof fd === "number")
      for (const name of branchNames) {
        const branch = tree.fBranches?.arr.find((b) => b.fName === name);
        // Baskets in another file, or a tree without the members: JSROOT reads as usual.
        if (!branch?.fBaskets || branch.fFileName) continue;
        for (const k of basketsHolding(branch, entries)) {
          if (branch.fBaskets.arr[k]) continue;
          const basket = await inflatedBasket(io, file, fd, branch, k);
          if (!basket) continue;
          branch.fBaskets.arr[k] = basket;
          placed.push({ branch, basket: k });
        }
      }
    return await read();
  } finally {
    for (const { branch, basket } of placed) branch.fBaskets!.arr[basket] = undefined;
  }
}

/** Indices of the baskets of `branch` that hold at least one of `entries` (ascending). */
function basketsHolding(branch: Branch, entries: readonly number[]): number[] {
  const out: number[] = [];
  const count = branch.fWriteBasket;
  const start = (k: number): number => Number(branch.fBasketEntry[k]);
  let k = 0;
  for (const e of entries) {
    while (k + 1 < count && start(k + 1) <= e) k++;
    if (k < count && start(k) <= e && out[out.length - 1] !== k) out.push(k);
  }
  return out;
}

async function inflatedBasket(
  io: JsrootIo,
  file: unknown,
  fd: number,
  branch: Branch,
  k: number,
): Promise<BasketHeader | undefined> {
  const bytes = branch.fBasketBytes[k];
  const raw = Buffer.alloc(bytes);
  const read = await new Promise<number>((resolve) =>
    fs.read(fd, raw, 0, bytes, Number(branch.fBasketSeek[k]), (err, n) => resolve(err ? -1 : n)),
  );
  if (read !== bytes) return undefined;
  const header = new io.TBuffer(new DataView(raw.buffer, raw.byteOffset, bytes), 0, file).classStreamer(
    {},
    io.clTBasket,
  );
  if (header.fNbytes !== bytes || !(header.fKeylen > 0 && header.fKeylen < bytes) || !(header.fObjlen >= 0))
    return undefined;
  const payload = raw.subarray(header.fKeylen);
  const data =
    header.fKeylen + header.fObjlen === bytes ? payload : inflateZlibBlocks(payload, header.fObjlen);
  if (!data) return undefined;
  // As JSROOT's own reading leaves it: the object's bytes, positions counted from the end of the key.
  header.fBufferRef = new io.TBuffer(new DataView(data.buffer, data.byteOffset, data.byteLength), 0, file);
  return header;
}

/**
 * ROOT's compressed payload: blocks of a 9-byte header ("ZL", method 8, compressed and uncompressed sizes
 * as 3-byte little-endian numbers) and a zlib stream each. Undefined when a block is not zlib, or the sizes
 * do not add up to `size`.
 */
function inflateZlibBlocks(payload: Buffer, size: number): Buffer | undefined {
  // Mostly one block (ROOT cuts at 16 MB): then the inflated block is the result, without a copy.
  const single = payload.length >= ZLIB_BLOCK_HEADER && payload.readUIntLE(6, 3) === size;
  const out = single ? undefined : Buffer.alloc(size);
  let at = 0;
  let filled = 0;
  while (filled < size) {
    if (at + ZLIB_BLOCK_HEADER > payload.length) return undefined;
    if (payload[at] !== 0x5a || payload[at + 1] !== 0x4c || payload[at + 2] !== 8) return undefined;
    const compressed = payload.readUIntLE(at + 3, 3);
    const uncompressed = payload.readUIntLE(at + 6, 3);
    const start = at + ZLIB_BLOCK_HEADER;
    if (start + compressed > payload.length || filled + uncompressed > size) return undefined;
    let block: Buffer;
    try {
      block = zlib.inflateSync(payload.subarray(start, start + compressed));
    } catch {
      return undefined;
    }
    if (block.length !== uncompressed) return undefined;
    if (!out) return block;
    block.copy(out, filled);
    filled += uncompressed;
    at = start + compressed;
  }
  return out;
}
