/**
 * The embedded store's lock file under concurrent take-over (issue 13, item 4): many processes finding
 * the same stale lock at once must end with exactly one holder. Children run the built module
 * (server/dist), as the CLI and the service do.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const LOCK_MODULE = path.join(__dirname, "../../dist/store/store-lock.js");

/**
 * A child that waits for the start time (epoch ms, the same for all), takes the lock, holds it a while
 * and prints "held <from> <to>" (epoch ms), or "refused".
 */
const CHILD = `
const { StoreLock } = require(${JSON.stringify(LOCK_MODULE)});
const home = process.argv[1];
const start = Number(process.argv[2]);
while (Date.now() < start) {} // all children try at the same moment
try {
  const lock = StoreLock.acquire(home);
  const from = Date.now();
  setTimeout(() => { const to = Date.now(); lock.release(); process.stdout.write("held " + from + " " + to); }, 300);
} catch (e) {
  process.stdout.write(e.name === "ConflictError" ? "refused" : "error: " + e.message);
}
`;

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

function run(home: string, startAt = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", CHILD, home, String(startAt)]);
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", () => resolve(out));
  });
}

beforeAll(() => {
  if (!fs.existsSync(LOCK_MODULE)) throw new Error(`${LOCK_MODULE} is missing: build first (npm run build)`);
});

/** Whether two of the [from, to] holding times overlap. */
function overlapping(held: Array<[number, number]>): boolean {
  const sorted = [...held].sort((a, b) => a[0] - b[0]);
  return sorted.some((h, i) => i > 0 && h[0] < sorted[i - 1][1]);
}

test("eight processes on one stale lock: never two holders at once, every round", async () => {
  for (let round = 0; round < 8; round++) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-lock-"));
    fs.writeFileSync(path.join(home, "db.lock"), String(deadPid()));
    const startAt = Date.now() + 1500; // after every child has started
    const results = await Promise.all(Array.from({ length: 8 }, () => run(home, startAt)));
    expect(results.filter((r) => !/^held \d+ \d+$/.test(r) && r !== "refused")).toEqual([]);
    const held = results
      .filter((r) => r.startsWith("held"))
      .map((r) => r.split(" ").slice(1).map(Number) as [number, number]);
    expect(held.length).toBeGreaterThanOrEqual(1);
    expect(overlapping(held)).toBe(false);
    // Released: the next taker gets it at once.
    expect(await run(home)).toMatch(/^held /);
    fs.rmSync(home, { recursive: true, force: true });
  }
}, 120_000);

test("the overlap check sees an overlap", () => {
  expect(
    overlapping([
      [0, 10],
      [5, 20],
    ]),
  ).toBe(true);
  expect(
    overlapping([
      [0, 10],
      [10, 20],
    ]),
  ).toBe(false);
});

test("a live holder is refused with its pid; a stale lock is taken over", async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-lock-"));
  fs.writeFileSync(path.join(home, "db.lock"), String(process.pid));
  expect(await run(home)).toBe("refused");
  fs.writeFileSync(path.join(home, "db.lock"), String(deadPid()));
  expect(await run(home)).toMatch(/^held /);
  fs.rmSync(home, { recursive: true, force: true });
});
