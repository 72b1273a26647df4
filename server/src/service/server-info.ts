/**
 * `server.json` in the home folder tells other processes on the machine (the CLI, the kernel library,
 * the JupyterLab extension) where the running playground server listens.
 */
import fs from "node:fs";
import path from "node:path";

export interface ServerInfo {
  url: string;
  pid: number;
  home: string;
  engine: string;
  startedAt: string;
}

export function serverInfoPath(home: string): string {
  return path.join(home, "server.json");
}

export function readServerInfo(home: string): ServerInfo | null {
  try {
    return JSON.parse(fs.readFileSync(serverInfoPath(home), "utf8")) as ServerInfo;
  } catch {
    return null;
  }
}

export function writeServerInfo(info: ServerInfo): void {
  const file = serverInfoPath(info.home);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info, null, 2) + "\n", { mode: 0o644 });
  fs.renameSync(tmp, file); // readers never see half a file
}

export function removeServerInfo(home: string, pid: number): void {
  const info = readServerInfo(home);
  if (info && info.pid === pid) fs.rmSync(serverInfoPath(home), { force: true });
}

/** The server described by server.json if it is alive and answers as a playground server. */
export async function findRunningServer(home: string): Promise<ServerInfo | null> {
  const info = readServerInfo(home);
  if (!info) return null;
  try {
    process.kill(info.pid, 0);
  } catch {
    return null;
  }
  try {
    const res = await fetch(new URL("api/v1/health", info.url.endsWith("/") ? info.url : `${info.url}/`), {
      signal: AbortSignal.timeout(3000),
    });
    const body = (await res.json()) as { service?: string };
    return res.ok && body.service === "dqm-playground" ? info : null;
  } catch {
    return null;
  }
}
