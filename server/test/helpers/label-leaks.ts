/**
 * Finds test labels in a JSON response: the label-like fields of any object that names a run whose
 * labels must stay hidden. Shared by the leak tests of every route.
 */
export const LABEL_FIELDS = ["label", "golden", "goldenFraction", "bad", "dcs", "flags"];

/** Paths of objects in a JSON body that name a hidden run and carry a non-empty label-like field. */
export function leaks(body: unknown, hidden: Set<number>, path = "$"): string[] {
  if (Array.isArray(body)) return body.flatMap((v, i) => leaks(v, hidden, `${path}[${i}]`));
  if (body === null || typeof body !== "object") return [];
  const o = body as Record<string, unknown>;
  const found: string[] = [];
  if (typeof o.run === "number" && hidden.has(o.run))
    for (const f of LABEL_FIELDS) {
      const v = o[f];
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) found.push(`${path}.${f}`);
    }
  for (const [k, v] of Object.entries(o)) found.push(...leaks(v, hidden, `${path}.${k}`));
  return found;
}
