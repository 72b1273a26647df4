/**
 * Finding the playground service: an explicit URL, else $DQM_PLAYGROUND_URL, else the shared service
 * the home's login.json names (`dqm-playground login URL`, with the user's token), else the server that
 * `server.json` in the home ($DQM_PLAYGROUND_HOME, default ~/.dqm-playground) names when it is alive
 * and answers, else a new `dqm-playground serve --port 0` started in the background on that home.
 * The token: explicit, else $DQM_PLAYGROUND_TOKEN, else the home's `token` file (the local admin).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DISCOVERY } from "@dqm-playground/api-types/wire";
import {
  findRunningServer,
  playgroundHome,
  probeHealth,
  readLogin,
  readToken,
} from "@dqm-playground/api-types/discovery";
import { Http } from "./http";
import type { Health } from "./types";

export interface ConnectOptions {
  /** Service root URL, e.g. http://127.0.0.1:8750. */
  url?: string;
  token?: string;
  /** Playground home; default $DQM_PLAYGROUND_HOME or ~/.dqm-playground. */
  home?: string;
  /** Start a local server when none runs; default true. */
  start?: boolean;
  /** The `dqm-playground` CLI script to start it with (default: $DQM_PLAYGROUND_CLI, the installed @dqm-playground/server, or `dqm-playground` on the PATH). */
  cli?: string;
  /** How long to wait for a started server (ms); default 60000. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface Connection {
  http: Http;
  url: string;
  home: string;
  health: Health;
  /** How the service was found: "option", "env", "login" (login.json), "server.json" or "started". */
  via: "option" | "env" | "login" | "server.json" | "started";
  /** The pid of the server this call started, else null. */
  startedPid: number | null;
}

/** The playground home: `home`, else $DQM_PLAYGROUND_HOME, else ~/.dqm-playground (the wire contract's rule). */
export function resolveHome(opts: Pick<ConnectOptions, "home" | "env"> = {}): string {
  return playgroundHome(opts.env ?? process.env, opts.home);
}

/** GET /health; null unless a playground service answers. */
export function probe(url: string, timeoutMs = 3000): Promise<Health | null> {
  return probeHealth(url, timeoutMs);
}

/** The live server named by the home's server.json, if any. */
export async function runningServer(
  home: string,
): Promise<{ url: string; pid: number; health: Health } | null> {
  const found = await findRunningServer(home);
  return found ? { url: found.info.url, pid: found.info.pid, health: found.health } : null;
}

/** How to run the CLI: [command, ...args before "serve"]. */
export function cliCommand(opts: Pick<ConnectOptions, "cli" | "env"> = {}): string[] {
  const env = opts.env ?? process.env;
  const script = opts.cli ?? env.DQM_PLAYGROUND_CLI;
  if (script) return [process.execPath, script];
  try {
    const pkgFile = require.resolve("@dqm-playground/server/package.json");
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { bin?: Record<string, string> | string };
    const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.["dqm-playground"];
    if (bin) return [process.execPath, path.join(path.dirname(pkgFile), bin)];
  } catch {
    // not installed next to this library
  }
  return ["dqm-playground"];
}

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-5).join("\n");
  } catch {
    return "";
  }
}

/** Starts `serve --port 0 --quiet` detached on `home` (it outlives this process) and waits for it. */
export async function startServer(
  home: string,
  opts: Pick<ConnectOptions, "cli" | "env" | "timeoutMs"> = {},
): Promise<{ url: string; pid: number; health: Health }> {
  fs.mkdirSync(home, { recursive: true });
  const log = path.join(home, "serve.log");
  const fd = fs.openSync(log, "a");
  const [command, ...args] = cliCommand(opts);
  const child = spawn(command, [...args, "serve", "--port", "0", "--quiet"], {
    detached: true,
    stdio: ["ignore", fd, fd],
    env: { ...(opts.env ?? process.env), [DISCOVERY.homeEnv]: home },
  });
  fs.closeSync(fd);
  let exited: string | null = null;
  child.once("exit", (code, signal) => (exited = `exited with ${code ?? signal}`));
  child.once("error", (err) => (exited = `could not start ${command}: ${err.message}`));
  child.unref();
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    // serve reuses a server that started meanwhile; either way server.json names the live one.
    const running = await runningServer(home);
    if (running) return running;
    if (exited !== null && !(await runningServer(home)))
      throw new Error(`the DQM Playground server ${exited} (log ${log}):\n${logTail(log)}`);
    if (Date.now() > deadline)
      throw new Error(`no DQM Playground server answered within ${opts.timeoutMs ?? 60_000} ms (log ${log})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A connection to a service at a known URL (nothing discovered or started), once it answers. */
async function remoteConnection(
  url: string,
  token: string | null,
  home: string,
  via: "option" | "env" | "login",
  hint = "",
): Promise<Connection> {
  const health = await probe(url, 10_000);
  if (!health) throw new Error(`no DQM Playground service answers at ${url}${hint}`);
  return { http: new Http(url, token), url, home, health, via, startedPid: null };
}

/** Finds (or starts) the service and checks that it answers. */
export async function connectService(opts: ConnectOptions = {}): Promise<Connection> {
  const env = opts.env ?? process.env;
  const home = resolveHome(opts);
  const token = opts.token ?? env[DISCOVERY.tokenEnv] ?? readToken(home);
  const explicit = opts.url ?? env[DISCOVERY.urlEnv];
  if (explicit) return remoteConnection(explicit, token, home, opts.url ? "option" : "env");
  // A shared service this home logged in to (`dqm-playground login URL`), with the user's token.
  const login = readLogin(home);
  if (login)
    return remoteConnection(
      login.url,
      opts.token ?? env[DISCOVERY.tokenEnv] ?? login.token,
      home,
      "login",
      ` (from ${home}/login.json; 'dqm-playground logout' forgets it)`,
    );
  let found = await runningServer(home);
  let via: Connection["via"] = "server.json";
  let startedPid: number | null = null;
  if (!found) {
    if (opts.start === false)
      throw new Error(
        `no DQM Playground server is running on ${home} (start one with 'dqm-playground serve')`,
      );
    found = await startServer(home, opts);
    via = "started";
    startedPid = found.pid;
  }
  // A server started here writes the token file on start.
  const tok = token ?? readToken(home);
  return { http: new Http(found.url, tok), url: found.url, home, health: found.health, via, startedPid };
}
