/** The one-line failure text of the CLI, for anything a command may throw. */
import { InvalidArgumentError } from "commander";
import { action, errorText, parseInteger } from "../../src/cli/actions";
import { InputError } from "../../src/errors";

describe("errorText", () => {
  it("gives an Error's message", () => {
    expect(errorText(new InputError("histo has 4 values", { file: "a.csv", line: 3 }))).toBe(
      "a.csv, line 3: histo has 4 values",
    );
    expect(errorText(new Error("plain"))).toBe("plain");
  });

  it("names the fields of a thrown object that is not an Error, never [object Object]", () => {
    // What PGlite's emscripten file system throws: an object with a name and an errno.
    expect(errorText({ name: "ErrnoError", errno: 8 })).toBe("ErrnoError: errno 8");
    expect(errorText({ name: "ErrnoError", message: "FS error", errno: 44 })).toBe(
      "ErrnoError: FS error: errno 44",
    );
    expect(errorText({ code: "EPIPE" })).toBe("EPIPE");
    expect(errorText({ status: 3 })).toBe('{"status":3}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorText(cyclic)).toBe("[object Object]");
    expect(errorText("text")).toBe("text");
    expect(errorText(undefined)).toBe("undefined");
  });
});

describe("action", () => {
  let written: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    spy.mockRestore();
    process.exitCode = undefined;
  });

  it("prints one line and sets exit code 1 on failure", async () => {
    await action(async () => {
      throw new Error("first line\n  second line");
    })();
    expect(written).toEqual(["dqm-playground: first line second line\n"]);
    expect(process.exitCode).toBe(1);
  });

  it("prints nothing when the command succeeds", async () => {
    let ran = false;
    await action(async (x: number) => {
      ran = x === 2;
    })(2);
    expect(ran).toBe(true);
    expect(written).toEqual([]);
    expect(process.exitCode).toBeUndefined();
  });
});

describe("parseInteger", () => {
  it("takes non-negative integers and refuses anything else", () => {
    expect(parseInteger("0")).toBe(0);
    expect(parseInteger("8750")).toBe(8750);
    for (const bad of ["-1", "1.5", "port", ""])
      expect(() => parseInteger(bad)).toThrow(
        new InvalidArgumentError(`'${bad}' is not a non-negative integer`),
      );
  });
});
