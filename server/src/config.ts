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
 * `DQM_PLAYGROUND_CORS_ORIGINS`: comma-separated origins such as `https://swan.cern.ch`, or `*` alone for
 * any origin. Blanks are ignored and a trailing slash is dropped (browsers send origins without one).
 * Refused, with a message naming the entry and what is wrong with it, since it could never match what
 * a browser sends in `Origin`: an entry that is not `scheme://host[:port]` (a path, a query, no scheme);
 * a scheme other than http or https (JupyterLab pages are served over these); a user name or password;
 * a port that is not a number up to 65535; an origin not written the way browsers send it (capitals,
 * the scheme's default port, a non-ASCII host: the message gives the form to write); and `*` together
 * with other entries (ambiguous: either any origin or a list). Read when `serve` starts, before the store
 * is opened (service/serve.ts), and by the REST API when not given its origins (api/app.ts).
 */
export function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const name = "DQM_PLAYGROUND_CORS_ORIGINS";
  const origins = (env[name] ?? "")
    .split(",")
    .map((o) => o.trim().replace(/\/+$/, ""))
    .filter((o) => o.length > 0);
  if (origins.includes("*") && origins.length > 1)
    throw new Error(
      `${name}: '*' (any origin) cannot be listed with other origins: give either * alone or a list of origins`,
    );
  for (const o of origins) {
    if (o === "*") continue;
    const refuse = (why: string) => new Error(`${name}: '${o}' ${why}`);
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s?#]+$/i.test(o))
      throw refuse("is not an origin: expected scheme://host[:port], such as https://swan.cern.ch, or *");
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      throw refuse(
        "is not an origin: its host or port is invalid (expected scheme://host[:port], port up to 65535)",
      );
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw refuse("is not a web page's origin: the scheme must be http or https");
    if (url.username || url.password) throw refuse("is not an origin: it has a user name or password");
    if (url.origin !== o) throw refuse(`is not written as browsers send it: write '${url.origin}'`);
  }
  return origins;
}
