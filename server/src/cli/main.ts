#!/usr/bin/env node
/** `dqm-playground`: the command-line interface of the playground service. */
import { Command } from "commander";
import { SERVER_VERSION } from "../version";
import { registerServe } from "./commands/serve";
import { registerIngest } from "./commands/ingest";
import { registerDemo } from "./commands/demo";
import { registerBrowse } from "./commands/browse";
import { registerTasks } from "./commands/tasks";
import { registerLeaderboard } from "./commands/leaderboard";
import { registerSubmit } from "./commands/submit";
import { registerUsers } from "./commands/users";
import { registerReference } from "./commands/reference";
import { registerLogin } from "./commands/login";
import { errorText } from "./actions";
import { printableLine } from "./format";

export function buildProgram(): Command {
  const program = new Command("dqm-playground")
    .description(
      "CMS DQM ML Playground service. State lives in $DQM_PLAYGROUND_HOME (default ~/.dqm-playground); " +
        "DATABASE_URL selects a shared PostgreSQL server instead of the embedded database.",
    )
    .version(SERVER_VERSION)
    .showHelpAfterError();
  registerServe(program);
  registerIngest(program);
  registerDemo(program);
  registerBrowse(program);
  registerTasks(program);
  registerLeaderboard(program);
  registerSubmit(program);
  registerUsers(program);
  registerReference(program);
  registerLogin(program);
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`dqm-playground: ${printableLine(errorText(err).replace(/\s*\n\s*/g, " "))}\n`);
      process.exitCode = 1;
    });
}
