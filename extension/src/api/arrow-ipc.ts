/**
 * apache-arrow's IPC stream reader, and nothing else of it: the client imports this module dynamically
 * with the first histograms, so Arrow is a chunk of its own, tree-shaken to the reader.
 */
export { tableFromIPC } from "apache-arrow";
