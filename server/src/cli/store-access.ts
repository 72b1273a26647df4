/**
 * How a CLI command reaches the data: one policy, here (docs/architecture.md, "How the CLI reaches
 * the store").
 *
 * Every command that the REST API serves goes through the REST API (`withApi`), so it gets the same
 * validation, checks and messages as any other client:
 *   - when the home has a login.json (`dqm-playground login URL`), over HTTP to that shared service with
 *     the user's token;
 *   - when server.json names a running server of this home (embedded engine), over HTTP to it with the
 *     home's local admin token: the embedded database is single-process, and that server holds it;
 *   - otherwise the same app, built in this process over the home's store, answers the same requests
 *     without a port (Fastify's inject), with the local admin's token.
 * The commands that load data or accounts, which the API does not offer (ingest, demo, user add), own
 * the store for their run (`withOwnStore`) and refuse while a server holds it.
 */
import { API_PREFIX, ARROW_STREAM, fetchAllPages, parseErrorBody } from "@dqm-playground/api-types/wire";
import { readLogin, readToken } from "@dqm-playground/api-types/discovery";
import { resolveConfig, type PlaygroundConfig } from "../config";
import type { Store } from "../store/store";
import { findRunningServer, type ServerInfo } from "../service/server-info";

// The store (database drivers) and the app (Fastify) are loaded only when no server answers: a command
// answered by the running server then starts in a fraction of the time.

/** Where API requests go: one request, answered as a fetch Response (non-2xx included). */
export interface ApiTarget {
  send(
    method: string,
    path: string,
    body: Uint8Array | string | undefined,
    headers: Record<string, string>,
  ): Promise<Response>;
}

/**
 * Runs `fn` against the REST API: the server running on this home if there is one, else the same app
 * over this home's store, in this process, for the duration of the command.
 */
export async function withApi<T>(fn: (api: ApiTarget) => Promise<T>): Promise<T> {
  const config = resolveConfig();
  // A shared service this home logged in to comes first: the user chose it (`login URL`).
  const login = readLogin(config.home);
  if (login) return fn(httpTarget(login.url, login.token));
  const running = await runningServer(config);
  if (running) return fn(httpTarget(running.url, homeToken(config.home)));
  return withOwnStore(async (store) => {
    const { buildApp } = await import("../api/app.js");
    await store.users.ensureLocalAdmin(config.home, { shared: Boolean(config.databaseUrl) });
    const token = homeToken(config.home);
    const app = await buildApp({ store, logger: false });
    try {
      return await fn({
        async send(method, path, body, headers) {
          const res = await app.inject({
            method: method as "GET",
            url: `/${API_PREFIX}/${path}`,
            headers: { ...headers, authorization: `Bearer ${token}` },
            payload: body === undefined ? undefined : Buffer.from(body),
          });
          const answer = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) answer.set(k, Array.isArray(v) ? v.join(", ") : String(v));
          const empty = [101, 204, 205, 304].includes(res.statusCode);
          return new Response(empty ? null : res.rawPayload, { status: res.statusCode, headers: answer });
        },
      });
    } finally {
      await app.close();
    }
  });
}

/**
 * Runs `fn` with this home's store opened by this process (for the commands the API does not serve).
 * Refuses while a running server holds the embedded store: `doing` says what was refused.
 */
export async function withOwnStore<T>(
  fn: (store: Store, config: PlaygroundConfig) => Promise<T>,
  doing?: string,
): Promise<T> {
  const config = resolveConfig();
  if (doing !== undefined) {
    const server = await runningServer(config);
    if (server)
      throw new Error(
        `the server at ${server.url} (pid ${server.pid}) has this home's embedded store open; stop it ${doing}`,
      );
  }
  const { Store } = await import("../store/store.js");
  const { recoverInterruptedSubmissions } = await import("../tasks/submissions.js");
  const store = await Store.open(config);
  try {
    // Submissions a killed server or command left unscored are finished or failed first.
    await recoverInterruptedSubmissions(store);
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

/** The home's local admin token (written when the store was first opened). */
function homeToken(home: string): string {
  const token = readToken(home);
  if (token === null) throw new Error(`no token in ${home}: run a command that opens the store first`);
  return token;
}

/** The running server of this home, if any (only the embedded engine needs to go through it). */
async function runningServer(config: PlaygroundConfig): Promise<ServerInfo | null> {
  return config.databaseUrl ? null : findRunningServer(config.home);
}

/** Requests to the service at `url` over HTTP with `token`. */
export function httpTarget(url: string, token: string): ApiTarget {
  return {
    send: (method, path, body, headers) =>
      fetch(new URL(`${API_PREFIX}/${path}`, `${url}/`), {
        method,
        headers: { ...headers, authorization: `Bearer ${token}` },
        body,
      }),
  };
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

/** An API request; a non-2xx answer throws an ApiError with the server's message. */
export async function apiRequest(
  api: ApiTarget,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const isBinary = body instanceof Uint8Array;
  const res = await api.send(
    method,
    path,
    body === undefined ? undefined : isBinary ? body : JSON.stringify(body),
    {
      ...(body === undefined ? {} : { "content-type": isBinary ? ARROW_STREAM : "application/json" }),
      ...headers,
    },
  );
  if (!res.ok) {
    const text = await res.text();
    const body = parseErrorBody(text);
    throw new ApiError(
      body?.message || text || `server answered ${res.status}`,
      res.status,
      body?.where ?? {},
    );
  }
  return res;
}

/** GET a JSON answer of the API. */
export async function getJson<T>(api: ApiTarget, path: string): Promise<T> {
  return (await (await apiRequest(api, "GET", path)).json()) as T;
}

/** Every item of a paged list route, in pages of the largest size, following the `next` cursors. */
export async function getAllPages<T>(api: ApiTarget, path: string): Promise<T[]> {
  return fetchAllPages((cursor) =>
    getJson<{ items: T[]; next: string | null }>(
      api,
      `${path}?limit=10000&cursor=${encodeURIComponent(cursor ?? "")}`,
    ),
  );
}
