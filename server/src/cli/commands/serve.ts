import type { Command } from "commander";
import { resolveConfig } from "../../config";
import { action, parseInteger } from "../actions";
import type { RunningServer } from "../../service/serve";
import { say } from "../format";

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
        const { serve } = await import("../../service/serve.js");
        // The handlers go in before the server starts: serve() advertises it in server.json, and a
        // SIGTERM right after (a client that read server.json) must still remove it and the lock.
        let server: RunningServer | null = null;
        let stopping = false;
        const stop = () => {
          if (stopping) return;
          stopping = true;
          if (server) void server.close().finally(() => process.exit(0));
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        try {
          server = await serve(config, { port: opts.port, host: opts.host, logger: !opts.quiet });
        } catch (err) {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          throw err;
        }
        if (!server.started) {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          say(
            `dqm-playground is already running at ${server.info.url} (pid ${server.info.pid}); reusing it\n`,
          );
          return;
        }
        if (stopping) {
          // A signal came while starting.
          await server.close();
          process.exit(0);
        }
        say(`dqm-playground serving ${config.home} (${server.info.engine}) at ${server.info.url}\n`);
      }),
    );
}
