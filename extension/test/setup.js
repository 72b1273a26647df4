// Browser APIs that jsdom lacks and the panels or Vega touch.
const v8 = require("v8");

if (!window.URL.createObjectURL) window.URL.createObjectURL = () => "blob:dqm-test";
if (!window.URL.revokeObjectURL) window.URL.revokeObjectURL = () => undefined;
if (typeof globalThis.structuredClone !== "function")
  globalThis.structuredClone = (value) => v8.deserialize(v8.serialize(value));
// No canvas in jsdom: Vega then estimates text widths instead of measuring them.
window.HTMLCanvasElement.prototype.getContext = () => null;
