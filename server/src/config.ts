/**
 * Where the playground keeps its state. One home folder (`$DQM_PLAYGROUND_HOME`, default
 * `~/.dqm-playground`) holds the embedded database, the histogram block files, `server.json` and the
 * admin token. `DATABASE_URL` switches the database to a shared PostgreSQL server; histogram blocks
 * then go to `$DQM_PLAYGROUND_BLOCKS` (a shared filesystem) when set, else stay in the home folder.
 * `DQM_PLAYGROUND_CORS_ORIGINS` lists the web origins (comma-separated) whose pages may call the REST API
 * from a browser, for the JupyterLab extension talking to a central service; unset, no CORS headers.
 */
import { playgroundHome } from "@dqm-playground/api-types/discovery";
import path from "node:path";

export interface PlaygroundConfig {
  home: string;
  /** PostgreSQL connection string, or undefined for the embedded PGlite database in `home/db`. */
  databaseUrl?: string;
  /** The folder of the histogram block files (`$DQM_PLAYGROUND_BLOCKS`, default `home/blocks`). */
  blockStore: string;
}

export function resolveConfig(env: NodeJS.ProcessEnv = process.env): PlaygroundConfig {
  const home = playgroundHome(env);
  const databaseUrl = env.DATABASE_URL || undefined;
  const blockStore = path.resolve(env.DQM_PLAYGROUND_BLOCKS || path.join(home, "blocks"));
  return { home, databaseUrl, blockStore };
}

/**
 * `DQM_PLAYGROUND_CORS_ORIGINS`: comma-separated origins such as `https://swan.cern.ch`, or `*` for any
 * origin. Blanks are ignored and a trailing slash is dropped (browsers send origins without one); an
 * entry that is not `scheme://host[:port]` is refused, since it could never match. Read by the REST API
 * when it starts (api/app.ts).
 */
export function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const origins = (env.DQM_PLAYGROUND_CORS_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim().replace(/\/+$/, ""))
    .filter((o) => o.length > 0);
  for (const o of origins)
    if (o !== "*" && !/^[a-z][a-z0-9+.-]*:\/\/[^/\s?#]+$/i.test(o))
      throw new Error(
        `DQM_PLAYGROUND_CORS_ORIGINS: '${o}' is not an origin: expected scheme://host[:port], such as https://swan.cern.ch, or *`,
      );
  return origins;
}
