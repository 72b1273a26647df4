import { backend, describeBackend, selectBackend, tf, type BackendCandidate } from "../src/index";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describeLoadError, nativePrefixes } from "../src/backend";

function missing(pkg: string): () => never {
  return () => {
    const err = new Error(`Cannot find module '${pkg}'\nRequire stack:\n- x`) as Error & { code: string };
    err.code = "MODULE_NOT_FOUND";
    throw err;
  };
}

const fake = (over: Partial<Record<string, () => void>> = {}): BackendCandidate[] => [
  {
    kind: "tensorflow-gpu",
    package: "@tensorflow/tfjs-node-gpu",
    backend: "tensorflow",
    load: over.gpu ?? missing("@tensorflow/tfjs-node-gpu"),
  },
  {
    kind: "tensorflow",
    package: "@tensorflow/tfjs-node",
    backend: "tensorflow",
    load: over.node ?? missing("@tensorflow/tfjs-node"),
  },
  {
    kind: "wasm",
    package: "@tensorflow/tfjs-backend-wasm",
    backend: "wasm",
    load: over.wasm ?? (() => undefined),
  },
  { kind: "cpu", package: "", backend: "cpu", load: () => undefined },
];

describe("backend selection with injected loaders", () => {
  test("native TensorFlow first when it loads, registers and initialises", async () => {
    const activated: string[] = [];
    const c = await selectBackend({
      candidates: fake({ gpu: () => undefined }),
      isRegistered: () => true,
      activate: async (b) => (activated.push(b), true),
      force: "",
    });
    expect(c).toMatchObject({
      kind: "tensorflow-gpu",
      backend: "tensorflow",
      reason: "first choice: loaded and initialised",
      notUsed: [],
    });
    expect(activated).toEqual(["tensorflow"]);
  });

  test("falls back to wasm and says why the native backends were not used", async () => {
    const c = await selectBackend({
      candidates: fake({
        node: () => {
          throw new Error("libtensorflow.so.2: cannot open shared object file");
        },
      }),
      isRegistered: () => true,
      activate: async () => true,
      force: "",
    });
    expect(c.kind).toBe("wasm");
    expect(c.reason).toBe("the faster backends are unavailable");
    expect(c.notUsed).toEqual([
      { kind: "tensorflow-gpu", package: "@tensorflow/tfjs-node-gpu", reason: "not installed" },
      {
        kind: "tensorflow",
        package: "@tensorflow/tfjs-node",
        reason: "installed but failed to load: libtensorflow.so.2: cannot open shared object file",
      },
    ]);
    expect(c.summary).toContain("not used: tensorflow (@tensorflow/tfjs-node): installed but failed to load");
  });

  test("cpu when wasm fails to initialise; a backend registered with another tfjs copy is skipped", async () => {
    const c = await selectBackend({
      candidates: fake({ node: () => undefined }),
      isRegistered: (b) => b !== "tensorflow",
      activate: async (b) => b === "cpu",
      force: "",
    });
    expect(c.kind).toBe("cpu");
    expect(c.notUsed.map((n) => n.reason)).toEqual([
      "not installed",
      "loaded, but backend 'tensorflow' is not registered with this @tensorflow/tfjs (another tfjs-core version?)",
      "failed to initialise",
    ]);
  });

  test("forced by name; unknown names and total failure are errors", async () => {
    const c = await selectBackend({
      candidates: fake(),
      isRegistered: () => true,
      activate: async () => true,
      force: "cpu",
    });
    expect(c.kind).toBe("cpu");
    expect(c.reason).toBe("forced by DQM_PLAYGROUND_BACKEND=cpu");
    expect(c.notUsed[2]).toEqual({
      kind: "wasm",
      package: "@tensorflow/tfjs-backend-wasm",
      reason: "DQM_PLAYGROUND_BACKEND=cpu",
    });
    await expect(selectBackend({ candidates: fake(), force: "webgpu" })).rejects.toThrow(
      "unknown backend 'webgpu' in DQM_PLAYGROUND_BACKEND: use tensorflow, wasm or cpu",
    );
    await expect(
      selectBackend({
        candidates: fake().slice(0, 2),
        isRegistered: () => true,
        activate: async () => true,
        force: "",
      }),
    ).rejects.toThrow(
      "no TensorFlow.js backend could be initialised: tensorflow-gpu (not installed); tensorflow (not installed)",
    );
    expect(
      describeLoadError(
        "a",
        Object.assign(new Error("Cannot find module 'b'"), { code: "MODULE_NOT_FOUND" }),
      ),
    ).toBe("installed but failed to load: Cannot find module 'b'");
  });

  test("nativePrefixes: the environment's folder, else the first .tensorflow walking up", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-tf-"));
    try {
      const deep = path.join(root, "a", "b");
      fs.mkdirSync(deep, { recursive: true });
      expect(nativePrefixes({}, deep)).not.toContain(path.join(root, ".tensorflow"));
      fs.mkdirSync(path.join(root, ".tensorflow", "node_modules"), { recursive: true });
      expect(nativePrefixes({}, deep)).toEqual([path.join(root, ".tensorflow")]);
      expect(nativePrefixes({ DQM_PLAYGROUND_TENSORFLOW_DIR: "/x/y" }, deep)).toEqual(["/x/y"]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test("the real choice without native TensorFlow: wasm, and why not native", async () => {
    const saved = process.env.DQM_PLAYGROUND_BACKEND;
    const savedDir = process.env.DQM_PLAYGROUND_TENSORFLOW_DIR;
    delete process.env.DQM_PLAYGROUND_BACKEND;
    // An empty folder: a native build made by `npm run setup:tensorflow` in this checkout is not used.
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-no-tf-"));
    process.env.DQM_PLAYGROUND_TENSORFLOW_DIR = empty;
    try {
      const c = await backend({});
      expect(c.backend).toBe("wasm");
      expect(tf.getBackend()).toBe("wasm");
      expect(c.notUsed.map((n) => [n.kind, n.reason])).toEqual([
        ["tensorflow-gpu", "not installed"],
        ["tensorflow", "not installed"],
      ]);
      expect(await backend()).toBe(c);
      expect(describeBackend(c)).toMatch(/^TensorFlow.js backend: wasm/);
      expect(tf.tensor1d([1, 2]).sum().dataSync()[0]).toBe(3);
    } finally {
      if (saved !== undefined) process.env.DQM_PLAYGROUND_BACKEND = saved;
      if (savedDir !== undefined) process.env.DQM_PLAYGROUND_TENSORFLOW_DIR = savedDir;
      else delete process.env.DQM_PLAYGROUND_TENSORFLOW_DIR;
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
