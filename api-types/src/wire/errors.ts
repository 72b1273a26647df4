/**
 * Error bodies of the API. Every non-2xx answer of the service is `{statusCode, error, message,
 * where?}` (server/src/api/errors.ts); a client shows `message` unchanged. Anything else (a proxy's
 * HTML page, plain text) is summarised instead.
 */
import type { ApiError } from "../schemas";
import { isObject, parseJsonObject } from "./json";

/** Where in an uploaded input an error is, when the service can say. */
export type ErrorWhere = NonNullable<ApiError["where"]>;

/**
 * The fields of an error body in a response text, each only when it has the right type; null when
 * the text is not a JSON object (not the service's answer).
 */
export function parseErrorBody(text: string): Partial<ApiError> | null {
  const b = parseJsonObject(text);
  if (!b) return null;
  const out: Partial<ApiError> = {};
  if (typeof b.statusCode === "number") out.statusCode = b.statusCode;
  if (typeof b.error === "string") out.error = b.error;
  if (typeof b.message === "string") out.message = b.message;
  if (isObject(b.where)) out.where = b.where as ErrorWhere;
  return out;
}

/** A text's start without HTML tags and runs of white space, cut at `max` characters (with "…"). */
export function summariseText(text: string, max = 200): string {
  const plain = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > max ? `${plain.slice(0, max)}…` : plain;
}

/**
 * The message of an error answer: the service's own (`fromService`), else a summary of whatever else
 * answered (`summariseText`; "" for an empty body).
 */
export function describeErrorBody(text: string): { message: string; fromService: boolean } {
  const message = parseErrorBody(text)?.message;
  if (message !== undefined) return { message, fromService: true };
  return { message: summariseText(text), fromService: false };
}
