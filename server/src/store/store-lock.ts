/**
 * PGlite is a single-process database: two processes opening the same folder would corrupt it. The
 * store takes this lock file (holding its pid) before opening the embedded database.
 */
import fs from "node:fs";
import path from "node:path";
import { ConflictError } from "../errors";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class StoreLock {
  private constructor(readonly file: string) {}

  static acquire(home: string): StoreLock {
    fs.mkdirSync(home, { recursive: true });
    const file = path.join(home, "db.lock");
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = fs.openSync(file, "wx", 0o600);
        fs.writeSync(fd, String(process.pid));
        fs.closeSync(fd);
        return new StoreLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const pid = Number(fs.readFileSync(file, "utf8").trim());
        if (Number.isInteger(pid) && pid > 0 && alive(pid))
          throw new ConflictError(
            `the embedded store in ${home} is in use by process ${pid}; stop it, or let the CLI talk to it through its server`,
          );
        fs.rmSync(file, { force: true }); // stale: its process is gone
      }
    }
    throw new ConflictError(`could not lock the embedded store in ${home}`);
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}
