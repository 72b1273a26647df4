/**
 * Running the built CLI (`server/dist/cli/main.js`) in child processes against temporary homes. The
 * embedded PGlite database cannot be opened file-backed inside jest's sandbox, so tests of the CLI and
 * of `serve` drive real processes, and look into a home's store through a child process too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const SERVER_DIR = path.resolve(__dirname, "../..");
export const CLI = path.join(SERVER_DIR, "dist/cli/main.js");
export const CMS_DATA = path.join(SERVER_DIR, "data/cms");

export function requireBuiltCli(): void {
  if (!fs.existsSync(CLI))
    throw new Error(`${CLI} is missing: build first (npm run build at the repository root)`);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a child: this process's, minus jest's node options and any playground settings. */
export function childEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DQM_PLAYGROUND_HOME: home, ...extra };
  delete env.NODE_OPTIONS;
  if (!("DATABASE_URL" in extra)) delete env.DATABASE_URL;
  if (!("DQM_PLAYGROUND_BLOCKS" in extra)) delete env.DQM_PLAYGROUND_BLOCKS;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

export interface CliOptions {
  home: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

/** Starts `dqm-playground ARGS` and returns the child (its output is collected by the caller). */
export function startCli(args: string[], opts: CliOptions): ChildProcess {
  requireBuiltCli();
  return spawn(process.execPath, [CLI, ...args], {
    env: childEnv(opts.home, opts.env),
    cwd: opts.cwd ?? opts.home,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Waits for a child to exit, collecting its output; kills it after `timeoutMs`. */
export function finished(child: ChildProcess, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`child ${child.pid} ran longer than ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `dqm-playground ARGS` to completion. */
export function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  return finished(startCli(args, opts), opts.timeoutMs);
}

/** Runs a command that must succeed and returns its stdout (its stderr in the error otherwise). */
export async function cliOk(args: string[], opts: CliOptions): Promise<string> {
  const r = await runCli(args, opts);
  if (r.code !== 0)
    throw new Error(
      `dqm-playground ${args.join(" ")} exited with ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
    );
  return r.stdout;
}

/** Runs a command with --json and parses its output. */
export async function cliJson<T>(args: string[], opts: CliOptions): Promise<T> {
  return JSON.parse(await cliOk([...args, "--json"], opts)) as T;
}

/** A new empty temporary folder. */
export function tempDir(prefix = "dqm-cli-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function waitFor<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface ServerChild {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM and wait for the exit. */
  stop(): Promise<CliResult>;
}

/** Starts `serve --port 0 --quiet` on a home and waits until its server.json names it. */
export async function startServer(opts: CliOptions): Promise<ServerChild> {
  const child = startCli(["serve", "--port", "0", "--quiet"], opts);
  const done = finished(child, 10 * 60_000);
  let exited: CliResult | null = null;
  void done.then((r) => (exited = r)).catch(() => undefined);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: string) => (stdout += d));
  child.stderr?.on("data", (d: string) => (stderr += d));
  const file = path.join(opts.home, "server.json");
  const info = await waitFor("server.json of the started server", () => {
    if (exited)
      throw new Error(`serve exited with ${exited.code ?? exited.signal}: ${exited.stderr || exited.stdout}`);
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { url: string; pid: number };
      return parsed.pid === child.pid ? parsed : null;
    } catch {
      return null;
    }
  });
  return {
    url: info.url,
    pid: info.pid,
    child,
    output: () => ({ stdout, stderr }),
    stop: async () => {
      if (!exited) child.kill("SIGTERM");
      return done;
    },
  };
}

/**
 * Runs `body` (the body of an async function of `store`, returning something JSON-able) in a child
 * process that opens the home's store, and returns its result. For looking into a file-backed store.
 */
export async function queryStore<T>(
  home: string,
  body: string,
  env: Record<string, string> = {},
): Promise<T> {
  requireBuiltCli();
  const script = `
    const { Store } = require(${JSON.stringify(path.join(SERVER_DIR, "dist/store/store.js"))});
    const { resolveConfig } = require(${JSON.stringify(path.join(SERVER_DIR, "dist/config.js"))});
    const { storeInternals } = require(${JSON.stringify(path.join(SERVER_DIR, "dist/store/testing.js"))});
    (async () => {
      // The test-only door (src/store/testing.ts): scripts may use store.db and store.blocksDir.
      const opened = await Store.open(resolveConfig());
      const { db, blocksDir } = storeInternals(opened);
      const store = Object.defineProperties(opened, { db: { value: db }, blocksDir: { value: blocksDir } });
      try {
        const result = await (async (store) => { ${body} })(store);
        process.stdout.write(JSON.stringify(result));
      } finally {
        await store.close();
      }
    })().catch((err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); });
  `;
  const child = spawn(process.execPath, ["-e", script], {
    env: childEnv(home, env),
    cwd: SERVER_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const r = await finished(child);
  if (r.code !== 0) throw new Error(`store query failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Every block file under a blocks folder, by sha256 (without the tmp folder). */
export function blockFiles(blocksDir: string): string[] {
  if (!fs.existsSync(blocksDir)) return [];
  const out: string[] = [];
  for (const prefix of fs.readdirSync(blocksDir)) {
    if (prefix === "tmp") continue;
    const dir = path.join(blocksDir, prefix);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir)) out.push(name.replace(/\.arrow$/, ""));
  }
  return out.sort();
}

/**
 * Script lines for queryStore that collect, in the Set `files`, the block files a store's index refers
 * to (histogram blocks, task splits, submitted scores).
 */
export const COLLECT_REFERENCED_FILES = `
    const files = new Set();
    for (const r of await store.db.selectFrom("histogram_blocks").select(["file", "flow_file"]).execute()) {
      files.add(r.file);
      if (r.flow_file) files.add(r.flow_file);
    }
    for (const r of await store.db.selectFrom("tasks").select(["train_sha256", "test_sha256"]).execute()) {
      files.add(r.train_sha256);
      files.add(r.test_sha256);
    }
    for (const r of await store.db.selectFrom("submissions").select("scores_file").execute())
      if (r.scores_file) files.add(r.scores_file);
`;

/** The block files a store's index refers to (histogram blocks, task splits, submitted scores). */
export function referencedBlockFiles(home: string): Promise<string[]> {
  return queryStore<string[]>(
    home,
    `
    ${COLLECT_REFERENCED_FILES}
    return [...files].sort();
  `,
  );
}

/** A legacy ML4DQM CSV row: `histo` holds the bins with under/overflow. */
export function legacyCsvRow(
  run: number,
  ls: number,
  hname: string,
  metype: number,
  histo: number[],
  x: { bins: number; min: number; max: number },
  y: { bins: number; min: number; max: number } = { bins: 1, min: 0, max: 1 },
): string {
  const entries = histo.reduce((a, b) => a + b, 0);
  return `${run},${ls},${hname},${metype},"[${histo.join(", ")}]",${entries},${x.max},${x.min},${x.bins},${y.max},${y.min},${y.bins}`;
}

export const LEGACY_CSV_HEADER =
  "fromrun,fromlumi,hname,metype,histo,entries,Xmax,Xmin,Xbins,Ymax,Ymin,Ybins";
