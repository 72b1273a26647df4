/** The server package's version, read once from its package.json. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const SERVER_VERSION: string = (require("../package.json") as { version: string }).version;
