/**
 * The benchmark's other processes: store jobs (job.ts), the playground server (`serve`), the load
 * generator (autocannon) and the Python references (pandas_reference.py, pyroot_reference.py). Each is a separate process, so
 * what it measures is not disturbed by the parent's heap, and the load generator does not share an
 * event loop with the server it loads.
 */
import { readToken } from "@dqm-playground/api-types/discovery";
import { fork, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import type { JobMessage } from "./job";
import type { JobName, JobParams, JobResult } from "./jobs";

/** Runs a store job in a child process; resolves to its result and the child's peak RSS. */
export async function runJob<N extends JobName>(
  name: N,
  params: JobParams<N>,
): Promise<JobResult<N> & { maxRssBytes: number }> {
  const child = fork(path.join(__dirname, "job.js"), [name, JSON.stringify(params)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let message: JobMessage | undefined;
  child.on("message", (m) => (message = m as JobMessage));
  const [code] = (await once(child, "exit")) as [number | null];
  if (!message) throw new Error(`bench job ${name} exited (code ${code}) without a result`);
  if (!message.ok) throw new Error(`bench job ${name} failed: ${message.error}`);
  return { ...(message.result as JobResult<N>), maxRssBytes: message.maxRssBytes };
}

/** Runs a command to completion; rejects with its stderr on a non-zero exit. */
export async function runCommand(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: opts.env ?? process.env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0)
    throw new Error(
      `${path.basename(command)} ${args.slice(0, 2).join(" ")} exited with ${code}: ${stderr.trim()}`,
    );
  return { stdout, stderr };
}

/** A reference script (pandas_reference.py, or pyroot_reference.py for ROOT); it prints one JSON object. */
export async function runPython<T>(
  python: string,
  args: string[],
  script: "pandas_reference.py" | "pyroot_reference.py" = "pandas_reference.py",
): Promise<T> {
  const file = path.resolve(__dirname, "../../src/bench", script);
  // PyROOT warns on import that its PyPI build is an alpha; the warning is not a failure.
  const env = { ...process.env, PYTHONWARNINGS: "ignore::UserWarning" };
  const { stdout } = await runCommand(python, [file, ...args], { env });
  return JSON.parse(stdout) as T;
}

export interface ServerProcess {
  url: string;
  token: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `dqm-playground serve` on a free loopback port in a child process, on the given home. */
export async function startServer(home: string): Promise<ServerProcess> {
  const cli = path.join(__dirname, "../cli/main.js");
  const env = { ...process.env, DQM_PLAYGROUND_HOME: home, DATABASE_URL: "", DQM_PLAYGROUND_BLOCKS: "" };
  const child: ChildProcess = spawn(process.execPath, [cli, "serve", "--port", "0", "--quiet"], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = / at (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout!.off("data", onData);
        resolve(m[1]);
      } else if (/already running/.test(out))
        reject(new Error(`another server runs on ${home}: ${out.trim()}`));
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`serve exited with ${code} before listening: ${out.trim()}`)),
    );
  });
  child.stdout!.resume();
  const token = readToken(home);
  if (token === null) throw new Error(`no token in ${home}`);
  return {
    url,
    token,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface AutocannonJson {
  connections: number;
  duration: number;
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** autocannon in its own process against one URL with the bearer token; `--json` result parsed. */
export async function loadTest(
  url: string,
  token: string,
  opts: { connections: number; duration: number },
): Promise<LoadResult> {
  const autocannon = require.resolve("autocannon/autocannon.js");
  const { stdout } = await runCommand(process.execPath, [
    autocannon,
    "--json",
    "-c",
    String(opts.connections),
    "-d",
    String(opts.duration),
    "-H",
    `authorization=Bearer ${token}`,
    url,
  ]);
  const r = JSON.parse(stdout) as AutocannonJson;
  return {
    connections: r.connections,
    durationSeconds: r.duration,
    requests: r.requests.total,
    requestsPerSecond: r.requests.total / r.duration,
    latencyMs: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      mean: r.latency.average,
    },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}
