/**
 * Errors that carry where bad input was found, so every message names file, line and column.
 * The REST layer maps them to 4xx responses; the CLI prints the message on one line.
 */

/**
 * Where in an input a problem was found. `line` is 1-based (the header is line 1 of a CSV); `row` is
 * the 1-based data row of a table that has no lines (an uploaded Arrow stream: the server cannot know
 * the lines of the file it came from; the CLI adds them).
 */
export interface InputLocation {
  file?: string;
  line?: number;
  row?: number;
  column?: string;
}

export function formatLocation(where: InputLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.file);
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.column !== undefined) parts.push(`column '${where.column}'`);
  return parts.join(", ");
}

/** Bad input from a user: a file, a request parameter, a submission. Never a bug of ours. */
export class InputError extends Error {
  readonly where: InputLocation;
  readonly statusCode: number;

  constructor(message: string, where: InputLocation = {}, statusCode = 400) {
    const at = formatLocation(where);
    super(at ? `${at}: ${message}` : message);
    this.name = "InputError";
    this.where = where;
    this.statusCode = statusCode;
  }
}

/** A named thing (data set, monitor element, run, task) that does not exist. */
export class NotFoundError extends InputError {
  constructor(message: string) {
    super(message, {}, 404);
    this.name = "NotFoundError";
  }
}

/** A request that conflicts with what is stored (a duplicate, a closed task). */
export class ConflictError extends InputError {
  constructor(message: string, where: InputLocation = {}) {
    super(message, where, 409);
    this.name = "ConflictError";
  }
}
