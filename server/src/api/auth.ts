/**
 * Bearer-token authentication. Every route but the service status and the OpenAPI document needs a
 * valid token; admin-only routes also check the role. OPTIONS requests (CORS preflights) pass: no
 * route answers OPTIONS with data, the CORS plugin answers allowed preflights and the rest get 404.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Store } from "../store/store";
import type { User } from "../store/users";
import { InputError } from "../errors";

declare module "fastify" {
  interface FastifyRequest {
    user: User | null;
  }
}

export class AuthError extends InputError {
  constructor(message: string, status: 401 | 403) {
    super(message, {}, status);
    this.name = "AuthError";
  }
}

const PUBLIC_ROUTES = new Set(["/api/v1/health", "/api/v1/openapi.json"]);

export function authHook(store: Store) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    req.user = null;
    // CORS preflights never carry a token (browsers strip it); they reach no route handler with data.
    if (req.method === "OPTIONS") return;
    const route = req.routeOptions.url ?? "";
    if (PUBLIC_ROUTES.has(route) || !route.startsWith("/api/v1")) return;
    const header = req.headers.authorization;
    if (!header)
      throw new AuthError(
        "missing 'Authorization: Bearer <token>' header (the local token is in $DQM_PLAYGROUND_HOME/token)",
        401,
      );
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new AuthError("malformed Authorization header: expected 'Bearer <token>'", 401);
    const user = await store.users.byToken(m[1]);
    if (!user) throw new AuthError("unknown or revoked token", 401);
    req.user = user;
  };
}

export function requireUser(req: FastifyRequest): User {
  if (!req.user) throw new AuthError("authentication required", 401);
  return req.user;
}

export function requireAdmin(req: FastifyRequest): User {
  const user = requireUser(req);
  if (user.role !== "admin")
    throw new AuthError(`user '${user.name}' is not an admin: this needs the admin role`, 403);
  return user;
}
