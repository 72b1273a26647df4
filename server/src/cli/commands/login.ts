/**
 * `login URL` and `logout`: a shared playground service for this home. The token is read from standard
 * input (piped) or asked for without echo, never taken as an argument (it would show in the process
 * list and the shell history), checked against the service, and stored with the URL in the home's
 * login.json (mode 0600). Never printed. While it is there, every command the API serves goes to that
 * service (store-access.ts), and so does the kernel library.
 */
import readline from "node:readline";
import type { Command } from "commander";
import { loginPath, probeHealth, removeLogin, writeLogin } from "@dqm-playground/api-types/discovery";
import { action } from "../actions";
import { say } from "../format";
import { ApiError, apiRequest, httpTarget } from "../store-access";
import { resolveConfig } from "../../config";

/** The token from a pipe, or typed at a terminal without echo. */
async function readTokenInput(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += String(chunk);
    return text.trim();
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Echo nothing of what is typed after the prompt.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  process.stderr.write("token: ");
  const token = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stderr.write("\n");
  return token.trim();
}

/** Checks that `url` is a playground service that accepts `token` (a GET of the task list). */
async function checkLogin(url: string, token: string): Promise<void> {
  if (!(await probeHealth(url, 10_000))) throw new Error(`no DQM Playground service answers at ${url}`);
  try {
    await apiRequest(httpTarget(url, token), "GET", "tasks");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401)
      throw new Error(`the service at ${url} refused this token`);
    throw err instanceof ApiError ? new Error(`the service at ${url}: ${err.message}`) : err;
  }
}

export function registerLogin(program: Command): void {
  program
    .command("login")
    .description(
      "Use a shared playground service from this home: reads your token from standard input (or asks for it " +
        "without echo), checks it with the service, and stores both in $DQM_PLAYGROUND_HOME/login.json (mode 0600). " +
        "Commands and notebooks then use that service until 'logout'.",
    )
    .argument("<url>", "the service's root URL, e.g. https://dqm-playground.cern.ch")
    .action(
      action(async (rawUrl: string) => {
        let url: string;
        try {
          const u = new URL(rawUrl);
          if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
          url = u.toString().replace(/\/+$/, "");
        } catch {
          throw new Error(`'${rawUrl}' is not an http or https URL`);
        }
        const token = await readTokenInput();
        if (token === "") throw new Error("no token given (pipe it in, or type it when asked)");
        await checkLogin(url, token);
        const { home } = resolveConfig();
        writeLogin(home, { url, token });
        say(`logged in to ${url}; stored in ${loginPath(home)} (mode 0600)\n`);
      }),
    );
  program
    .command("logout")
    .description(
      "Forget the shared service of this home (remove login.json): commands use the local store again",
    )
    .action(
      action(async () => {
        const { home } = resolveConfig();
        say(removeLogin(home) ? `logged out: removed ${loginPath(home)}\n` : "not logged in\n");
      }),
    );
}
