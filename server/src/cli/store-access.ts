/**
 * How a CLI command reaches the data: through the running server of this home when there is one (the
 * embedded database is single-process), otherwise by opening the store itself.
 */
import fs from "node:fs";
import { resolveConfig, type PlaygroundConfig } from "../config";
import type { Store } from "../store/store";
import { findRunningServer, type ServerInfo } from "../service/server-info";
import { tokenPath } from "../store/users";

// The store (database drivers) and the server (Fastify) are loaded by the commands that use them:
// a command answered by the running server then starts in a fraction of the time.

export async function withStore<T>(fn: (store: Store, config: PlaygroundConfig) => Promise<T>): Promise<T> {
  const config = resolveConfig();
  const { Store } = await import("../store/store.js");
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

/** GET from the running server of this home, with the home's local token (every data route needs one). */
export async function getJson<T>(server: ServerInfo, path: string): Promise<T> {
  const token = fs.readFileSync(tokenPath(resolveConfig().home), "utf8").trim();
  return (await (await apiRequest({ url: server.url, token }, "GET", path)).json()) as T;
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
  const { serve } = await import("../service/serve.js");
  const server = await serve(config, { port: 0, host: "127.0.0.1", logger: false, advertise: false });
  try {
    return await fn({ url: server.info.url, token: fs.readFileSync(tokenPath(config.home), "utf8").trim() });
  } finally {
    await server.close();
  }
}

/** A non-2xx answer of the API: the server's message unchanged, and where in the input when it says. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly where: { line?: number; row?: number; column?: string } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** An API request with the local token; a non-2xx answer throws an ApiError with the server's message. */
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
    let where: ApiError["where"] = {};
    try {
      const body = JSON.parse(text) as { message?: string; where?: ApiError["where"] };
      message = body.message ?? text;
      where = body.where ?? {};
    } catch {
      // not JSON: keep the text
    }
    throw new ApiError(message || `server answered ${res.status}`, res.status, where);
  }
  return res;
}
