/**
 * Route-level schema pieces of the REST API. The resources' schemas themselves (responses, parameters,
 * bodies) live in @dqm-playground/api-types (api-types/src/schemas/), written once with TypeBox; the
 * routes use them through the TypeBox type provider, so handlers get typed requests and replies.
 */
import type { Readable } from "node:stream";
import { Type, type Static, type TSchema, type TUnsafe } from "@sinclair/typebox";
import { ApiErrorSchema, ARROW_STREAM } from "@dqm-playground/api-types";

/** The error statuses the API answers with (errors.ts writes their bodies). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500;

/** Response schemas for the error statuses a route can send: every one has the error body. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S, typeof ApiErrorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ApiErrorSchema])) as Record<S, typeof ApiErrorSchema>;
}

/**
 * The errors of every route behind the token: 401 (no or unknown token) and 500. Routes add what
 * their input can cause: 400 (invalid parameters), 403 (admin only, or withheld labels), 404, ...
 */
export const AUTH_ERRORS = [401, 500] as const;
/** What a request body adds: 400 (invalid JSON or schema), 413 (too large), 415 (media type). */
export const BODY_ERRORS = [400, 413, 415] as const;

/** An Arrow IPC stream answered as it is (streamed, never through the JSON serializer). */
export const ArrowStreamSchema: TUnsafe<Readable> = Type.Unsafe<Readable>({
  type: "string",
  format: "binary",
  description: `An Arrow IPC stream (${ARROW_STREAM})`,
});

/** A JSON 200 answer, or the same data as an Arrow stream (the Accept header or format=arrow). */
export function jsonOrArrow<T extends object>(json: T) {
  return {
    content: {
      "application/json": { schema: json },
      [ARROW_STREAM]: { schema: ArrowStreamSchema },
    },
  } as const;
}

/**
 * A request body with one schema per media type (Fastify validates each body with the schema of its
 * Content-Type), typed for the handler as the union of their types.
 */
export function bodyByMediaType<C extends Record<string, TSchema>>(content: C): TUnsafe<Static<C[keyof C]>> {
  const byType = Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }]));
  // Fastify reads `content`; the type provider reads the static type.
  return { content: byType } as unknown as TUnsafe<Static<C[keyof C]>>;
}
