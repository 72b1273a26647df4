/**
 * How a CLI command reaches the data: through the running server of this home when there is one (the
 * embedded database is single-process), otherwise by opening the store itself.
 */
import { resolveConfig, type PlaygroundConfig } from "../config";
import { Store } from "../store/store";
import fs from "node:fs";
import { findRunningServer, type ServerInfo } from "../service/server-info";
import { serve } from "../service/serve";
import { tokenPath } from "../store/users";

export async function withStore<T>(fn: (store: Store, config: PlaygroundConfig) => Promise<T>): Promise<T> {
  const config = resolveConfig();
  const store = await Store.open(config);
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

/** The running server of this home, if any (only the embedded engine needs to go through it). */
export async function runningServer(): Promise<ServerInfo | null> {
  const config = resolveConfig();
  return config.databaseUrl ? null : findRunningServer(config.home);
}

export async function getJson<T>(server: ServerInfo, path: string): Promise<T> {
  const res = await fetch(new URL(`api/v1/${path}`, `${server.url}/`));
  const body = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(body.message ?? `server answered ${res.status}`);
  return body;
}

/** Where to send API requests, and the local admin token of this home. */
export interface ApiTarget {
  url: string;
  token: string;
}

/**
 * Runs `fn` against the REST API: the server running on this home if there is one, else a private
 * server started in this process on a free loopback port for the duration of the command. Commands
 * that go through the API get the same validation and messages as any other client.
 */
export async function withApi<T>(fn: (api: ApiTarget) => Promise<T>): Promise<T> {
  const config = resolveConfig();
  const running = await runningServer();
  if (running) return fn({ url: running.url, token: fs.readFileSync(tokenPath(config.home), "utf8").trim() });
  const server = await serve(config, { port: 0, host: "127.0.0.1", logger: false, advertise: false });
  try {
    return await fn({ url: server.info.url, token: fs.readFileSync(tokenPath(config.home), "utf8").trim() });
  } finally {
    await server.close();
  }
}

/** An API request with the local token; a non-2xx answer throws the server's message unchanged. */
export async function apiRequest(
  api: ApiTarget,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const isBinary = body instanceof Uint8Array;
  const res = await fetch(new URL(`api/v1/${path}`, `${api.url}/`), {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      ...(body === undefined
        ? {}
        : { "content-type": isBinary ? "application/vnd.apache.arrow.stream" : "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : isBinary ? body : JSON.stringify(body),
  });
  if (!res.ok) {
    const text = await res.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: keep the text
    }
    throw new Error(message || `server answered ${res.status}`);
  }
  return res;
}
