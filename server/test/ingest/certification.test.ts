import fs from "node:fs";
import path from "node:path";
import { readLumiRangesJson, readRunLsList } from "../../src/ingest/certification";
import type { LumiRanges } from "../../src/ingest/types";
import { CMS_DATA, inputError, tempDir, writeFile } from "./ingest-helpers";

const dir = tempDir();

function totals(ranges: LumiRanges): { runs: number; lumisections: number } {
  let lumisections = 0;
  for (const rs of ranges.values()) for (const [a, b] of rs) lumisections += b - a + 1;
  return { runs: ranges.size, lumisections };
}

describe("readLumiRangesJson", () => {
  test.each([
    ["json_GOLDEN_2018.txt", 478, 234529],
    ["json_DCSONLY_2018.txt", 681, 258508],
    ["json_GOLDEN_2017.txt", 457, 206287],
    ["json_DCSONLY_2017.txt", 1016, 276928],
    ["Cert_136033-149442_7TeV_Apr21ReReco_Collisions10_JSON_v2.txt", 273, 74596],
  ])("reads the real %s: %d runs, %d lumisections", async (name, runs, lumisections) => {
    const ranges = await readLumiRangesJson(path.join(CMS_DATA, name));
    expect(totals(ranges)).toEqual({ runs, lumisections });
  });

  test("keeps ranges per run, runs ascending, ranges sorted", async () => {
    const ranges = await readLumiRangesJson(path.join(CMS_DATA, "json_GOLDEN_2018.txt"));
    expect(ranges.get(315257)).toEqual([
      [1, 88],
      [91, 92],
    ]);
    const runs = [...ranges.keys()];
    expect(runs).toEqual([...runs].sort((a, b) => a - b));
    const file = writeFile(dir(), "unsorted.json", '{"20": [[5, 6], [1, 2]], "3": [[7, 7]], "4": []}');
    expect([...(await readLumiRangesJson(file))]).toEqual([
      [3, [[7, 7]]],
      [
        20,
        [
          [1, 2],
          [5, 6],
        ],
      ],
    ]);
  });

  test.each<[string, string, string]>([
    [
      "a run key that is not an integer",
      '{\n"1": [[1, 2]],\n"12a": [[1, 2]]\n}',
      'line 3: run "12a" is not a positive integer',
    ],
    ["a run key 0", '{"0": [[1, 2]]}', 'line 1: run "0" is not a positive integer'],
    [
      "a run that is not a list",
      '{"5": {"1": 2}}',
      'line 1: run 5: expected a list of [first, last] ranges, got {"1":2}',
    ],
    [
      "a range of three numbers",
      '{"5": [[1, 2], [4, 5, 6]]}',
      "line 1: run 5, range 2: [4,5,6] is not two positive integers [first, last]",
    ],
    [
      "a range with 0",
      '{"5": [[0, 2]]}',
      "line 1: run 5, range 1: [0,2] is not two positive integers [first, last]",
    ],
    [
      "a range with a fraction",
      '{"5": [[1, 2.5]]}',
      "line 1: run 5, range 1: [1,2.5] is not two positive integers [first, last]",
    ],
    [
      "a range with text",
      '{"5": [["1", 2]]}',
      'line 1: run 5, range 1: ["1",2] is not two positive integers [first, last]',
    ],
    [
      "first > last",
      '{\n  "5": [[1, 2],\n        [9, 4]]\n}',
      "line 2: run 5, range 2: [9, 4] has first > last",
    ],
    [
      "overlapping ranges",
      '{"7": [[10, 20], [1, 3], [20, 25]]}',
      "line 1: run 7: range 1 [10, 20] and range 3 [20, 25] overlap",
    ],
    [
      "a document that is not an object",
      "[[1, 2]]",
      'line 1: expected a JSON object {"<run>": [[first, last], ...]}, got [[1,2]]',
    ],
    [
      "a JSON syntax error",
      '{\n  "5": [[1, 2]\n  "6": [[1, 2]]\n}',
      "line 3: invalid JSON at character 3: Expected ',' or ']' after array element",
    ],
    [
      "a missing closing brace",
      '{\n  "5": [[1, 2]]\n',
      "line 3: invalid JSON at character 1: Expected ',' or '}' after property value",
    ],
    ["an empty file", "", "line 1: invalid JSON at character 1: Unexpected end of JSON input"],
  ])("rejects %s", async (_what, text, message) => {
    const file = writeFile(dir(), "bad.json", text);
    const error = await inputError(readLumiRangesJson(file));
    expect(error.message).toBe(`${file}, ${message}`);
  });

  test("a missing file", async () => {
    const file = path.join(dir(), "nope.json");
    expect((await inputError(readLumiRangesJson(file))).message).toBe(`${file}: no such file`);
  });
});

describe("readRunLsList", () => {
  test("merges consecutive lumisections of unsorted lines into ranges", async () => {
    const file = writeFile(
      dir(),
      "flags.txt",
      "# run ls\n149294 179\n149294 172\n\n149294 173\n149294 174\n148864 681\n149294 172\r\n",
    );
    expect([...(await readRunLsList(file))]).toEqual([
      [148864, [[681, 681]]],
      [
        149294,
        [
          [172, 174],
          [179, 179],
        ],
      ],
    ]);
  });

  test.each(["abnormal_SPT_2010.txt", "abnormal_LEHJ_2016.txt", "abnormal_LDRCTM_2016.txt"])(
    "reads the real %s: one lumisection per distinct line",
    async (name) => {
      const file = path.join(CMS_DATA, name);
      const lines = new Set(
        fs
          .readFileSync(file, "utf8")
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l !== ""),
      );
      const runs = new Set([...lines].map((l) => l.split(/\s+/)[0]));
      expect(totals(await readRunLsList(file))).toEqual({ runs: runs.size, lumisections: lines.size });
    },
  );

  test.each([
    ["one number", "1 2\n3\n", 2, '"3"'],
    ["three numbers", "1 2\n3 4 5\n", 2, '"3 4 5"'],
    ["a text", "1 2\n3 x\n", 2, '"3 x"'],
    ["a negative lumisection", "1 2\n\n3 -4\n", 3, '"3 -4"'],
    ["a lumisection 0", "3 0\n", 1, '"3 0"'],
  ])("rejects a line with %s, naming the line", async (_what, text, line, got) => {
    const file = writeFile(dir(), "bad.txt", text);
    const error = await inputError(readRunLsList(file));
    expect(error.message).toBe(
      `${file}, line ${line}: expected "run ls" (two positive integers), got ${got}`,
    );
  });
});
