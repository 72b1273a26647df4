/**
 * The task specification: what a task freezes. Its JSON schema is the contract's
 * (TaskSpecInputSchema in @dqm-playground/api-types): it validates the CLI's JSON/YAML files here and
 * the REST body in the route, and documents the format in the OpenAPI document. This file adds what
 * JSON Schema cannot say: the cross-field rules (runs.min <= runs.max) and the defaults that depend on
 * other fields (title, description), and turns the schema's errors into messages with lines.
 */
import Ajv, { type ErrorObject } from "ajv";
import YAML, { LineCounter, isMap, isNode, type Document } from "yaml";
import {
  TaskSpecInputSchema,
  type Assert,
  type Same,
  type TaskLabellingRule,
  type TaskSpecInput,
} from "@dqm-playground/api-types";
import { InputError } from "../errors";
import type { SplitSettings } from "./split-runs";

/** The contract's task specification schema (task-view.ts reads the metric defaults from it). */
export const taskSpecSchema = TaskSpecInputSchema;

type Given<K extends keyof TaskSpecInput> = Exclude<TaskSpecInput[K], undefined>;

/** A checked specification: the schema's defaults filled in, title and description resolved. */
export interface TaskSpec extends Omit<
  TaskSpecInput,
  "title" | "description" | "labelling" | "split" | "preprocessing" | "metrics" | "daily_limit"
> {
  title: string;
  description: string;
  labelling: TaskLabellingRule;
  /** public_seed: absent until publication, where the server draws one (create-task.ts). */
  split: Omit<SplitSettings, "public_seed"> & { public_seed?: number };
  preprocessing: Required<Given<"preprocessing">>;
  /** precision and publish_counts: what participants get of the metrics while the task is open. */
  metrics: Required<Given<"metrics">>;
  daily_limit: number;
}

/** true when every value of S is a valid T. */
type Fits<S, T> = [S] extends [T] ? true : false;

/** Compile-time: the split settings are the contract's, and a checked specification is still a valid one. */
export type TaskSpecChecks = [
  Assert<Same<Required<Omit<Given<"split">, "public_seed">>, Omit<SplitSettings, "public_seed">>>,
  Assert<Fits<TaskSpec, TaskSpecInput>>,
];

const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
const validate = ajv.compile<TaskSpecInput>(taskSpecSchema);

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
 * Validates a specification (filling defaults) or throws an error listing every problem: one parsed
 * from a file, or a REST body (a TaskSpecInput the route's schema already checked, here for the rest).
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
  // The validator filled in the schema's defaults; title and description are resolved below.
  const s = spec as TaskSpec;
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
