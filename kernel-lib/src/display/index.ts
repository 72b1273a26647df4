/** Rich outputs in notebook cells. */
export {
  sink,
  setSink,
  detectSink,
  textSink,
  recordingSink,
  type DisplaySink,
  type DisplayHandle,
  type MimeBundle,
  type RecordingSink,
} from "./sink";
export { show, showHtml, DisplayableObject, isDisplayable, VEGA_LITE_MIME, type Displayable } from "./show";
export { htmlTable, textTable, escapeHtml, formatCell, type TableData, type Cell } from "./html";
export { FitProgress, type EpochLog, type ProgressOptions } from "./progress";
