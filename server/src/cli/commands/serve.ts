import type { Command } from "commander";
import { resolveConfig } from "../../config";
import { serve } from "../../service/serve";
import { action, parseInteger } from "../actions";

export const DEFAULT_PORT = 8750;

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("Serve the REST API (reuses the server already running on this home, if any)")
    .option("-p, --port <port>", "TCP port (0 picks a free one)", parseInteger, DEFAULT_PORT)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--quiet", "no request log")
    .action(
      action(async (opts: { port: number; host: string; quiet?: boolean }) => {
        const config = resolveConfig();
        const server = await serve(config, { port: opts.port, host: opts.host, logger: !opts.quiet });
        if (!server.started) {
          process.stdout.write(
            `dqm-playground is already running at ${server.info.url} (pid ${server.info.pid}); reusing it\n`,
          );
          return;
        }
        process.stdout.write(
          `dqm-playground serving ${config.home} (${server.info.engine}) at ${server.info.url}\n`,
        );
        const stop = () => {
          server.close().finally(() => process.exit(0));
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      }),
    );
}
