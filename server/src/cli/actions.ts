/** Shared pieces of CLI commands: argument parsing and one-line failures. */
import { InvalidArgumentError } from "commander";
import { printableLine } from "./format";

export function parseInteger(value: string): number {
  const n = Number(value);
  // Number("") is 0: an empty argument is refused, not taken as port 0.
  if (value.trim() === "" || !Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`'${value}' is not a non-negative integer`);
  return n;
}

/**
 * The one-line text of anything thrown. Errors give their message; other objects (the emscripten
 * file-system errors of PGlite carry only `name` and `errno`) their fields, never "[object Object]".
 */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "object" && err !== null) {
    const { name, message, errno, code } = err as Record<string, unknown>;
    const parts = [name, message, code, errno === undefined ? undefined : `errno ${String(errno)}`]
      .filter((p) => p !== undefined && p !== null && p !== "")
      .map(String);
    if (parts.length > 0) return parts.join(": ");
    try {
      return JSON.stringify(err);
    } catch {
      return Object.prototype.toString.call(err);
    }
  }
  return String(err);
}

/** Runs a command action; any failure is one line on stderr and exit code 1. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      process.stderr.write(`dqm-playground: ${printableLine(errorText(err).replace(/\s*\n\s*/g, " "))}\n`);
      process.exitCode = 1;
    }
  };
}
