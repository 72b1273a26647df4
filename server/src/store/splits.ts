/**
 * The frozen task splits as files: content-addressed Arrow IPC streams beside the histogram blocks,
 * named by their sha256 (the split hash clients report back with their submissions). Written through a
 * staging folder that lives until the rows naming the files are committed; read whole (baselines) or
 * streamed unchanged (the split download route).
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import { tableFromIPC, type RecordBatch, type Table } from "apache-arrow";
import { BlockFileWriter, blockPath, makeIngestTmpDir } from "./block-files";

/** A stored split file, ready to be sent. */
export interface SplitFile {
  size: number;
  stream(): fs.ReadStream;
}

/**
 * Files being written: each `write` moves its file to its content address at once, and the staging
 * folder stays until `release()`, to be called once the rows naming the files are committed (or
 * refused). While it exists, other processes sharing the block folder count a write in flight and do
 * not delete the new files as orphans.
 */
export interface StagedFiles {
  /** Writes the batches (all of one schema) as one file and returns its sha256. */
  write(name: string, batches: readonly RecordBatch[]): Promise<string>;
  release(): Promise<void>;
}

export async function stageFiles(blocksDir: string): Promise<StagedFiles> {
  const tmp = await makeIngestTmpDir(blocksDir);
  return {
    async write(name, batches) {
      const writer = new BlockFileWriter(tmp, name, batches[0].schema);
      try {
        for (const b of batches) writer.writeBatch(b);
        return await writer.finish(blocksDir);
      } finally {
        writer.close();
      }
    },
    release: () => fsp.rm(tmp, { recursive: true, force: true }),
  };
}

export class SplitFiles {
  constructor(private readonly blocksDir: string) {}

  /** The split file of this sha256, or null when it is missing from the store. */
  open(sha256: string): SplitFile | null {
    const file = blockPath(this.blocksDir, sha256);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    return { size, stream: () => fs.createReadStream(file) };
  }

  /** The whole split file as a table. */
  read(sha256: string): Table {
    return tableFromIPC(fs.readFileSync(blockPath(this.blocksDir, sha256)));
  }

  /** A staging folder for new split files (see StagedFiles). */
  stage(): Promise<StagedFiles> {
    return stageFiles(this.blocksDir);
  }
}
