/**
 * Maps errors to JSON responses (the wire contract's ApiError, the schema of every route's error
 * statuses): input errors keep their status and message, anything else is a 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { ApiError } from "@dqm-playground/api-types";
import { InputError } from "../errors";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  429: "Too Many Requests",
};

export function errorHandler(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  let status = 500;
  let message = "internal error; the server log has the details";
  let where: InputError["where"] | undefined;
  if (err instanceof InputError) {
    status = err.statusCode;
    message = err.message;
    // the row of an uploaded table, for clients that map it to a line of their file
    if (err.where.row !== undefined || err.where.line !== undefined || err.where.column !== undefined)
      where = { row: err.where.row, line: err.where.line, column: err.where.column };
  } else if ("validation" in err && err.validation) {
    status = 400;
    message = `invalid request: ${err.message}`;
  } else if ("statusCode" in err && typeof err.statusCode === "number" && err.statusCode < 500) {
    status = err.statusCode;
    message = err.message;
  }
  if (status >= 500) request.log.error({ err }, "request failed");
  const body: ApiError = {
    statusCode: status,
    error: STATUS_TEXT[status] ?? "Internal Server Error",
    message,
    where,
  };
  void reply.status(status).send(body);
}
