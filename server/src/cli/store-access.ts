/**
 * How a CLI command reaches the data: through the running server of this home when there is one (the
 * embedded database is single-process), otherwise by opening the store itself.
 */
import { resolveConfig, type PlaygroundConfig } from "../config";
import { Store } from "../store/store";
import { findRunningServer, type ServerInfo } from "../service/server-info";

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
