/**
 * PGlite is a single-process database: two processes opening the same folder would corrupt it. The
 * store takes this lock file (holding its pid) before opening the embedded database.
 *
 * Creating the lock is atomic (a hard link, with the pid already written). Taking over a stale one (its process is gone) is
 * not by itself: two processes that both read the dead pid would both remove the file, and the second
 * removal could hit the first one's fresh lock. So a take-over happens only while holding a guard
 * (`mkdir`, atomic), and re-reads the lock inside it: the file removed is always the stale one.
 * Written by hand because Node has no OS file lock and the lock libraries judge staleness by age, not by
 * the holder's pid, which is what tells here that a crashed CLI or service left the lock behind.
 */
import fs from "node:fs";
import path from "node:path";
import { ConflictError } from "../errors";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, privateFolder } from "./block-files";

/** A guard older than this was left by a process that died during a take-over (which takes microseconds). */
const GUARD_STALE_MS = 10_000;
/** How long acquire waits for a take-over by another process before giving up. */
const ACQUIRE_TIMEOUT_MS = 5_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The pid in the lock file; undefined when the file is gone; NaN when it holds no pid (not ours). */
function holder(file: string): number | undefined {
  try {
    return Number(fs.readFileSync(file, "utf8").trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

export class StoreLock {
  private constructor(readonly file: string) {}

  static acquire(home: string): StoreLock {
    // The home and the database folder are private (0700); PGlite's own files below keep the modes it
    // gives them (0644), out of other users' reach. Set on every open: this fixes an older home too.
    privateFolder(home);
    privateFolder(path.join(home, "db"));
    const file = path.join(home, "db.lock");
    const guard = `${file}.takeover`;
    const inUse = (pid: number) =>
      new ConflictError(
        `the embedded store in ${home} is in use by process ${pid}; stop it, or let the CLI talk to it through its server`,
      );
    const deadline = Date.now() + ACQUIRE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      // The lock appears with its pid already in it (a hard link of a written file: atomic, and it fails
      // when the lock exists), so no reader ever sees an empty lock and takes it for a stale one.
      const mine = `${file}.${process.pid}`;
      fs.writeFileSync(mine, String(process.pid), { mode: PRIVATE_FILE_MODE });
      try {
        fs.linkSync(mine, file);
        return new StoreLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      } finally {
        fs.rmSync(mine, { force: true });
      }
      const pid = holder(file);
      if (pid === undefined) continue; // released meanwhile: try again
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw inUse(pid);
      // Stale (its process is gone, or the file holds no pid): take it over under the guard.
      try {
        fs.mkdirSync(guard, { mode: PRIVATE_DIR_MODE });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const age = Date.now() - (fs.statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age > GUARD_STALE_MS) fs.rmSync(guard, { recursive: true, force: true });
        else sleepSync(10);
        continue;
      }
      try {
        const again = holder(file);
        if (again !== undefined && Number.isInteger(again) && again > 0 && alive(again)) throw inUse(again);
        fs.rmSync(file, { force: true });
      } finally {
        fs.rmSync(guard, { recursive: true, force: true });
      }
    }
    throw new ConflictError(
      `could not lock the embedded store in ${home}: another process kept taking it over`,
    );
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}
