/**
 * Bad input to a metric: an empty or NaN score set, a rate outside [0, 1]. `statusCode` 400 lets the
 * service's REST layer answer it as a client error; the package itself knows nothing of HTTP.
 */
export class ScoringInputError extends Error {
  readonly statusCode = 400;

  constructor(message: string) {
    super(message);
    this.name = "ScoringInputError";
  }
}
