/**
 * Users and bearer tokens. Tokens are random 256-bit strings shown once; only their sha256 is stored.
 * The embedded default has one local admin whose token lives in `$DQM_PLAYGROUND_HOME/token` (mode
 * 0600), so the kernel library and the JupyterLab extension on the same machine find it themselves.
 */
import { tokenPath } from "@dqm-playground/api-types/discovery";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import type { Database } from "./schema";
import { ConflictError, InputError } from "../errors";

export type Role = "participant" | "admin";

export interface User {
  id: number;
  name: string;
  role: Role;
}

export const LOCAL_ADMIN = "local-admin";

export function newToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

function tokenHash(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export async function createUser(
  db: Kysely<Database>,
  name: string,
  role: Role,
  token = newToken(),
): Promise<{ user: User; token: string }> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name))
    throw new InputError(`invalid user name '${name}': use 1-64 letters, digits, '.', '_', '@' or '-'`);
  const exists = await db.selectFrom("users").select("id").where("name", "=", name).executeTakeFirst();
  if (exists) throw new ConflictError(`a user named '${name}' exists already`);
  const row = await db
    .insertInto("users")
    .values({ name, role, token_sha256: tokenHash(token) })
    .returning(["id", "name", "role"])
    .executeTakeFirstOrThrow();
  return { user: row, token };
}

export async function userByToken(db: Kysely<Database>, token: string): Promise<User | null> {
  const row = await db
    .selectFrom("users")
    .select(["id", "name", "role"])
    .where("token_sha256", "=", tokenHash(token))
    .executeTakeFirst();
  return row ?? null;
}

export async function userByName(db: Kysely<Database>, name: string): Promise<User | null> {
  return (
    (await db
      .selectFrom("users")
      .select(["id", "name", "role"])
      .where("name", "=", name)
      .executeTakeFirst()) ?? null
  );
}

/** Where the home's local admin token is (the one rule of the wire contract's discovery). */
export { tokenPath };

/**
 * The local admin's user name. The embedded store belongs to one home: "local-admin". On a shared
 * PostgreSQL database each home (machine and folder) gets its own admin, since a user has one token
 * and one home's `serve` must not replace the token another home's clients read from their file.
 */
export function localAdminName(home: string, shared: boolean): string {
  if (!shared) return LOCAL_ADMIN;
  const where = `${os.hostname()}:${path.resolve(home)}`;
  return `${LOCAL_ADMIN}-${crypto.createHash("sha256").update(where).digest("hex").slice(0, 8)}`;
}

/**
 * Makes sure the local admin exists and its token is in the home folder. An existing token file is
 * kept (clients may have read it); a missing one is written anew and the user's token replaced.
 * `shared`: the database is shared by several homes (see `localAdminName`).
 */
export async function ensureLocalAdmin(
  db: Kysely<Database>,
  home: string,
  opts: { shared?: boolean } = {},
): Promise<User> {
  const name = localAdminName(home, opts.shared ?? false);
  const file = tokenPath(home);
  let token = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
  if (!token) {
    token = newToken();
    fs.mkdirSync(home, { recursive: true, mode: 0o700 }); // a new home is private (see StoreLock)
    fs.writeFileSync(file, token + "\n", { mode: 0o600 });
  }
  fs.chmodSync(file, 0o600);
  const existing = await userByName(db, name);
  if (!existing) return (await createUser(db, name, "admin", token)).user;
  await db
    .updateTable("users")
    .set({ token_sha256: tokenHash(token), role: "admin" })
    .where("id", "=", existing.id)
    .execute();
  return { ...existing, role: "admin" };
}

/** The users repository: `store.users`. */
export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** A new user and its token (random unless given), shown this once: only its sha256 is stored. */
  create(name: string, role: Role, token?: string): Promise<{ user: User; token: string }> {
    return createUser(this.db, name, role, token);
  }

  byToken(token: string): Promise<User | null> {
    return userByToken(this.db, token);
  }

  byName(name: string): Promise<User | null> {
    return userByName(this.db, name);
  }

  /** See `ensureLocalAdmin`. */
  ensureLocalAdmin(home: string, opts: { shared?: boolean } = {}): Promise<User> {
    return ensureLocalAdmin(this.db, home, opts);
  }
}
