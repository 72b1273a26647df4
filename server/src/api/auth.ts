/**
 * Bearer-token authentication. Every route but the service status and the OpenAPI document needs a
 * valid token; admin-only routes also check the role. OPTIONS requests (CORS preflights) pass: no
 * route answers OPTIONS with data, the CORS plugin answers allowed preflights and the rest get 404.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Store } from "../store/store";
import type { User } from "../store/users";
import { InputError } from "../errors";
import { AUTH_FAILURES_PER_MINUTE, AuthThrottle } from "./auth-throttle";

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

export function authHook(
  store: Store,
  throttle = new AuthThrottle({ maxFailures: AUTH_FAILURES_PER_MINUTE, windowMs: 60_000 }),
) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    req.user = null;
    // CORS preflights never carry a token (browsers strip it); they reach no route handler with data.
    if (req.method === "OPTIONS") return;
    const route = req.routeOptions.url ?? "";
    if (PUBLIC_ROUTES.has(route) || !route.startsWith("/api/v1")) return;
    const wait = throttle.blockedFor(req.ip);
    if (wait > 0) {
      void reply.header("retry-after", String(wait));
      throw new InputError(`too many failed authentications from ${req.ip}: try again in ${wait} s`, {}, 429);
    }
    const fail = (message: string): AuthError => {
      throttle.fail(req.ip);
      return new AuthError(message, 401);
    };
    const header = req.headers.authorization;
    if (!header)
      throw fail(
        "missing 'Authorization: Bearer <token>' header (the local token is in $DQM_PLAYGROUND_HOME/token)",
      );
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw fail("malformed Authorization header: expected 'Bearer <token>'");
    const user = await store.users.byToken(m[1]);
    if (!user) throw fail("unknown or revoked token");
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
