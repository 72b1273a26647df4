/** Paged lists of the API: `{items, total, next}`, where `next` is the cursor of the next page or null. */

/** A page as the loops below need it (`Page<T>` of the API, or a client's looser view of it). */
export interface PageOf<T> {
  items: T[];
  next?: string | number | null;
}

/**
 * Every item of a paged list: `getPage(cursor)` fetches one page (`cursor` undefined for the first),
 * until a page has no `next` (null, undefined or "").
 */
export async function fetchAllPages<T>(
  getPage: (cursor: string | number | undefined) => Promise<PageOf<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | number | undefined;
  for (;;) {
    const page = await getPage(cursor);
    for (const item of page.items) items.push(item);
    if (page.next === null || page.next === undefined || page.next === "") return items;
    cursor = page.next;
  }
}
