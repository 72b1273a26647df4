/**
 * Requests to the playground service. By default the service sits behind the Jupyter server
 * (jupyter-server-proxy at `<base URL>dqm-playground/`, which adds the local token): requests go through
 * `ServerConnection.makeRequest`, with Jupyter's own authentication. With a configured central service
 * URL they go there directly with its bearer token. Every failure becomes a `PlaygroundError` whose
 * message says what went wrong and what to do.
 */
import { URLExt } from "@jupyterlab/coreutils";
import { ServerConnection } from "@jupyterlab/services";
import { API_PREFIX, describeErrorBody } from "@dqm-playground/api-types/wire";

/** Path of the service under the Jupyter base URL (the jupyter-server-proxy entry point's name). */
export const PROXY_PATH = "dqm-playground";

export interface ServiceSettings {
  /** A central service; empty: the one behind the Jupyter server. */
  serviceUrl: string;
  /** Bearer token for the central service. */
  serviceToken: string;
}

export interface ServiceEndpoint {
  kind: "proxy" | "url";
  /** Absolute URL of the API root, ending in `/api/v1/`. */
  apiUrl: string;
  token: string;
}

export function resolveEndpoint(
  settings: ServiceSettings,
  server: ServerConnection.ISettings,
): ServiceEndpoint {
  const url = settings.serviceUrl.trim();
  if (url) {
    return { kind: "url", apiUrl: URLExt.join(url, API_PREFIX, "/"), token: settings.serviceToken.trim() };
  }
  return { kind: "proxy", apiUrl: URLExt.join(server.baseUrl, PROXY_PATH, API_PREFIX, "/"), token: "" };
}

export type ErrorKind = "network" | "auth" | "forbidden" | "not-found" | "unavailable" | "server" | "request";

/** A failed request: `status` 0 when nothing answered. */
export class PlaygroundError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    readonly status: number,
    readonly url: string,
  ) {
    super(message);
    this.name = "PlaygroundError";
  }
}

/** The error for a non-2xx answer: the service's message, with a hint at the likely cause. */
export function errorFromResponse(
  endpoint: ServiceEndpoint,
  status: number,
  url: string,
  bodyText: string,
): PlaygroundError {
  const { message, fromService } = describeErrorBody(bodyText);
  const said = message ? `: ${message}` : "";
  if (status === 401) {
    const hint =
      endpoint.kind === "proxy"
        ? "The Jupyter server adds the local token ($DQM_PLAYGROUND_HOME/token); check that the service and the Jupyter server use the same DQM_PLAYGROUND_HOME."
        : "Set a valid token in Settings → DQM Playground → Service token.";
    return new PlaygroundError(
      `The service refused the credentials (401)${said}. ${hint}`,
      "auth",
      status,
      url,
    );
  }
  if (status === 403) return new PlaygroundError(`Not allowed (403)${said}`, "forbidden", status, url);
  if (status === 404 && !fromService) {
    const hint =
      endpoint.kind === "proxy"
        ? "Is the Python package dqm-playground-jupyterlab (with jupyter-server-proxy) installed in the Jupyter server's environment?"
        : "Check Settings → DQM Playground → Service URL.";
    return new PlaygroundError(
      `No DQM Playground service at ${url} (404). ${hint}`,
      "not-found",
      status,
      url,
    );
  }
  if (status === 404) return new PlaygroundError(`Not found (404)${said}`, "not-found", status, url);
  if (
    status === 502 ||
    status === 503 ||
    status === 504 ||
    status === 599 ||
    (status >= 500 && !fromService)
  ) {
    return new PlaygroundError(
      `The DQM Playground service is not available (${status})${said}. It may have failed to start or stopped; see the Jupyter server's log.`,
      "unavailable",
      status,
      url,
    );
  }
  if (status >= 500)
    return new PlaygroundError(`The service failed (${status})${said}`, "server", status, url);
  return new PlaygroundError(`The service rejected the request (${status})${said}`, "request", status, url);
}

function networkError(endpoint: ServiceEndpoint, url: string, cause: unknown): PlaygroundError {
  const detail = cause instanceof Error && cause.message ? ` (${cause.message})` : "";
  const message =
    endpoint.kind === "proxy"
      ? `Cannot reach the Jupyter server${detail}.`
      : `Cannot reach the DQM Playground service at ${endpoint.apiUrl}${detail}: is it running, and does it allow requests from this page's origin (CORS)?`;
  return new PlaygroundError(message, "network", 0, url);
}

/**
 * GET or POST `path` (relative to the API root, for example `datasets?limit=10`) and return the
 * response; a non-2xx answer or no answer throws a `PlaygroundError`.
 */
export async function requestService(
  endpoint: ServiceEndpoint,
  server: ServerConnection.ISettings,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const url = endpoint.apiUrl + path.replace(/^\/+/, "");
  let response: Response;
  try {
    if (endpoint.kind === "proxy") {
      response = await ServerConnection.makeRequest(url, init, server);
    } else {
      const headers = new Headers(init.headers);
      if (endpoint.token) headers.set("Authorization", `Bearer ${endpoint.token}`);
      response = await server.fetch.call(null, url, { ...init, headers });
    }
  } catch (err) {
    throw networkError(endpoint, url, err);
  }
  if (!response.ok) {
    let text = "";
    try {
      text = await response.text();
    } catch {
      // no body
    }
    throw errorFromResponse(endpoint, response.status, url, text);
  }
  return response;
}

export async function requestJSON<T>(
  endpoint: ServiceEndpoint,
  server: ServerConnection.ISettings,
  path: string,
  init: RequestInit = {},
): Promise<T> {
  const response = await requestService(endpoint, server, path, init);
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new PlaygroundError(
      `The service answered ${path} with something that is not JSON: ${describeErrorBody(text).message}`,
      "server",
      response.status,
      response.url,
    );
  }
}

/** `key=value&...` of the defined parameters. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}
