/**
 * The real thing the UI tests drive: the playground service on a fresh demo home, and a JupyterLab of
 * the project's .venv (with the extension and the tslab kernel installed) in its own HOME and Jupyter
 * folders. Both run in their own process groups and are stopped with everything they started.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CLI, JUPYTER, ROOT, VENV, WORK } from "./paths";

export interface Stack {
  /** The JupyterLab page, with a trailing slash (its token is not in it). */
  labUrl: string;
  token: string;
  serviceUrl: string;
  /** DQM_PLAYGROUND_HOME of the service and of the kernels. */
  home: string;
  /** JupyterLab's root folder, where notebooks are created. */
  notebooks: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Where the service's and JupyterLab's output goes. */
  logs: string;
  /** Leaderboard refresh settings of the extension (seconds). */
  refreshInterval?: number;
  maxRefreshInterval?: number;
  /** Keep the temporary folders (for a look after a failure). */
  keep?: boolean;
  /** Prepares the home after the demo is created and before the service starts. */
  prepareHome?: (home: string, env: NodeJS.ProcessEnv) => void;
}

const START_TIMEOUT_MS = 180_000;

/** Checks that the project was set up and built; throws with what to run otherwise. */
export function checkPrerequisites(): void {
  const missing: string[] = [];
  if (!fs.existsSync(CLI)) missing.push(`${path.relative(ROOT, CLI)} (npm run build)`);
  if (!fs.existsSync(path.join(ROOT, "kernel-lib", "dist", "index.js")))
    missing.push("kernel-lib/dist (npm run build)");
  if (!fs.existsSync(JUPYTER)) missing.push(".venv with JupyterLab (bash scripts/setup-python.sh)");
  const ext = path.join(VENV, "share", "jupyter", "labextensions", "@dqm-playground", "jupyterlab");
  if (!fs.existsSync(path.join(ext, "package.json")))
    missing.push("the extension in .venv (bash scripts/setup-extension.sh)");
  if (!fs.existsSync(path.join(VENV, "share", "jupyter", "kernels", "tslab", "kernel.json")))
    missing.push("the tslab kernel spec in .venv (bash scripts/setup-python.sh)");
  if (missing.length) throw new Error(`the UI tests need: ${missing.join("; ")}`);
}

/** An environment without the caller's playground and Jupyter settings. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(DQM_PLAYGROUND_|JUPYTER|JPY_)/.test(key) || key === "DATABASE_URL") delete env[key];
  }
  return env;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

async function answers(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Runs until `ready()` gives a value; fails when `child` exits first or the time is up. */
async function waitFor<T>(
  what: string,
  child: ChildProcess,
  log: string,
  ready: () => Promise<T | null>,
): Promise<T> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}); see ${log}`);
    const value = await ready();
    if (value !== null) return value;
    await sleep(250);
  }
  throw new Error(`${what} did not start within ${START_TIMEOUT_MS / 1000} s; see ${log}`);
}

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, log: string): ChildProcess {
  const out = fs.openSync(log, "w");
  // Its own process group, so that stopping it stops what it started (kernels, the proxy's relay).
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  return child;
}

/** SIGTERM to the process group, then SIGKILL after `graceMs`. */
async function stopGroup(child: ChildProcess, graceMs = 15_000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signal = (sig: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pid, sig);
      return true;
    } catch {
      return false;
    }
  };
  if (!signal("SIGTERM")) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!signal(0)) return;
    await sleep(200);
  }
  signal("SIGKILL");
}

/** Asks JupyterLab to shut down each of its kernels. */
async function shutDownKernels(labUrl: string, token: string): Promise<void> {
  const headers = { Authorization: `token ${token}` };
  try {
    const res = await fetch(`${labUrl}api/kernels`, { headers, signal: AbortSignal.timeout(10_000) });
    const kernels = (await res.json()) as Array<{ id: string }>;
    for (const { id } of kernels)
      await fetch(`${labUrl}api/kernels/${id}`, {
        method: "DELETE",
        headers,
        signal: AbortSignal.timeout(30_000),
      }).catch(() => undefined);
  } catch {
    // JupyterLab is gone already: killLeftovers finds its kernels.
  }
}

/** Kills what is still running with this run's temporary folder on its command line (a kernel with
 * its connection file there, when JupyterLab could not shut it down). */
function killLeftovers(tmp: string): void {
  if (process.platform !== "linux") return;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(`${tmp}${path.sep}`)) process.kill(Number(entry), "SIGKILL");
    } catch {
      // gone, or not ours to read
    }
  }
}

/** The port and base URL JupyterLab wrote to its runtime folder, once it has. */
function readServerInfo(runtime: string): { port: number; base_url: string } | null {
  for (const file of fs.readdirSync(runtime)) {
    if (!/^jpserver-\d+\.json$/.test(file)) continue;
    try {
      const info = JSON.parse(fs.readFileSync(path.join(runtime, file), "utf8")) as {
        port: number;
        base_url: string;
      };
      if (info.port > 0) return info;
    } catch {
      // being written
    }
  }
  return null;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

/** Creates the small demo in a fresh home, serves it, and starts JupyterLab; `stop()` undoes it all. */
export async function startStack(options: StackOptions): Promise<Stack> {
  checkPrerequisites();
  fs.mkdirSync(options.logs, { recursive: true });
  fs.mkdirSync(WORK, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-ui-"));
  const notebooks = fs.mkdtempSync(path.join(WORK, "run-"));
  const home = path.join(tmp, "playground");
  const children: ChildProcess[] = [];
  let stopped = false;

  let labAccess: { url: string; token: string } | null = null;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off("exit", killNow);
    // The kernels first (Jupyter starts them in sessions of their own), then JupyterLab, then the service.
    if (labAccess) await shutDownKernels(labAccess.url, labAccess.token);
    for (const child of [...children].reverse()) await stopGroup(child);
    killLeftovers(tmp);
    if (!options.keep) {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(notebooks, { recursive: true, force: true });
    }
  };
  // If the runner dies without the teardown: no processes left behind.
  const killNow = (): void => {
    for (const child of children) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", killNow);

  try {
    // 1. The service: the small demo in a fresh home, on a free port.
    const serviceEnv: NodeJS.ProcessEnv = { ...baseEnv(), DQM_PLAYGROUND_HOME: home };
    const demoLog = path.join(options.logs, "demo.log");
    const demo = spawnSync(process.execPath, [CLI, "demo", "--size", "small"], {
      cwd: ROOT,
      env: serviceEnv,
      encoding: "utf8",
    });
    fs.writeFileSync(demoLog, `${demo.stdout ?? ""}${demo.stderr ?? ""}`);
    if (demo.status !== 0) throw new Error(`dqm-playground demo failed (${demo.status}); see ${demoLog}`);
    options.prepareHome?.(home, serviceEnv);
    const serviceLog = path.join(options.logs, "service.log");
    const service = start(
      process.execPath,
      [CLI, "serve", "--port", "0", "--quiet"],
      serviceEnv,
      ROOT,
      serviceLog,
    );
    children.push(service);
    const serviceUrl = await waitFor("dqm-playground serve", service, serviceLog, async () => {
      try {
        const info = JSON.parse(fs.readFileSync(path.join(home, "server.json"), "utf8")) as { url: string };
        const url = info.url.replace(/\/$/, "");
        return (await answers(`${url}/api/v1/health`)) ? url : null;
      } catch {
        return null;
      }
    });

    // 2. JupyterLab in its own HOME and Jupyter folders. The .venv's share/jupyter (the extension, the
    //    tslab kernel spec) and etc/jupyter (jupyter-server-proxy) stay on Jupyter's paths.
    const jupyterHome = path.join(tmp, "home");
    const config = path.join(tmp, "jupyter-config");
    const runtime = path.join(tmp, "jupyter-runtime");
    const settings = path.join(config, "lab", "user-settings");
    for (const dir of [jupyterHome, config, runtime, path.join(tmp, "jupyter-data")])
      fs.mkdirSync(dir, { recursive: true });
    const token = randomBytes(24).toString("hex");
    fs.writeFileSync(
      path.join(config, "jupyter_server_config.py"),
      [
        "c.ServerApp.allow_root = True",
        "c.ServerApp.ip = '127.0.0.1'",
        "c.ServerApp.port = 0",
        "c.ServerApp.open_browser = False",
        `c.ServerApp.token = ${JSON.stringify(token)}`,
        `c.ServerApp.root_dir = ${JSON.stringify(notebooks)}`,
        // The tests run a few commands (theme, split layout) through window.jupyterapp.
        "c.LabApp.expose_app_in_browser = True",
        "c.LabApp.news_url = None",
        "c.LabApp.check_for_updates_class = 'jupyterlab.NeverCheckForUpdate'",
        "c.LanguageServerManager.autodetect = False",
        "",
      ].join("\n"),
    );
    writeJson(path.join(settings, "@dqm-playground", "jupyterlab", "plugin.jupyterlab-settings"), {
      refreshInterval: options.refreshInterval ?? 2,
      maxRefreshInterval: options.maxRefreshInterval ?? 4,
    });
    writeJson(path.join(settings, "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings"), {
      fetchNews: "false",
      checkForUpdates: false,
    });
    const labEnv: NodeJS.ProcessEnv = {
      ...baseEnv(),
      HOME: jupyterHome,
      JUPYTER_CONFIG_DIR: config,
      JUPYTER_DATA_DIR: path.join(tmp, "jupyter-data"),
      JUPYTER_RUNTIME_DIR: runtime,
      JUPYTERLAB_SETTINGS_DIR: settings,
      JUPYTERLAB_WORKSPACES_DIR: path.join(config, "lab", "workspaces"),
      PYTHONNOUSERSITE: "1",
      PATH: `${path.join(VENV, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
      // The proxy's service and the kernels use the service started above.
      DQM_PLAYGROUND_HOME: home,
    };
    const labLog = path.join(options.logs, "jupyterlab.log");
    const lab = start(JUPYTER, ["lab", "--no-browser"], labEnv, notebooks, labLog);
    children.push(lab);
    const labUrl = await waitFor("jupyter lab", lab, labLog, async () => {
      const info = readServerInfo(runtime);
      if (!info) return null;
      const url = `http://127.0.0.1:${info.port}${info.base_url}`;
      return (await answers(`${url}api/status`, { Authorization: `token ${token}` })) ? url : null;
    });
    labAccess = { url: labUrl, token };
    return { labUrl, token, serviceUrl, home, notebooks, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
