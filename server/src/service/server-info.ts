/**
 * `server.json` in the home folder tells other processes on the machine (the CLI, the kernel library,
 * the JupyterLab extension's launcher) where the running playground server listens. Its format and
 * the rules for finding it are the wire contract's (api-types/src/wire/discovery.ts), shared with the
 * kernel library and followed by the Python launcher.
 */
import { findRunningServer as findServer, type ServerInfo } from "@dqm-playground/api-types/discovery";

export {
  readServerInfo,
  removeServerInfo,
  serverInfoPath,
  writeServerInfo,
  type ServerInfo,
} from "@dqm-playground/api-types/discovery";

/** The server described by server.json if it is alive and answers as a playground server. */
export async function findRunningServer(home: string): Promise<ServerInfo | null> {
  return (await findServer(home))?.info ?? null;
}
