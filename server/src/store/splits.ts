/**
 * The frozen task splits as files: content-addressed Arrow IPC streams beside the histogram blocks,
 * named by their sha256 (the split hash clients report back with their submissions). Written through a
 * staging folder that lives until the rows naming the files are committed; read whole (baselines) or
 * streamed unchanged (the split download route).
 */
import fs from "node:fs";
import { tableFromIPC, type Table } from "apache-arrow";
import { blockPath, stageFiles, type StagedFiles } from "./block-files";

/** A stored split file, ready to be sent. */
export interface SplitFile {
  size: number;
  stream(): fs.ReadStream;
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
