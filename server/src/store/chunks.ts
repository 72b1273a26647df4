/** Runs `write` on consecutive slices of `rows`: keeps each INSERT's parameter count well below PostgreSQL's limit. */
export async function inChunks<T>(
  rows: T[],
  write: (chunk: T[]) => Promise<unknown>,
  size = 2000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}
