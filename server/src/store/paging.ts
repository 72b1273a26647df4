/** Cursor pagination of list responses: `{items, total, next}`, `next` passed back as `?cursor=`. */
import { InputError } from "../errors";

export interface Page<T> {
  items: T[];
  total: number;
  next: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Cursors are opaque to clients: the offset of the next item, base64url-encoded. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === "") return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!m)
    throw new InputError(`invalid cursor '${cursor}': pass back the 'next' value of the previous page`, {
      column: "cursor",
    });
  return Number(m[1]);
}

export function paginate<T>(all: T[], req: PageRequest): Page<T> {
  const offset = decodeCursor(req.cursor);
  const items = all.slice(offset, offset + req.limit);
  const end = offset + items.length;
  return { items, total: all.length, next: end < all.length ? encodeCursor(end) : null };
}
