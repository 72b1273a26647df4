/**
 * Maps errors to JSON responses (the wire contract's ApiError, the schema of every route's error
 * statuses): input errors keep their status and message, anything else is a 500.
 */
import { STATUS_CODES } from "node:http";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ARROW_STREAM, type ApiError } from "@dqm-playground/api-types";
import { InputError } from "../errors";

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
  } else if ("code" in err && err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    status = 415;
    message = `body of type '${request.headers["content-type"] ?? ""}' not accepted: send application/json (submissions: or ${ARROW_STREAM})`;
  } else if ("statusCode" in err && typeof err.statusCode === "number" && err.statusCode < 500) {
    status = err.statusCode;
    message = err.message;
  }
  if (status >= 500) request.log.error({ err }, "request failed");
  const body: ApiError = {
    statusCode: status,
    // The reason phrase of the status itself (HTTP's table), so a 415 never says "Internal Server Error".
    error: STATUS_CODES[status] ?? (status < 500 ? "Bad Request" : "Internal Server Error"),
    message,
    where,
  };
  void reply.status(status).send(body);
}
