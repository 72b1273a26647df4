/**
 * Reader of per-lumisection OMS run conditions: the columnar JSON that CMS tools save (an object of
 * equal-length arrays) or a list of row objects with the same keys. Keys it does not know are ignored;
 * every `*_ready` key becomes a ready bit.
 */
import { InputError } from "../errors";
import type { LumisectionMetadata } from "./types";
import { parseJsonText, readInputText } from "./input-files";
import { describeValue } from "./values";

type Kind = "integer" | "number" | "boolean";

/** Known OMS columns and the metadata field each fills. */
const FIELDS: ReadonlyArray<[column: string, field: keyof LumisectionMetadata, kind: Kind]> = [
  ["fill_number", "fill", "integer"],
  ["delivered_lumi_per_lumisection", "deliveredLumi", "number"],
  ["recorded_lumi_per_lumisection", "recordedLumi", "number"],
  ["pileup", "pileup", "number"],
  ["physics_flag", "physicsFlag", "boolean"],
  ["beams_stable", "beamsStable", "boolean"],
  ["cms_active", "cmsActive", "boolean"],
];
const REQUIRED = ["run_number", "lumisection_number"];

/** Values of one column by row index: an array of the columnar form, or a key of every row object. */
type Column = (i: number) => unknown;

/** Reads OMS run conditions, one entry per lumisection in file order (fields absent from the file are null). */
export async function readOmsJson(path: string): Promise<LumisectionMetadata[]> {
  const doc = parseJsonText(await readInputText(path), path);
  const { names, length, column } = Array.isArray(doc) ? rowObjects(doc, path) : columnar(doc, path);
  const missing = REQUIRED.filter((c) => !names.has(c));
  if (missing.length > 0)
    throw new InputError(`missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`, {
      file: path,
    });

  const value = (name: string, kind: Kind, required: boolean): Column => {
    const get = column(name);
    return (i) => {
      const v = get(i);
      if (v === null || v === undefined) {
        if (!required) return null;
      } else if (kind === "boolean" ? typeof v === "boolean" : typeof v === "number" && Number.isFinite(v)) {
        if (kind !== "integer" || (Number.isSafeInteger(v) && (v as number) >= 0)) return v;
      }
      const expected = {
        integer: "a non-negative integer",
        number: "a finite number",
        boolean: "true or false",
      }[kind];
      throw new InputError(
        `index ${i}: expected ${expected}${required ? "" : " or null"}, got ${describeValue(v)}`,
        {
          file: path,
          column: name,
        },
      );
    };
  };
  const run = value("run_number", "integer", true);
  const ls = value("lumisection_number", "integer", true);
  const fields = FIELDS.filter(([c]) => names.has(c)).map(
    ([c, field, kind]) => [field, value(c, kind, false)] as const,
  );
  const ready = [...names]
    .filter((c) => c.endsWith("_ready"))
    .map((c) => [c, value(c, "boolean", false)] as const);

  const rows: LumisectionMetadata[] = [];
  for (let i = 0; i < length; i++) {
    const row: LumisectionMetadata = {
      run: run(i) as number,
      lumisection: ls(i) as number,
      fill: null,
      deliveredLumi: null,
      recordedLumi: null,
      pileup: null,
      physicsFlag: null,
      beamsStable: null,
      cmsActive: null,
    };
    const target = row as unknown as Record<string, unknown>;
    for (const [field, get] of fields) target[field] = get(i);
    if (ready.length > 0) {
      const bits: Record<string, boolean> = {};
      for (const [name, get] of ready) {
        const v = get(i);
        if (typeof v === "boolean") bits[name] = v;
      }
      row.readyBits = bits;
    }
    rows.push(row);
  }
  return rows;
}

interface Columns {
  names: Set<string>;
  length: number;
  column: (name: string) => Column;
}

/** `{"run_number": [...], "lumisection_number": [...], ...}`: every array as long as run_number. */
function columnar(doc: unknown, file: string): Columns {
  if (typeof doc !== "object" || doc === null)
    throw new InputError(
      `expected an object of equal-length columns or a list of row objects, got ${describeValue(doc)}`,
      { file, line: 1 },
    );
  const obj = doc as Record<string, unknown>;
  const known = new Set([...REQUIRED, ...FIELDS.map(([c]) => c)]);
  const names = new Set<string>();
  for (const [name, v] of Object.entries(obj)) {
    if (!known.has(name) && !name.endsWith("_ready")) continue;
    if (!Array.isArray(v))
      throw new InputError(`expected a list of values, got ${describeValue(v)}`, { file, column: name });
    names.add(name);
  }
  const runs = obj.run_number;
  const length = Array.isArray(runs) ? runs.length : 0;
  // Without run_number the caller reports it missing; lengths are compared against it only.
  if (Array.isArray(runs))
    for (const name of names) {
      const n = (obj[name] as unknown[]).length;
      if (n !== length)
        throw new InputError(`column ${name} has ${n} values, but run_number has ${length}`, {
          file,
          column: name,
        });
    }
  return { names, length, column: (name) => (i) => (obj[name] as unknown[])[i] };
}

/** `[{"run_number": 1, "lumisection_number": 1, ...}, ...]`: a key missing from a row reads as null. */
function rowObjects(doc: unknown[], file: string): Columns {
  const names = new Set<string>();
  doc.forEach((row, i) => {
    if (typeof row !== "object" || row === null || Array.isArray(row))
      throw new InputError(`index ${i}: expected a row object, got ${describeValue(row)}`, { file });
    for (const k of Object.keys(row)) names.add(k);
  });
  const rows = doc as Array<Record<string, unknown>>;
  return { names, length: rows.length, column: (name) => (i) => rows[i][name] };
}
