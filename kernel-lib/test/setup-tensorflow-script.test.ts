/**
 * `npm run setup:tensorflow` (scripts/setup-tensorflow.sh) and scripts/check-tensorflow.cjs, run as
 * child processes: options and the messages for what is missing. None of these runs downloads or
 * builds anything: each stops before the download.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "../..");
const script = path.join(root, "scripts", "setup-tensorflow.sh");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "setup-tensorflow-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the setup script against an empty install folder (so a real build is never touched). */
function setup(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("bash", [script, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, DQM_PLAYGROUND_TENSORFLOW_DIR: path.join(tmp, "prefix"), INIT_CWD: root },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A stand-in Python: python3 without site-packages, plus `extraPath` on its module path. */
function fakePython(name: string, extraPath?: string): string {
  const file = path.join(tmp, name);
  const env = extraPath ? `PYTHONPATH='${extraPath}' ` : "";
  fs.writeFileSync(file, `#!/bin/sh\n${env}exec python3 -S "$@"\n`, { mode: 0o755 });
  return file;
}

const hasPython3 = spawnSync("python3", ["--version"]).status === 0;
const withPython = hasPython3 ? test : test.skip;

describe("setup:tensorflow options", () => {
  test("--help lists the options and exits 0", () => {
    const r = setup("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: npm run setup:tensorflow");
    for (const option of [
      "--gpu",
      "--python PATH",
      "--download",
      "--tensorflow-version",
      "--force",
      "--check",
    ])
      expect(r.stdout).toContain(option);
  });

  test.each([
    [["--bogus"], "unknown option '--bogus'"],
    [["--python"], "--python needs the path of a Python executable"],
    [["--python="], "--python needs the path of a Python executable"],
    [["--python", "python3", "--download"], "exclude each other"],
    [["--tensorflow-version", "latest"], "--tensorflow-version 'latest' is not a version"],
    [["--tensorflow-version"], "--tensorflow-version needs a version"],
    [["--system-cuda"], "--system-cuda only applies with --gpu"],
    [["--cache-dir"], "--cache-dir needs a folder"],
  ])("%j is a usage error (exit 2)", (args, message) => {
    const r = setup(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("--help");
  });
});

describe("setup:tensorflow --python", () => {
  test("a Python that does not exist", () => {
    const r = setup("--python", "/nonexistent/bin/python3");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error: --python /nonexistent/bin/python3: no such file");
  });

  test("a file that is not executable", () => {
    const file = path.join(tmp, "not-executable");
    fs.writeFileSync(file, "", { mode: 0o644 });
    const r = setup("--python", file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`--python ${file}: not an executable file`);
  });

  test("a name that is not on PATH", () => {
    const r = setup("--python", "no-such-python-here");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--python no-such-python-here: not found on PATH");
  });

  test("an executable that is not Python 3", () => {
    const r = setup("--python", "/bin/false");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--python /bin/false: does not run as Python 3");
  });

  withPython("a Python without TensorFlow says what to install", () => {
    const r = setup("--python", fakePython("python-without-tf"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("this Python has no TensorFlow");
    expect(r.stderr).toContain("pip install tensorflow-cpu==");
  });

  withPython("a TensorFlow without the C library is refused before anything is built", () => {
    const site = path.join(tmp, "site");
    fs.mkdirSync(path.join(site, "tensorflow"), { recursive: true });
    fs.writeFileSync(path.join(site, "tensorflow", "__init__.py"), "");
    const r = setup("--python", fakePython("python-with-partial-tf", site));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`TensorFlow in ${fs.realpathSync(site)}/tensorflow cannot be used`);
    expect(r.stderr).toContain("it has no libtensorflow_cc.so.2");
    expect(fs.existsSync(path.join(tmp, "prefix"))).toBe(false);
  });

  withPython("a TensorFlow without the C headers is refused", () => {
    const site = path.join(tmp, "site-no-headers");
    fs.mkdirSync(path.join(site, "tensorflow"), { recursive: true });
    for (const f of ["__init__.py", "libtensorflow_cc.so.2", "libtensorflow_framework.so.2"])
      fs.writeFileSync(path.join(site, "tensorflow", f), "");
    const r = setup("--python", fakePython("python-with-libs-only", site));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("it has no C headers under");
  });
});

describe("setup:tensorflow --check and check-tensorflow.cjs", () => {
  test("--check without a build says how to make one", () => {
    const r = setup("--check");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the native backend is not set up");
    expect(r.stderr).toContain("npm run setup:tensorflow");
  });

  test("check-tensorflow.cjs on a folder without the package", () => {
    const r = spawnSync(
      "node",
      [path.join(root, "scripts", "check-tensorflow.cjs"), path.join(tmp, "nothing")],
      {
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`check-tensorflow: no package in ${path.join(tmp, "nothing")}`);
  });
});
