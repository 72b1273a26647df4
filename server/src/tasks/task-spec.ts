/**
 * The task specification: what a task freezes. One JSON schema validates the CLI's JSON/YAML files and
 * the REST body alike, and documents the format in the OpenAPI document.
 */
import Ajv, { type ErrorObject } from "ajv";
import YAML from "yaml";
import { InputError } from "../errors";

export const LABELLING_RULES = ["golden-among-dcs"] as const;

export const taskSpecSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "dataset", "features"],
  properties: {
    name: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{1,62}$", description: "URL-safe task id" },
    title: { type: "string", maxLength: 200 },
    description: { type: "string", maxLength: 20000 },
    dataset: { type: "string", minLength: 1 },
    features: {
      type: "array",
      minItems: 1,
      maxItems: 64,
      uniqueItems: true,
      items: { type: "string", minLength: 1 },
      description: "Monitor elements whose histograms are the features",
    },
    labelling: {
      type: "string",
      enum: [...LABELLING_RULES],
      default: "golden-among-dcs",
      description: "golden-among-dcs: among DCS-on lumisections, good = in the golden JSON, bad = not",
    },
    runs: {
      type: "object",
      additionalProperties: false,
      properties: { min: { type: "integer", minimum: 0 }, max: { type: "integer", minimum: 0 } },
    },
    split: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        test_fraction: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.5 },
        public_fraction: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.5 },
        seed: { type: "integer", minimum: 0, default: 1 },
      },
    },
    preprocessing: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        include_flow: { type: "boolean", default: false, description: "keep the under/overflow bins" },
        min_entries: {
          type: "number",
          minimum: 0,
          default: 0,
          description: "lumisections with fewer entries in any feature are left out",
        },
      },
    },
    metrics: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        alpha: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.01 },
        beta: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.01 },
        fpr_targets: {
          type: "array",
          minItems: 1,
          items: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
          default: [0.01, 0.001],
        },
      },
    },
    daily_limit: { type: "integer", minimum: 1, maximum: 1000, default: 5 },
  },
} as const;

export interface TaskSpec {
  name: string;
  title: string;
  description: string;
  dataset: string;
  features: string[];
  labelling: (typeof LABELLING_RULES)[number];
  runs?: { min?: number; max?: number };
  split: { test_fraction: number; public_fraction: number; seed: number };
  preprocessing: { include_flow: boolean; min_entries: number };
  metrics: { alpha: number; beta: number; fpr_targets: number[] };
  daily_limit: number;
}

const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
const validate = ajv.compile(taskSpecSchema);

function describe(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "the specification";
  if (e.keyword === "additionalProperties")
    return `${where}: unknown field '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === "enum")
    return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  return `${where} ${e.message ?? "is invalid"}`;
}

/** Validates a parsed specification (filling defaults) or throws an error listing every problem. */
export function checkTaskSpec(value: unknown, file?: string): TaskSpec {
  const spec = structuredClone(value);
  if (!validate(spec))
    throw new InputError(`invalid task specification: ${(validate.errors ?? []).map(describe).join("; ")}`, {
      file,
    });
  const s = spec as unknown as TaskSpec;
  if (s.runs?.min !== undefined && s.runs.max !== undefined && s.runs.min > s.runs.max)
    throw new InputError(
      `invalid task specification: runs.min ${s.runs.min} is greater than runs.max ${s.runs.max}`,
      { file },
    );
  s.title ??= s.name;
  s.description ??= "";
  return s;
}

/** Parses a JSON or YAML task file (YAML is a superset of JSON). */
export function parseTaskSpec(text: string, file: string): TaskSpec {
  let value: unknown;
  try {
    value = YAML.parse(text, { prettyErrors: true });
  } catch (err) {
    const e = err as { message: string; linePos?: Array<{ line: number; col: number }> };
    throw new InputError(`not valid JSON or YAML: ${e.message.split("\n")[0]}`, {
      file,
      line: e.linePos?.[0]?.line,
    });
  }
  return checkTaskSpec(value, file);
}
