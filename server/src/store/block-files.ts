/**
 * Immutable, content-addressed Arrow IPC stream files holding histogram record batches.
 *
 * A file is a valid Arrow stream (schema message, batch messages, end-of-stream marker) named by the
 * sha256 of its bytes. The database indexes each batch by its byte range, so a response can be built
 * by sending a schema message followed by the stored batch messages as they are on disk: no decoding,
 * no copying through SQL. Files are written under `tmp/` and renamed into place when complete.
 *
 * Everything here is private to the owner of the process: folders are created 0700 and files 0600
 * (histograms, task splits and submitted scores alike; see docs/architecture.md, "The home folder").
 */
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { RecordBatch, Schema, Table, tableFromIPC, tableToIPC } from "apache-arrow";

/** The 8-byte end-of-stream marker of the Arrow IPC stream format (continuation token, length 0). */
export const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/** The encoded schema message of a stream (without end-of-stream marker). */
export function schemaMessage(schema: Schema): Uint8Array {
  const bytes = tableToIPC(new Table(schema), "stream");
  return bytes.subarray(0, bytes.length - END_OF_STREAM.length);
}

/** The encoded record batch message alone, as it appears inside a stream. */
export function batchMessage(batch: RecordBatch): Uint8Array {
  const head = schemaMessage(batch.schema).length;
  const bytes = tableToIPC(new Table([batch]), "stream");
  return bytes.subarray(head, bytes.length - END_OF_STREAM.length);
}

/** The mode of every folder the store creates in the home and the block store: the owner's alone. */
export const PRIVATE_DIR_MODE = 0o700;
/** The mode of every file the store writes there. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes `dir` a private folder: creates it (and missing parents) with mode 0700, or sets an existing
 * one to 0700 when it is more open. One chmod of the folder, never of its contents: what lies below a
 * 0700 folder is out of other users' reach whatever its own mode, so existing stores are fixed cheaply.
 * A folder owned by another user (a shared block store set up by an administrator) is left as it is.
 */
export function privateFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const stat = fs.statSync(dir);
  if ((stat.mode & 0o777) === PRIVATE_DIR_MODE) return;
  if (process.getuid && stat.uid !== process.getuid()) return;
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

export function blockPath(blocksDir: string, sha256: string): string {
  return path.join(blocksDir, sha256.slice(0, 2), `${sha256}.arrow`);
}

export interface BatchRange {
  offset: number;
  length: number;
}

/** Appends record batches to a new block file in a temporary folder; `finish` names it by content. */
export class BlockFileWriter {
  private readonly hash = crypto.createHash("sha256");
  private readonly fd: number;
  /** Set once the descriptor is closed: its number may then belong to another file (PGlite's WAL). */
  private closed = false;
  private position = 0;
  readonly tmpPath: string;

  constructor(tmpDir: string, name: string, schema: Schema) {
    this.tmpPath = path.join(tmpDir, name);
    this.fd = fs.openSync(this.tmpPath, "w", PRIVATE_FILE_MODE);
    this.append(schemaMessage(schema));
  }

  /** Writes one batch and returns where its message lies in the file. */
  writeBatch(batch: RecordBatch): BatchRange {
    const message = batchMessage(batch);
    const offset = this.position;
    this.append(message);
    return { offset, length: message.length };
  }

  private append(bytes: Uint8Array): void {
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written, bytes.length - written);
    this.hash.update(bytes);
    this.position += bytes.length;
  }

  /** Closes the file, moves it to its content address and returns its sha256. */
  async finish(blocksDir: string): Promise<string> {
    this.append(END_OF_STREAM);
    fs.fsyncSync(this.fd);
    this.closed = true;
    fs.closeSync(this.fd);
    const sha256 = this.hash.digest("hex");
    const target = blockPath(blocksDir, sha256);
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
    if (fs.existsSync(target)) await fsp.rm(this.tmpPath);
    else await fsp.rename(this.tmpPath, target);
    return sha256;
  }

  /**
   * Closes the file if finish() has not. Never closes a descriptor twice: after the first close the
   * number can be reused by any file this process opens, which a second close would take away.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fs.closeSync(this.fd);
    } catch {
      // called on the way out of a failure: that error is the one to report
    }
  }
}

/** Reads one stored batch message and decodes it with the given schema. */
export async function readBatch(
  blocksDir: string,
  file: string,
  range: BatchRange,
  schema: Schema,
): Promise<RecordBatch> {
  const handle = await fsp.open(blockPath(blocksDir, file), "r");
  try {
    const head = schemaMessage(schema);
    const buffer = new Uint8Array(head.length + range.length + END_OF_STREAM.length);
    buffer.set(head, 0);
    const { bytesRead } = await handle.read(buffer, head.length, range.length, range.offset);
    if (bytesRead !== range.length)
      throw new Error(`block file ${file} is truncated at byte ${range.offset + bytesRead}`);
    buffer.set(END_OF_STREAM, head.length + range.length);
    const batches = tableFromIPC(buffer).batches;
    if (batches.length !== 1)
      throw new Error(`block file ${file} at ${range.offset} does not hold one batch`);
    return batches[0];
  } finally {
    await handle.close();
  }
}

/** Streams the raw bytes of a stored batch message (for responses that send batches unchanged). */
export function streamBatchBytes(blocksDir: string, file: string, range: BatchRange): fs.ReadStream {
  return fs.createReadStream(blockPath(blocksDir, file), {
    start: range.offset,
    end: range.offset + range.length - 1,
  });
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

/** A private temporary folder for one ingest: `<blocks>/tmp/<host>-<pid>-<random>`. */
export async function makeIngestTmpDir(blocksDir: string): Promise<string> {
  const dir = path.join(
    blocksDir,
    "tmp",
    `${os.hostname()}-${process.pid}-${crypto.randomBytes(4).toString("hex")}`,
  );
  await fsp.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  return dir;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes what killed or failed ingests left behind: temporary folders of dead processes on this host
 * and, when no ingest is in flight anywhere, block files that no index row references (an ingest
 * renames its files into place just before its transaction commits). Runs when the store opens, so it
 * also makes the block folder and its `tmp/` private (privateFolder: a store written before files were
 * private is fixed by these two chmods, not by a walk over its files).
 */
export async function removeOrphans(
  blocksDir: string,
  referenced: Set<string>,
): Promise<{ tmpDirs: number; files: number }> {
  const tmpRoot = path.join(blocksDir, "tmp");
  privateFolder(blocksDir);
  if (fs.existsSync(tmpRoot)) privateFolder(tmpRoot);
  let tmpDirs = 0;
  let inFlight = 0;
  for (const name of await listDir(tmpRoot)) {
    // The host name may itself contain dashes: the pid and the random part are the last two fields.
    const parts = name.split("-");
    const pid = Number(parts[parts.length - 2]);
    const host = parts.slice(0, -2).join("-");
    if (host === os.hostname() && Number.isInteger(pid) && !processAlive(pid)) {
      await fsp.rm(path.join(tmpRoot, name), { recursive: true, force: true });
      tmpDirs++;
    } else {
      inFlight++;
    }
  }
  let files = 0;
  if (inFlight > 0) return { tmpDirs, files };
  for (const prefix of await listDir(blocksDir)) {
    if (prefix === "tmp" || prefix.length !== 2) continue;
    for (const name of await listDir(path.join(blocksDir, prefix))) {
      const sha = name.replace(/\.arrow$/, "");
      if (!referenced.has(sha)) {
        await fsp.rm(path.join(blocksDir, prefix, name), { force: true });
        files++;
      }
    }
  }
  return { tmpDirs, files };
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}
