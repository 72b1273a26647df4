/**
 * The task specification: what a task freezes. One JSON schema validates the CLI's JSON/YAML files and
 * the REST body alike, and documents the format in the OpenAPI document.
 */
import Ajv, { type ErrorObject } from "ajv";
import YAML, { LineCounter, isMap, isNode, type Document } from "yaml";
import { InputError } from "../errors";
import { SPLIT_STRATEGIES, type SplitSettings } from "./split-runs";

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
        strategy: {
          type: "string",
          enum: [...SPLIT_STRATEGIES],
          default: "random",
          description:
            "random: runs shuffled with the seed, stratified (runs with bad lumisections dealt apart from clean ones); chronological: train on earlier runs, test on the latest",
        },
        test_fraction: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.5 },
        public_fraction: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.5 },
        seed: { type: "integer", minimum: 0, default: 1 },
        public_seed: {
          type: "integer",
          minimum: 0,
          maximum: 2147483647,
          description:
            "seed of the public/private division of the test runs; when absent the server draws a secret one at publication (shown to participants only after the task closes)",
        },
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
        precision: {
          type: "integer",
          minimum: 1,
          maximum: 6,
          default: 3,
          description:
            "decimal places of the metrics participants get back while the task is open (stored exact)",
        },
        publish_counts: {
          type: "boolean",
          default: false,
          description: "send n and nBad of the public part to participants while the task is open",
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
  /** public_seed: absent until publication, where the server draws one (create-task.ts). */
  split: Omit<SplitSettings, "public_seed"> & { public_seed?: number };
  preprocessing: { include_flow: boolean; min_entries: number };
  metrics: {
    alpha: number;
    beta: number;
    fpr_targets: number[];
    /** Decimal places of participants' metrics while the task is open. */
    precision: number;
    /** Whether participants get n and nBad of the public part while the task is open. */
    publish_counts: boolean;
  };
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

/** The JSON pointer segments of what an error is about (an unknown field: that field itself). */
function errorPath(e: ErrorObject): string[] {
  const path = e.instancePath ? e.instancePath.slice(1).split("/") : [];
  if (e.keyword === "additionalProperties")
    path.push((e.params as { additionalProperty: string }).additionalProperty);
  return path.map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Line of a value in a specification file, given its path (for messages); undefined if unknown. */
export type SpecLines = (path: string[]) => number | undefined;

/**
 * Validates a parsed specification (filling defaults) or throws an error listing every problem;
 * `lines` (from a file) adds the line of the first problem to the message.
 */
export function checkTaskSpec(value: unknown, file?: string, lines?: SpecLines): TaskSpec {
  const spec = structuredClone(value);
  if (!validate(spec)) {
    const errors = validate.errors ?? [];
    throw new InputError(`invalid task specification: ${errors.map(describe).join("; ")}`, {
      file,
      line: errors.length > 0 ? lines?.(errorPath(errors[0])) : undefined,
    });
  }
  const s = spec as unknown as TaskSpec;
  if (s.runs?.min !== undefined && s.runs.max !== undefined && s.runs.min > s.runs.max)
    throw new InputError(
      `invalid task specification: runs.min ${s.runs.min} is greater than runs.max ${s.runs.max}`,
      { file, line: lines?.(["runs", "min"]) },
    );
  s.title ??= s.name;
  s.description ??= "";
  return s;
}

/**
 * The line of the node at `path`, or of the deepest node on the way that exists (a missing field is
 * reported at the mapping that lacks it); a mapping key's own line for a field name.
 */
function lineFinder(doc: Document, counter: LineCounter): SpecLines {
  return (path) => {
    let node: unknown = doc.contents;
    let offset = isNode(node) ? node.range?.[0] : undefined;
    for (const key of path) {
      if (!isNode(node)) break;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isNode(p.key) && String((p.key as { value?: unknown }).value) === key,
        );
        if (!pair) break;
        offset = isNode(pair.key) ? pair.key.range?.[0] : offset;
        node = pair.value;
        continue;
      }
      const child: unknown = (node as { get?: (k: number, keep: boolean) => unknown }).get?.(
        Number(key),
        true,
      );
      if (!isNode(child)) break;
      node = child;
      offset = child.range?.[0] ?? offset;
    }
    return offset === undefined ? undefined : counter.linePos(offset).line;
  };
}

/** Parses a JSON or YAML task file (YAML is a superset of JSON); errors name the file and line. */
export function parseTaskSpec(text: string, file: string): TaskSpec {
  const counter = new LineCounter();
  const doc = YAML.parseDocument(text, { prettyErrors: true, lineCounter: counter });
  const error = doc.errors[0];
  if (error)
    throw new InputError(`not valid JSON or YAML: ${error.message.split("\n")[0]}`, {
      file,
      line: error.linePos?.[0]?.line,
    });
  return checkTaskSpec(doc.toJS(), file, lineFinder(doc, counter));
}
