/** Constants of the wire, for the service and its two clients alike. */

/** Media type of the Arrow IPC streams (splits, histogram tables, submissions). */
export const ARROW_STREAM = "application/vnd.apache.arrow.stream";

/** Response header with the sha256 of a task split's Arrow stream (exposed to browsers by CORS). */
export const SPLIT_SHA256_HEADER = "x-split-sha256";
