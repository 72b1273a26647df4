/** A real playground service for end-to-end tests: `demo` then `serve` in a temporary home. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const CLI = path.resolve(__dirname, "../../../server/dist/cli/main.js");

/** This process's environment without playground settings or jest's node options. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of Object.keys(env)) if (k.startsWith("DQM_PLAYGROUND_") && !(k in extra)) delete env[k];
  delete env.NODE_OPTIONS;
  delete env.DATABASE_URL;
  return env;
}

/** Runs the CLI to completion; rejects with its output on failure. */
export function runCli(args: string[], home: string, timeoutMs = 180_000): Promise<string> {
  if (!fs.existsSync(CLI))
    throw new Error(`${CLI} is missing: build first (npm run build at the repository root)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: cleanEnv({ DQM_PLAYGROUND_HOME: home }),
      cwd: home,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`dqm-playground ${args.join(" ")} exited with ${code}: ${out}`));
    });
  });
}

export function tempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "dqm-kernel-"));
}

/** SIGTERM to a server this test started, and wait until it is gone. */
export async function stopPid(pid: number, timeoutMs = 20_000): Promise<void> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
