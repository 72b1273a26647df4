/**
 * TEST-ONLY door into a store: its database and its block folder, for tests that look under the store's
 * interface (count rows, corrupt or list files, insert a row no route would). Only tests import it:
 * the server's own code goes through the store's methods and repositories.
 */
import type { Kysely } from "kysely";
import type { Store } from "./store";
import type { Database } from "./schema";

export interface StoreInternals {
  db: Kysely<Database>;
  blocksDir: string;
}

export function storeInternals(store: Store): StoreInternals {
  // Element access reaches the private fields on purpose: this is the one place that may.
  return { db: store["database"], blocksDir: store["blocks"] };
}
