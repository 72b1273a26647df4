/**
 * Runs the playground server: opens the store, finishes the submissions a stopped server left
 * unscored, serves the API, advertises itself in server.json and
 * cleans up on SIGINT/SIGTERM. A second `serve` on the same home finds the first and reuses it.
 */
import type { FastifyInstance } from "fastify";
import { corsOriginsFromEnv, type PlaygroundConfig } from "../config";
import { Store } from "../store/store";
import { buildApp } from "../api/app";
import { recoverInterruptedSubmissions } from "../tasks/submissions";
import { findRunningServer, removeServerInfo, writeServerInfo, type ServerInfo } from "./server-info";

export interface ServeOptions {
  port: number;
  host: string;
  logger?: boolean;
  /** Write server.json so other processes find this server (false for a CLI's private server). */
  advertise?: boolean;
}

export interface RunningServer {
  info: ServerInfo;
  /** False when another process was already serving this home and is reused. */
  started: boolean;
  app?: FastifyInstance;
  store?: Store;
  close(): Promise<void>;
}

/**
 * Starts the server. A start-up failure (a bad setting, a taken port, a store that cannot be opened)
 * throws after releasing everything taken so far: server.json, the port, the store and its lock.
 */
export async function serve(config: PlaygroundConfig, opts: ServeOptions): Promise<RunningServer> {
  const advertise = opts.advertise ?? true;
  // Settings are checked before anything is opened: a bad one stops here with nothing to release.
  const corsOrigins = corsOriginsFromEnv();
  if (!config.databaseUrl && advertise) {
    const running = await findRunningServer(config.home);
    if (running) return { info: running, started: false, close: async () => {} };
  }
  const store = await Store.open(config);
  let app: FastifyInstance;
  try {
    // Submissions a killed server left unscored are finished or failed before any request is taken.
    await recoverInterruptedSubmissions(store);
    await store.users.ensureLocalAdmin(config.home, { shared: Boolean(config.databaseUrl) });
    app = await buildApp({ store, logger: opts.logger, corsOrigins });
  } catch (err) {
    await store.close().catch(() => undefined); // the start-up error is the one to report
    throw err;
  }
  let info: ServerInfo;
  try {
    await app.listen({ port: opts.port, host: opts.host });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : opts.port;
    const host = opts.host === "0.0.0.0" || opts.host === "::" ? "127.0.0.1" : opts.host;
    info = {
      url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
      pid: process.pid,
      home: config.home,
      engine: store.engine,
      startedAt: new Date().toISOString(),
    };
    if (advertise) writeServerInfo(info);
  } catch (err) {
    if (advertise) removeServerInfo(config.home, process.pid);
    await app.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
  let closed = false;
  return {
    info,
    started: true,
    app,
    store,
    close: async () => {
      if (closed) return;
      closed = true;
      if (advertise) removeServerInfo(config.home, process.pid);
      await app.close();
      await store.close();
    },
  };
}
