/**
 * Where the playground keeps its state. One home folder (`$DQM_PLAYGROUND_HOME`, default
 * `~/.dqm-playground`) holds the embedded database, the histogram block files, `server.json` and the
 * admin token. `DATABASE_URL` switches the database to a shared PostgreSQL server; histogram blocks
 * then go to `$DQM_PLAYGROUND_BLOCKS` (a shared filesystem) when set, else stay in the home folder.
 */
import os from "node:os";
import path from "node:path";

export interface PlaygroundConfig {
  home: string;
  /** PostgreSQL connection string, or undefined for the embedded PGlite database in `home/db`. */
  databaseUrl?: string;
  blocksDir: string;
}

export function resolveConfig(env: NodeJS.ProcessEnv = process.env): PlaygroundConfig {
  const home = path.resolve(env.DQM_PLAYGROUND_HOME || path.join(os.homedir(), ".dqm-playground"));
  const databaseUrl = env.DATABASE_URL || undefined;
  const blocksDir = path.resolve(env.DQM_PLAYGROUND_BLOCKS || path.join(home, "blocks"));
  return { home, databaseUrl, blocksDir };
}
