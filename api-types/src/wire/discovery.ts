/// <reference types="node" />
/**
 * Service discovery on one machine, for Node processes (the service, its CLI, the kernel library):
 * the playground home, the `server.json` in which the running server says where it listens, and the
 * home's token file. Not exported from the package root, which the browser extension bundles: import
 * it as `@dqm-playground/api-types/discovery`.
 *
 * The rules (checked against the Python launcher, extension/dqm_playground_jupyterlab/locate.py, by
 * api-types/test/fixtures/discovery.json):
 * - home: an explicit folder, else $DQM_PLAYGROUND_HOME when set and not empty, else
 *   `~/.dqm-playground`; made absolute against the working folder and normalised (`..`), with no
 *   `~` expansion and no symbolic links resolved;
 * - server.json: a JSON object with at least `url` (a non-empty string) and `pid` (a positive
 *   integer); anything else is no server;
 * - token: the home's `token` file without surrounding white space; missing or blank is no token.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Health } from "../schemas";
import { API_PREFIX, DISCOVERY, SERVICE_NAME } from "./constants";
import { parseJsonObject } from "./json";

/** What `server.json` holds. */
export interface ServerInfo {
  /** Service root, e.g. http://127.0.0.1:8750 (the API is under /api/v1). */
  url: string;
  pid: number;
  home: string;
  /** Database engine: "pglite" or "postgres". */
  engine: string;
  /** ISO 8601 time the server started. */
  startedAt: string;
}

type Env = Record<string, string | undefined>;

/** The playground home: `explicit`, else $DQM_PLAYGROUND_HOME when not empty, else ~/.dqm-playground. */
export function playgroundHome(env: Env = process.env, explicit?: string): string {
  return path.resolve(
    explicit ?? (env[DISCOVERY.homeEnv] || path.join(os.homedir(), DISCOVERY.defaultHomeDir)),
  );
}

export function serverInfoPath(home: string): string {
  return path.join(home, DISCOVERY.serverFile);
}

export function tokenPath(home: string): string {
  return path.join(home, DISCOVERY.tokenFile);
}

/**
 * A `server.json` text as ServerInfo, or null unless it is a JSON object with a non-empty string
 * `url` and a positive integer `pid` (the other fields are passed on as they are).
 */
export function parseServerInfo(text: string): ServerInfo | null {
  const info = parseJsonObject(text);
  if (!info) return null;
  const { url, pid } = info;
  if (typeof url !== "string" || url === "") return null;
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return null;
  return info as unknown as ServerInfo;
}

/** A file's text, or null when it cannot be read (missing, a folder, no permission). */
function readTextOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/**
 * Writes `value` as JSON to `file` atomically (readers never see half a file) with mode 0600: the file
 * is created so, never widened afterwards, like everything in the home.
 */
function writePrivateJson(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true }); // one a crash left keeps its mode: start afresh
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** The home's server.json, or null when it is missing or not a server's. */
export function readServerInfo(home: string): ServerInfo | null {
  const text = readTextOrNull(serverInfoPath(home));
  return text === null ? null : parseServerInfo(text);
}

/** Writes `info.home`/server.json (atomically, mode 0600). */
export function writeServerInfo(info: ServerInfo): void {
  writePrivateJson(serverInfoPath(info.home), info);
}

/** Removes the home's server.json if it is the one process `pid` wrote. */
export function removeServerInfo(home: string, pid: number): void {
  const info = readServerInfo(home);
  if (info && info.pid === pid) fs.rmSync(serverInfoPath(home), { force: true });
}

/** The home's token, or null when the file is missing or blank. */
export function readToken(home: string): string | null {
  return readTextOrNull(tokenPath(home))?.trim() || null;
}

/** A shared service a user logged in to: its root URL and the user's token. */
export interface Login {
  url: string;
  token: string;
}

export function loginPath(home: string): string {
  return path.join(home, DISCOVERY.loginFile);
}

/** The home's login.json, or null when it is missing or not `{url, token}` with non-empty strings. */
export function readLogin(home: string): Login | null {
  const o = parseJsonObject(readTextOrNull(loginPath(home)) ?? "");
  if (!o || typeof o.url !== "string" || o.url === "" || typeof o.token !== "string" || o.token === "")
    return null;
  return { url: o.url, token: o.token };
}

/**
 * Writes the home's login.json (atomically, mode 0600: the token is a password), making the home
 * (0700) first when it does not exist.
 */
export function writeLogin(home: string, login: Login): void {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  writePrivateJson(loginPath(home), { url: login.url, token: login.token });
}

/** Removes the home's login.json; whether there was one. */
export function removeLogin(home: string): boolean {
  const there = fs.existsSync(loginPath(home));
  fs.rmSync(loginPath(home), { force: true });
  return there;
}

/** Whether a process `pid` exists (one of another user counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

/** `GET <url>/api/v1/health` without a token: the answer when a playground service gives it, else null. */
export async function probeHealth(url: string, timeoutMs = 3000): Promise<Health | null> {
  try {
    const res = await fetch(new URL(`${API_PREFIX}/health`, url.endsWith("/") ? url : `${url}/`), {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return null;
    const health = (await res.json()) as Health;
    return health?.service === SERVICE_NAME ? health : null;
  } catch {
    return null;
  }
}

/** The server the home's server.json names, when its process is alive and it answers as a playground service. */
export async function findRunningServer(
  home: string,
  timeoutMs = 3000,
): Promise<{ info: ServerInfo; health: Health } | null> {
  const info = readServerInfo(home);
  if (!info || !pidAlive(info.pid)) return null;
  const health = await probeHealth(info.url, timeoutMs);
  return health ? { info, health } : null;
}
