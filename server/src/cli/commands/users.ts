/** `user add NAME [--admin]`: a new user and its bearer token, shown once. */
import type { Command } from "commander";
import { action } from "../actions";
import { withOwnStore } from "../store-access";
import { say } from "../format";

export function registerUsers(program: Command): void {
  const user = program.command("user").description("Manage users (see 'user <command> --help')");

  user
    .command("add")
    .description(
      "Create a user and print its bearer token. Only the token's sha256 is stored: the token is shown this once. " +
        "Participants submit and see leaderboards; admins also publish and close tasks.",
    )
    .argument("<name>", "user name: 1-64 letters, digits, '.', '_', '@' or '-'")
    .option("--admin", "give the user the admin role")
    .option("--json", "print JSON {name, role, token}")
    .action(
      action(async (name: string, opts: { admin?: boolean; json?: boolean }) => {
        const created = await withOwnStore(
          (store) => store.users.create(name, opts.admin ? "admin" : "participant"),
          "before adding users",
        );
        if (opts.json)
          return void process.stdout.write(
            JSON.stringify(
              { name: created.user.name, role: created.user.role, token: created.token },
              null,
              2,
            ) + "\n",
          );
        say(
          `created ${created.user.role} '${created.user.name}'; its token (shown only now, keep it secret):\n${created.token}\n`,
        );
      }),
    );
}
