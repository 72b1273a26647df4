/**
 * Whether the native TensorFlow backend built by `npm run setup:tensorflow` is there, for the suites
 * that need it; they are skipped, with a message, when it is not.
 */
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "../../..");
export const nativePrefix = process.env.DQM_PLAYGROUND_TENSORFLOW_DIR || path.join(root, ".tensorflow");

/** The folder of the native package (-gpu first), when installed. */
export const nativePackageDir = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]
  .map((p) => path.join(nativePrefix, "node_modules", p))
  .find((p) => fs.existsSync(path.join(p, "package.json")));

/** The addon node-gyp built: lib/napi-v<N>/tfjs_binding.node. */
function hasAddon(dir: string): boolean {
  const lib = path.join(dir, "lib");
  if (!fs.existsSync(lib)) return false;
  return fs.readdirSync(lib).some((d) => fs.existsSync(path.join(lib, d, "tfjs_binding.node")));
}

export const nativeBuilt = nativePackageDir != null && hasAddon(nativePackageDir);

/** `describe` when the native backend is built, else `describe.skip` after saying why. */
export function describeNative(what: string): jest.Describe {
  if (nativeBuilt) return describe;
  console.warn(
    `native TensorFlow backend not built (${nativePrefix}/node_modules has no @tensorflow/tfjs-node addon): ` +
      `${what} skipped; \`npm run setup:tensorflow\` builds it`,
  );
  return describe.skip;
}
