/**
 * Hostile and clumsy input at ingest (issue 13, item 10): names and numbers the store cannot keep, or that
 * would be unreachable through the API, are refused by the readers with the file and line, before anything
 * is stored (every ingest stores in one transaction after reading).
 */
import { readLegacyCsv } from "../../src/ingest/legacy-csv";
import { readDialsJson } from "../../src/ingest/dials";
import { readLumiRangesJson, readRunLsList } from "../../src/ingest/certification";
import { topLevelKeys } from "../../src/ingest/input-files";
import { MAX_JSON_DEPTH, tooDeepAt } from "../../src/json-depth";
import { MAX_ME_NAME_LENGTH, meNameProblem } from "../../src/ingest/values";
import { ingestFile } from "../../src/ingest-service/ingest-file";
import { freshStoreEachTest, testEngines } from "../helpers/stores";
import { collect, inputError, row1d, tempDir, writeFile } from "./ingest-helpers";

const dir = tempDir();
const HEADER = "fromrun,fromlumi,hname,metype,histo,entries,Xmax,Xmin,Xbins,Ymax,Ymin,Ybins";
const csv = (run: string, hname: string) =>
  `${HEADER}\n${run},1,${hname},3,"[1, 2, 3, 4, 5]",15,3,0,3,1,0,1\n`;

describe("monitor element names", () => {
  test.each([
    ["a NUL byte", "Pixel/char\u0000ge", "character U+0000"],
    ["an escape sequence", "Pixel/\u001b[2Jcharge", "character U+001B"],
    ["a quote", 'Pixel/"charge"', "character U+0022"],
    ["a non-ASCII letter", "Pixel/chargé", "character U+00E9"],
    ["a '..' component", "../../evil", "'..' path component"],
    ["an empty component", "Pixel//charge", "empty, '.' or '..' path component"],
    ["100,000 characters", "a".repeat(100_000), `100000 characters long, at most ${MAX_ME_NAME_LENGTH}`],
  ])("%s is refused (legacy CSV, DIALS JSON), naming file and line", async (_what, name, reason) => {
    // A quoted CSV field holds any character, quotes doubled.
    const csvFile = writeFile(dir(), "bad-name.csv", csv("315257", `"${name.replace(/"/g, '""')}"`));
    const e1 = await inputError(collect(readLegacyCsv(csvFile)));
    expect(e1.message).toContain(`${csvFile}, line 2, column 'hname': hname `);
    expect(e1.message).toContain(reason);
    const jsonFile = writeFile(dir(), "bad-name.json", JSON.stringify([row1d({ me: name })]));
    const e2 = await inputError(collect(readDialsJson(jsonFile)));
    expect(e2.message).toContain(`${jsonFile}`);
    expect(e2.message).toContain("column 'me': row 1: me ");
    expect(e2.message).toContain(reason);
    expect(e2.message.length).toBeLessThan(500);
  });

  test("real DQM paths pass", () => {
    for (const name of [
      "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1",
      "SiStrip/MechanicalView/TIB/layer_1/Summary_ClusterStoNCorr__OnTrack__TIB__layer__1",
      "HLT/EGM/Efficiency (pT > 30) vs #eta",
      "L1T/L1TStage2uGMT/ugmtMuonBX[0]",
    ])
      expect(meNameProblem(name)).toBeUndefined();
  });
});

describe("run and lumisection numbers beyond the store's integers", () => {
  test("legacy CSV and DIALS rows", async () => {
    const csvFile = writeFile(dir(), "big-run.csv", csv("2147483648", "charge"));
    expect((await inputError(collect(readLegacyCsv(csvFile)))).message).toBe(
      `${csvFile}, line 2, column 'fromrun': fromrun is 2147483648, above the largest allowed (2147483647)`,
    );
    const jsonFile = writeFile(dir(), "big-ls.json", JSON.stringify([row1d({ ls_number: 2 ** 32 + 1 })]));
    expect((await inputError(collect(readDialsJson(jsonFile)))).message).toContain(
      "ls_number is 4294967297, above the largest allowed (2147483647)",
    );
  });

  test("golden JSON: a run beyond, a range of two billion lumisections", async () => {
    const run = writeFile(dir(), "big-run.json", '{\n  "4294967297": [[1, 10]]\n}\n');
    expect((await inputError(readLumiRangesJson(run))).message).toBe(
      `${run}, line 2: run 4294967297 is above the largest allowed (2147483647)`,
    );
    const huge = writeFile(dir(), "huge-range.json", '{"315257": [[1, 2147483647]]}');
    expect((await inputError(readLumiRangesJson(huge))).message).toContain(
      "run 315257, range 1: [1, 2147483647] spans 2147483647 lumisections, more than a run has",
    );
  });

  test("run ls lists", async () => {
    const file = writeFile(dir(), "flags.txt", "315257 1\n315257 4294967297\n");
    expect((await inputError(readRunLsList(file))).message).toBe(
      `${file}, line 2: 4294967297 is above the largest run or lumisection allowed (2147483647)`,
    );
  });
});

describe("JSON shapes that break parsers", () => {
  test("a golden JSON naming one run twice is refused at the second", async () => {
    const file = writeFile(
      dir(),
      "twice.json",
      '{\n  "315257": [[1, 10]],\n  "315258": [[1, 2]],\n  "315257": [[20, 30]]\n}\n',
    );
    expect((await inputError(readLumiRangesJson(file))).message).toBe(
      `${file}, line 4: run "315257" appears twice (a run's ranges go in one list)`,
    );
  });

  test("200,000 levels of nesting: a clear error, not a stack overflow", async () => {
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    for (const [name, read] of [
      ["deep-golden.json", readLumiRangesJson],
      ["deep-dials.json", (f: string) => collect(readDialsJson(f))],
    ] as const) {
      const file = writeFile(dir(), name, `{"x":\n${deep}}`);
      expect((await inputError(read(file))).message).toBe(
        `${file}, line 2: JSON nested deeper than ${MAX_JSON_DEPTH} levels at character ${MAX_JSON_DEPTH} (real files have 3 or 4)`,
      );
    }
  });

  test("tooDeepAt and topLevelKeys skip brackets, braces, commas and escaped quotes in strings", () => {
    expect(tooDeepAt('[[["[[[[\\"[["]]]', 3)).toBeUndefined();
    expect(tooDeepAt("[[[[1]]]]", 3)).toBe(3);
    expect(topLevelKeys('{"a": {"b": 1, "c": [2]}, "d\\"e": "x,y", "f": 3}').map((k) => k.key)).toEqual([
      "a",
      'd"e',
      "f",
    ]);
  });
});

describe.each(testEngines())("data set names on %s", (engine) => {
  const storeOf = freshStoreEachTest(engine);
  const golden = () => writeFile(dir(), "golden.json", '{"315257": [[1, 10]]}');

  test.each([
    ["empty", ""],
    ["blank", "  "],
    ["a control character", "demo\u001b[2J"],
    ["a path", "../../evil"],
    ["a slash", "a/b"],
    ["5,000 characters", "d".repeat(5000)],
  ])("%s is refused and nothing is stored", async (_what, name) => {
    const store = storeOf();
    const e = await inputError(ingestFile(store, { format: "golden", file: golden(), dataset: { name } }));
    expect(e.message).toMatch(/^data set name /);
    expect(e.message.length).toBeLessThan(300);
    expect((await store.datasets()).map((d) => d.name)).toEqual([]);
  });

  test("real names pass", async () => {
    const store = storeOf();
    for (const name of ["demo", "ZeroBias_2023C", "my-dqmio.v2"])
      await ingestFile(store, { format: "golden", file: golden(), dataset: { name } });
    expect((await store.datasets()).map((d) => d.name).sort()).toEqual([
      "ZeroBias_2023C",
      "demo",
      "my-dqmio.v2",
    ]);
  });
});
