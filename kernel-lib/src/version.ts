/** The library's name and version, sent with submissions as the client version. */
import fs from "node:fs";
import path from "node:path";

export const LIBRARY_NAME = "@dqm-playground/kernel";

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export const VERSION: string = readVersion();

/** `@dqm-playground/kernel 0.1.0`: what a submission records as its client. */
export const CLIENT_VERSION = `${LIBRARY_NAME} ${VERSION}`;
