import { jsonErrorOffset, lineAndColumn, parseJsonText } from "../../src/ingest/input-files";
import { describeValue } from "../../src/ingest/values";
import { InputError } from "../../src/errors";

describe("jsonErrorOffset", () => {
  test.each<[string, number]>([
    ["", 0],
    ["{", 1],
    ['{"a": [1, 2,]}', 12],
    ['{"a" 1}', 5],
    ['{"a": tru}', 6],
    ['["a\\x"]', 3],
    ['["\\u12G4"]', 2],
    ['["tab\there"]', 5],
    ["[true, false, nul]", 14],
    ["[1, 2] 3", 7],
    ["[01]", 2],
    ['{"a": {"b": [1, {"c": null}]}, }', 31],
    ["[-]", 1],
  ])("%j fails at %d", (text, offset) => {
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  test("agrees with V8 where V8 gives a position", () => {
    for (const text of ['{"a": [1, 2\n "b"]}', "[1, 2, 3", '{"a": 1,\n\n "b" 2}', '{"a": 1 "b": 2}']) {
      let message = "";
      try {
        JSON.parse(text);
      } catch (e) {
        message = (e as Error).message;
      }
      const position = /at position (\d+)/.exec(message);
      expect(position).not.toBeNull();
      expect(jsonErrorOffset(text)).toBe(Number(position?.[1]));
    }
  });
});

describe("lineAndColumn", () => {
  test("counts lines and characters from 1", () => {
    expect(lineAndColumn("ab\ncd\n", 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn("ab\ncd\n", 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn("ab\ncd\n", 6)).toEqual({ line: 3, column: 1 });
  });
});

describe("parseJsonText", () => {
  test("parses valid JSON and locates errors, shifted by a line offset", () => {
    expect(parseJsonText('{"a": 1}', "f.json")).toEqual({ a: 1 });
    let error: unknown;
    try {
      parseJsonText("[1,\n 2,]", "f.jsonl", 10);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      "f.jsonl, line 12: invalid JSON at character 4: Unexpected token ']'",
    );
  });
});

describe("describeValue", () => {
  test("writes values as JSON, short", () => {
    expect(describeValue(undefined)).toBe("missing");
    expect(describeValue(NaN)).toBe("NaN");
    expect(describeValue(12n)).toBe("12");
    expect(describeValue("x".repeat(100))).toBe(`"${"x".repeat(36)}...`);
  });
});
