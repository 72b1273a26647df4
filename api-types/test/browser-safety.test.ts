/**
 * The package root is what the JupyterLab extension bundles for the browser: nothing it reaches may
 * import a Node module. Only src/wire/discovery.ts may, and the root must not reach it.
 */
import fs from "node:fs";
import path from "node:path";
import { builtinModules } from "node:module";

const src = path.join(__dirname, "..", "src");

function imports(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|require\(\s*["']([^"']+)["']\s*\)|import\(\s*["']([^"']+)["']\s*\)|reference\s+types="([^"]+)"/g,
  ))
    found.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return found;
}

function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const specs = imports(file);
    seen.set(file, specs);
    for (const s of specs)
      if (s.startsWith(".")) {
        const base = path.resolve(path.dirname(file), s);
        visit(fs.existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, "index.ts"));
      }
  };
  visit(entry);
  return seen;
}

const isNode = (spec: string) =>
  spec.startsWith("node:") || spec === "node" || builtinModules.includes(spec.split("/")[0]);

test("the package root imports no Node module", () => {
  const files = reachable(path.join(src, "index.ts"));
  expect([...files.keys()].map((f) => path.relative(src, f))).toContain(path.join("wire", "binning.ts"));
  expect([...files.keys()].map((f) => path.relative(src, f))).not.toContain(
    path.join("wire", "discovery.ts"),
  );
  const nodeImports = [...files].flatMap(([f, specs]) =>
    specs.filter(isNode).map((s) => `${path.relative(src, f)}: ${s}`),
  );
  expect(nodeImports).toEqual([]);
});

test("the check sees Node imports where they are", () => {
  const specs = imports(path.join(src, "wire", "discovery.ts"));
  expect(specs.filter(isNode)).toEqual(expect.arrayContaining(["node", "node:fs", "node:os", "node:path"]));
});
