/**
 * A small builder for TensorFlow graphs (GraphDef) written as a SavedModel, for the native backend.
 *
 * Written here because no JavaScript library builds TensorFlow graphs: tfjs-converter only reads
 * them, and TensorFlow's own graph builders are Python and C++. The protobuf messages are not ours:
 * they are the ones `@tensorflow/tfjs-node` ships to read SavedModels (`dist/proto/api_pb.js`,
 * google-protobuf), used here to write one. tfjs-node then loads it into a TensorFlow session and runs
 * it with one call (`runSavedModel`), which is how a whole training step costs one native call.
 */
import fs from "node:fs";
import path from "node:path";

export type DType = "float32" | "int32" | "bool";

/** An attribute value of a node (see TensorFlow's attr_value.proto). */
export type Attr =
  | { type: DType }
  | { i: number }
  | { f: number }
  | { b: boolean }
  | { s: string }
  | { shape: number[] | null }
  | { tensor: { dtype: DType; shape: number[]; values: ArrayLike<number> } }
  | { list: { s?: string[]; i?: number[]; type?: DType[] } };

export interface NodeSpec {
  name: string;
  op: string;
  inputs: string[];
  attrs: Record<string, Attr>;
}

/** The generated messages of tfjs-node's api.proto (only what is used here, loosely typed). */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Messages = Record<string, any>;

const DT = { float32: 1, int32: 3, bool: 10 } as const;

/** The nodes of one graph; names are unique (a clash is a bug in the caller, so it throws). */
export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  /** Adds a node; returns its first output's name ("name" is "name:0" to TensorFlow). */
  add(op: string, inputs: string[], attrs: Record<string, Attr> = {}, name?: string): string {
    const n = name ?? `${op}_${this.counter++}`;
    if (this.names.has(n)) throw new Error(`graph node '${n}' defined twice`);
    this.names.add(n);
    this.nodes.push({ name: n, op, inputs, attrs });
    return n;
  }

  placeholder(name: string, dtype: DType, shape: number[] | null): string {
    return this.add("Placeholder", [], { dtype: { type: dtype }, shape: { shape } }, name);
  }

  const(values: ArrayLike<number>, shape: number[], dtype: DType = "float32"): string {
    return this.add("Const", [], { dtype: { type: dtype }, value: { tensor: { dtype, shape, values } } });
  }

  scalar(v: number, dtype: DType = "float32"): string {
    return this.const([v], [], dtype);
  }

  ints(values: number[]): string {
    return this.const(values, [values.length], "int32");
  }

  /** An op on float32 tensors ("T": float). */
  f(op: string, inputs: string[], attrs: Record<string, Attr> = {}, name?: string): string {
    return this.add(op, inputs, { T: { type: "float32" }, ...attrs }, name);
  }

  /** A SavedModel (saved_model.pb bytes) holding this graph under the tag "serve". */
  savedModel(messages: Messages): Uint8Array {
    const graph = new messages.GraphDef();
    for (const spec of this.nodes) {
      const node = new messages.NodeDef();
      node.setName(spec.name);
      node.setOp(spec.op);
      for (const input of spec.inputs) node.addInput(input);
      const map = node.getAttrMap();
      for (const [key, attr] of Object.entries(spec.attrs)) map.set(key, attrValue(messages, attr));
      graph.addNode(node);
    }
    const versions = new messages.VersionDef();
    // The GraphDef version the graph claims to be written for (TensorFlow 2.21 writes 2474). TensorFlow
    // loads any producer version at or above its minimum (0 in every TensorFlow 2) and, with
    // min_consumer 0, any graph from a newer producer too; the ops used here have kept their meaning
    // across these versions (tested on the TensorFlow versions in docs/tensorflow.md).
    versions.setProducer(1205);
    graph.setVersions(versions);
    const info = new messages.MetaGraphDef.MetaInfoDef();
    info.addTags("serve");
    const meta = new messages.MetaGraphDef();
    meta.setMetaInfoDef(info);
    meta.setGraphDef(graph);
    const saved = new messages.SavedModel();
    saved.setSavedModelSchemaVersion(1);
    saved.addMetaGraphs(meta);
    return saved.serializeBinary();
  }

  /** Writes the SavedModel into `dir` (created) and returns `dir`. */
  writeSavedModel(messages: Messages, dir: string): string {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "saved_model.pb"), this.savedModel(messages));
    return dir;
  }
}

function shapeMessage(messages: Messages, shape: number[] | null): unknown {
  const s = new messages.TensorShape();
  if (shape === null) {
    s.setUnknownRank(true);
    return s;
  }
  for (const size of shape) {
    const dim = new messages.TensorShape.Dim();
    dim.setSize(size);
    s.addDim(dim);
  }
  return s;
}

function attrValue(messages: Messages, attr: Attr): unknown {
  const v = new messages.AttrValue();
  if ("type" in attr) v.setType(DT[attr.type]);
  else if ("i" in attr) v.setI(attr.i);
  else if ("f" in attr) v.setF(attr.f);
  else if ("b" in attr) v.setB(attr.b);
  else if ("s" in attr) v.setS(new TextEncoder().encode(attr.s));
  else if ("shape" in attr) v.setShape(shapeMessage(messages, attr.shape));
  else if ("tensor" in attr) {
    const t = new messages.Tensor();
    const { dtype, shape, values } = attr.tensor;
    t.setDtype(DT[dtype]);
    t.setTensorShape(shapeMessage(messages, shape));
    // little-endian raw bytes, as TensorFlow reads tensor_content on every supported platform
    if (dtype === "bool") throw new Error("bool constants are not supported");
    const raw = dtype === "float32" ? Float32Array.from(values) : Int32Array.from(values);
    t.setTensorContent(new Uint8Array(raw.buffer));
    v.setTensor(t);
  } else {
    const list = new messages.AttrValue.ListValue();
    for (const s of attr.list.s ?? []) list.addS(new TextEncoder().encode(s));
    for (const i of attr.list.i ?? []) list.addI(i);
    for (const t of attr.list.type ?? []) list.addType(DT[t]);
    v.setList(list);
  }
  return v;
}
