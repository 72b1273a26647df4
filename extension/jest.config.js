/** Unit tests of the extension's models and widgets in jsdom, with JupyterLab's jest setup. */
const jestJupyterLab = require("@jupyterlab/testing/lib/jest-config");

// ES modules among the dependencies, compiled by babel for jest (as in jupyterlab/extension-template).
const esModules = [
  "@codemirror",
  "@jupyter/ydoc",
  "@jupyter/react-components",
  "@jupyter/web-components",
  "@jupyterlab/",
  "@marijn",
  "@microsoft",
  "exenv-es6",
  "lib0",
  "marked",
  "nanoid",
  "vscode-ws-jsonrpc",
  "y-protocols",
  "y-websocket",
  "yjs",
].join("|");

const base = jestJupyterLab(__dirname);

module.exports = {
  ...base,
  reporters: ["default"],
  roots: ["<rootDir>/test"],
  setupFiles: [...base.setupFiles, "<rootDir>/test/setup.js"],
  moduleNameMapper: {
    ...base.moduleNameMapper,
    // vega-embed is loaded lazily in the browser; tests check the specs, not the rendering.
    "^vega-embed$": "<rootDir>/test/mocks/vega-embed.ts",
  },
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`],
};
