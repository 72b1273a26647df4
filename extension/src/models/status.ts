/** What a panel's model is doing: shown by the panel as a message, an error with a retry, or nothing. */
import { PlaygroundError } from "../request";

export type LoadStatus =
  | { state: "idle" }
  | { state: "loading"; what: string }
  | { state: "ready" }
  | { state: "error"; what: string; message: string; error: unknown };

export const IDLE: LoadStatus = { state: "idle" };
export const READY: LoadStatus = { state: "ready" };

export function loading(what: string): LoadStatus {
  return { state: "loading", what };
}

/** An error status whose message names what failed and why. */
export function failed(what: string, error: unknown): LoadStatus {
  const reason =
    error instanceof PlaygroundError
      ? error.message
      : error instanceof Error
        ? error.message || error.name
        : String(error);
  return { state: "error", what, message: `Could not load ${what}. ${reason}`, error };
}
